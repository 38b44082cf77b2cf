"""Filtersets of support, one module per area."""
