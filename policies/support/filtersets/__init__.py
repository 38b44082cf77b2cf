"""Filtersets of support, one module per area (shared by the pages and the API)."""
