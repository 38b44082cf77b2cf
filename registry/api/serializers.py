"""API representations of administrative units."""

from rest_framework import serializers

from registry.models import AdminUnit


class AdminUnitSerializer(serializers.ModelSerializer):
    """An administrative unit with its place in the tree."""

    parent_code = serializers.CharField(source="parent.code", read_only=True, default=None)

    class Meta:
        model = AdminUnit
        fields = [
            "id",
            "scheme",
            "level",
            "code",
            "name",
            "division_type",
            "area_type",
            "parent",
            "parent_code",
            "path",
            "valid_from",
            "valid_to",
        ]
        read_only_fields = fields
