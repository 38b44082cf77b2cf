"""Template filters of the policies app."""
