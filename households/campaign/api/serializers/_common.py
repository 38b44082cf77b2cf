"""Messages and fields referring to rows in the user's area, shared by the campaign serializers."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from households.api.serializers import (
    COMMUNE_NOT_FOUND,
    VILLAGE_NOT_FOUND,
    UnitField,
)
from households.models import (
    Campaign,
    Review,
)
from registry.choices import Level
from registry.models import AdminUnit
from registry.selectors import unit_list

UNIT_NOT_FOUND = _("Choose a unit in your area (there is none with id {pk_value}).")
PROVINCE_NOT_FOUND = _("Choose a province in your area (there is none with id {pk_value}).")
REVIEW_NOT_FOUND = _("There is no review with id {pk_value} in your area.")
CAMPAIGN_NOT_FOUND = _("There is no campaign with id {pk_value} in your area.")


# --- references to rows the user may see -------------------------------------------------------


@extend_schema_field(OpenApiTypes.INT)
class AreaUnitField(serializers.PrimaryKeyRelatedField):
    """The id of a unit of one of `levels` in the user's area; any other id is "not found"."""

    def __init__(self, *, levels: tuple[str, ...], **kwargs) -> None:
        self.levels = levels
        kwargs.setdefault("error_messages", {"does_not_exist": UNIT_NOT_FOUND})
        super().__init__(queryset=AdminUnit.objects.none(), **kwargs)

    def get_queryset(self):
        return unit_list(user=self.context["request"].user).filter(level__in=self.levels)


@extend_schema_field(OpenApiTypes.INT)
class ReviewField(serializers.PrimaryKeyRelatedField):
    """The id of a review the user may see; any other id is "not found"."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("error_messages", {"does_not_exist": REVIEW_NOT_FOUND})
        super().__init__(queryset=Review.objects.none(), **kwargs)

    def get_queryset(self):
        return Review.objects.visible_to(self.context["request"].user).select_related(
            "household__commune"
        )


def _commune_field(**kwargs) -> UnitField:
    return UnitField(
        level=Level.COMMUNE, error_messages={"does_not_exist": COMMUNE_NOT_FOUND}, **kwargs
    )


def _village_field() -> UnitField:
    return UnitField(
        level=Level.VILLAGE,
        required=False,
        allow_null=True,
        default=None,
        error_messages={"does_not_exist": VILLAGE_NOT_FOUND},
    )


@extend_schema_field(OpenApiTypes.INT)
class CampaignField(serializers.PrimaryKeyRelatedField):
    """The id of a campaign the user may see; any other id is "not found"."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("error_messages", {"does_not_exist": CAMPAIGN_NOT_FOUND})
        super().__init__(queryset=Campaign.objects.none(), **kwargs)

    def get_queryset(self):
        return Campaign.objects.visible_to(self.context["request"].user).select_related("province")
