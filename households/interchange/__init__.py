"""Bulk import and export of the registry in one interchange format (docs/interchange.md).

`format` describes the five tables and reads and writes single cells; `export` writes what a
user may see; `importing` reads a file back.
"""
