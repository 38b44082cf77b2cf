"""Selectors of support, one module per area."""
