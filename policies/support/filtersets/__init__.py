"""Filtersets of support (pages and API alike), one module per area."""
