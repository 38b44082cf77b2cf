"""API representations of administrative units."""

from rest_framework import serializers

from registry.api.fields import IdField
from registry.models import AdminUnit
from registry.services import VILLAGE_TYPES


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


class VillageCreateSerializer(serializers.Serializer):
    """A village (thôn, ấp, tổ dân phố…) added under a commune by its officer."""

    parent = IdField(help_text="The commune's id.")
    name = serializers.CharField(max_length=120)
    division_type = serializers.ChoiceField(choices=VILLAGE_TYPES, default="thôn")
