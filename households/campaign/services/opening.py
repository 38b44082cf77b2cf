"""Opening a province's campaign and listing the households to review (step 1)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from households.campaign.services._common import (
    PERIODIC_CLOSES,
    PERIODIC_OPENS,
    _require_role,
)
from households.campaign.transitions import ON_LIST
from households.choices import (
    HouseholdStatus,
    ReviewKind,
)
from households.choices import ReviewStatus as S
from households.evaluation import standard_by_code
from households.models import (
    Campaign,
    HouseholdYear,
    Review,
    ReviewRequest,
    ReviewStep,
)
from registry.choices import Level, Role
from registry.models import AdminUnit, User

# --- campaigns --------------------------------------------------------------------------------


@transaction.atomic
def campaign_open(
    *,
    actor: User,
    province: AdminUnit,
    list_year: int,
    opens_on: dt.date | None = None,
    closes_on: dt.date | None = None,
    standard_code: str = "",
) -> Campaign:
    """The province opens the periodic review that sets the list of `list_year`."""
    if province.level != Level.PROVINCE:
        raise ValidationError({"province": _("A campaign is opened by a province.")})
    _require_role(actor, Role.PROVINCE_STAFF, province)
    opens_on = opens_on or dt.date(list_year - 1, *PERIODIC_OPENS)
    closes_on = closes_on or dt.date(list_year - 1, *PERIODIC_CLOSES)
    if closes_on < opens_on:
        raise ValidationError({"closes_on": _("The campaign must close after it opens.")})
    if standard_code:
        standard_by_code(standard_code)
    if Campaign.objects.filter(province=province, list_year=list_year).exists():
        raise ValidationError(
            {"list_year": _("%(province)s already has a campaign for the %(year)d list.")
             % {"province": province, "year": list_year}}
        )  # fmt: skip
    return Campaign.objects.create(
        province=province,
        list_year=list_year,
        opens_on=opens_on,
        closes_on=closes_on,
        standard_code=standard_code,
        unit_path=province.path,
        created_by=actor,
    )


@transaction.atomic
def campaign_list_households(*, actor: User, campaign: Campaign, commune: AdminUnit) -> int:
    """Step 1: list the households on the commune's current lists and those that asked.

    Returns how many reviews were listed now; listing twice adds nothing.
    """
    if not commune.path.startswith(campaign.unit_path):
        raise ValidationError({"commune": _("This commune is not in the campaign's province.")})
    _require_role(actor, Role.COMMUNE_OFFICER, commune)
    # The households on the list in force (last year's, as amended by its monthly reviews).
    on_lists = HouseholdYear.objects.filter(
        household__commune=commune,
        household__status=HouseholdStatus.ACTIVE,
        list_year=campaign.list_year - 1,
        classification__in=ON_LIST,
        end_reason="",
    ).values_list("household_id", flat=True)
    asked = ReviewRequest.objects.filter(
        household__commune=commune, monthly=False, review__isnull=True
    )
    wanted = set(on_lists) | set(asked.values_list("household_id", flat=True))
    already = set(
        Review.objects.filter(
            household_id__in=wanted, list_year=campaign.list_year, kind=ReviewKind.PERIODIC
        ).values_list("household_id", flat=True)
    )
    created = []
    for household_id in sorted(wanted - already):
        review = Review.objects.create(
            household_id=household_id,
            list_year=campaign.list_year,
            kind=ReviewKind.PERIODIC,
            status=S.LISTED,
            campaign=campaign,
            area_type=commune.area_type,
        )
        ReviewStep.objects.create(review=review, move="list", to_status=S.LISTED, actor=actor)
        created.append(review)
    for request in asked.select_related("household"):
        request.review = next((r for r in created if r.household_id == request.household_id), None)
        if request.review:
            request.save(update_fields=["review"])
    return len(created)
