"""Writes of support, one module per area."""
