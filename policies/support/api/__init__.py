"""REST API of support, one module per area; each registers its viewsets."""
