"""The review campaign's REST API: serializers and viewsets."""
