"""Forms of support, one module per area."""
