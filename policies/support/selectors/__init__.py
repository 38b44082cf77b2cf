"""Reads of support, one module per area."""
