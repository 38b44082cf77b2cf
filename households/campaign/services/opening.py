"""Opening a province's campaign, extending it, and listing the households to review (step 1)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from households.campaign.services._common import (
    _require_role,
    apply_move,
    require_move_roles,
    statutory_window,
)
from households.campaign.transitions import ON_LIST
from households.choices import (
    HouseholdStatus,
    ReviewKind,
)
from households.evaluation import standard_by_code
from households.models import (
    Campaign,
    CampaignExtension,
    HouseholdYear,
    Review,
    ReviewRequest,
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
    """The province opens the periodic review that sets the list of `list_year`, within 1
    September - 14 December of the year before (art. 3.1(a)); later dates need an extension."""
    if province.level != Level.PROVINCE:
        raise ValidationError({"province": _("A campaign is opened by a province.")})
    _require_role(actor, Role.PROVINCE_STAFF, province)
    first, last = statutory_window(list_year)
    opens_on = opens_on or first
    closes_on = closes_on or last
    errors: dict[str, list[str]] = {}
    window = _("The periodic review runs from %(opens)s to %(closes)s (Decision 24/2021/QĐ-TTg "
               "art. 3.1(a)).") % {"opens": first.strftime("%d/%m/%Y"),
                                   "closes": last.strftime("%d/%m/%Y")}  # fmt: skip
    if not first <= opens_on <= last:
        errors["opens_on"] = [window]
    if closes_on > last:
        errors["closes_on"] = [
            window + " " + _("Open it until then, and extend it if the province needs longer.")
        ]
    elif closes_on < opens_on:
        errors["closes_on"] = [_("The campaign must close after it opens.")]
    if errors:
        raise ValidationError(errors)
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
def campaign_extend(
    *, actor: User, campaign: Campaign, closes_on: dt.date | None, reason: str
) -> CampaignExtension:
    """The province extends its campaign past the closing date, with the reason; recorded with
    who and when, and the campaign closes on the new date."""
    campaign = (
        Campaign.objects.select_for_update(of=("self",))
        .select_related("province")
        .get(pk=campaign.pk)
    )
    _require_role(actor, Role.PROVINCE_STAFF, campaign.province)
    errors: dict[str, list[str]] = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [_("Say why the province extends the review.")]
    # Not a legal number: the campaign sets the list of its year, so it ends with that year.
    latest = dt.date(campaign.list_year, 12, 31)
    if closes_on is None:
        errors["closes_on"] = [_("Enter the new closing date.")]
    elif closes_on <= campaign.closes_on:
        errors["closes_on"] = [
            _("The new closing date must be after the current one, %(date)s.")
            % {"date": campaign.closes_on.strftime("%d/%m/%Y")}
        ]
    elif closes_on > latest:
        errors["closes_on"] = [
            _("The review of the %(year)d list cannot run past %(date)s.")
            % {"year": campaign.list_year, "date": latest.strftime("%d/%m/%Y")}
        ]
    if errors:
        raise ValidationError(errors)
    extension = CampaignExtension.objects.create(
        campaign=campaign,
        previous_closes_on=campaign.closes_on,
        closes_on=closes_on,
        reason=reason,
        extended_by=actor,
    )
    campaign.closes_on = closes_on
    campaign._history_user = actor
    campaign._change_reason = reason
    campaign.save(update_fields=["closes_on"])
    return extension


@transaction.atomic
def campaign_list_households(*, actor: User, campaign: Campaign, commune: AdminUnit) -> int:
    """Step 1: list the households on the commune's current lists and those that asked.

    Returns how many reviews were listed now; listing twice adds nothing.
    """
    if not commune.path.startswith(campaign.unit_path):
        raise ValidationError({"commune": _("This commune is not in the campaign's province.")})
    require_move_roles(actor, ["list"], commune)
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
        review = Review(
            household_id=household_id,
            list_year=campaign.list_year,
            kind=ReviewKind.PERIODIC,
            campaign=campaign,
            area_type=commune.area_type,
        )
        apply_move(review, "list", actor=actor, commune=commune)
        created.append(review)
    for request in asked.select_related("household"):
        request.review = next((r for r in created if r.household_id == request.household_id), None)
        if request.review:
            request._history_user = actor
            request.save(update_fields=["review"])
    return len(created)
