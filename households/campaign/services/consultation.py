"""Step 5 under the three-level scheme: the commune reports to and consults the district
chairman before recognition (Decision 24/2021/QĐ-TTg art. 4 step 5)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from households.campaign.services._common import _require_role, check_window, three_level
from households.choices import ReviewStatus as S
from households.models import (
    Campaign,
    DistrictConsultation,
    Review,
)
from registry.choices import Level, Role
from registry.models import AdminUnit, User


@transaction.atomic
def consultation_record(
    *,
    actor: User,
    campaign: Campaign,
    commune: AdminUnit,
    consulted_on: dt.date | None,
    comment: str,
) -> DistrictConsultation:
    """District staff record that the commune reported its posted results and the district
    chairman gave an opinion; recognition of the commune's results waits for it."""
    if commune.level != Level.COMMUNE or not commune.path.startswith(campaign.unit_path):
        raise ValidationError({"commune": _("This commune is not in the campaign's province.")})
    if not three_level(campaign):
        raise ValidationError(
            {
                "commune": _(
                    "Communes consult the district only under the three-level scheme (lists "
                    "set before 1 July 2025); this campaign has no district step."
                )
            }
        )
    district = commune.parent
    _require_role(actor, Role.DISTRICT_STAFF, district)
    errors: dict[str, list[str]] = {}
    comment = (comment or "").strip()
    if not comment:
        errors["comment"] = [_("Write down the district's opinion on the commune's results.")]
    if consulted_on is None:
        errors["consulted_on"] = [_("Enter the date the district was consulted.")]
    elif consulted_on > timezone.localdate():
        errors["consulted_on"] = [_("The date cannot be in the future.")]
    else:
        check_window([campaign], consulted_on, "consulted_on", errors)
    posted = Review.objects.filter(campaign=campaign, household__commune=commune, status=S.POSTED)
    if not posted.exists():
        errors["commune"] = [
            _("No result of this commune is posted: the commune reports after the posting.")
        ]
    if errors:
        raise ValidationError(errors)
    consultation = DistrictConsultation(
        campaign=campaign,
        commune=commune,
        district=district,
        unit_path=commune.path,
        consulted_on=consulted_on,
        comment=comment,
        recorded_by=actor,
    )
    consultation._history_user = actor
    consultation.save()
    return consultation
