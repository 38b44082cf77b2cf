"""Bulk import and export of the registry in the interchange format (issue 11)."""
