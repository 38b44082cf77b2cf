"""The table of routes for the access base: every route of the project, or its exemption.

Keys are the resolver's names with their namespaces ("households:household-detail"; the API's
are in the "api" namespace: "api:unit-detail", apart from the page "unit-detail"). A route with
several ways in (a list and a create, a page with and without its filter) has one entry per way.
Users: "officer" and "chair" of Xã Mỹ Hòa Hưng, "province" staff of An Giang, "empty_chair" of a
commune whose list is closed, "district" staff of Huyện Chợ Mới under the three-level scheme,
who record the consultation of Xã Kiến An (world.py).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ..households.factories import member, review
from .base import Route
from .world import (
    EXTENDED_TO,
    LEGACY_CONSULTED_ON,
    OBJECTED_ON,
    POSTED_FROM,
    POSTED_TO,
    SIGNED_ON,
    Side,
)

H = "/households"
A = "/api/v1"
FAR = ("far",)  # routes about a campaign or of province staff: asked about another province
# The district's consultation exists only under the three-level scheme: its routes are asked
# about a commune of another district of the legacy province and about another legacy province.
LEGACY = {"side": "legacy", "outside": ("legacy_outside", "legacy_far")}
# Later than the world's extension, and within the year of the list (the service's limit).
EXTEND_TO = EXTENDED_TO + dt.timedelta(days=7)


def moved_on() -> dt.date:
    """A move is recorded on a past date: yesterday, whenever the suite runs."""
    return timezone.localdate() - dt.timedelta(days=1)


def campaign(s: Side, rest: str = "") -> str:
    return f"{H}/campaigns/{s.campaign.pk}/{rest}"


def api_campaign(s: Side, rest: str = "") -> str:
    return f"{A}/campaigns/{s.campaign.pk}/{rest}"


def extend_payload(s: Side) -> dict:
    return {"closes_on": EXTEND_TO.isoformat(), "reason": "Bão số 9: cần thêm một tuần."}


def consultation_payload(s: Side) -> dict:
    return {
        "consulted_on": (LEGACY_CONSULTED_ON + dt.timedelta(days=1)).isoformat(),
        "comment": "Huyện thống nhất, đề nghị xã công nhận.",
    }


def household_payload(s: Side) -> dict:
    return {
        "commune": s.commune.pk,
        "members": [member("Đỗ Văn Mới", birth_year=1990)],
        "review": review(),
    }


def classify_payload(s: Side) -> dict:
    return {
        "commune": s.commune.pk,
        "list_year": 2026,
        "area_type": "rural",
        "income_per_capita": 1_200_000,
        "deprivations": ["D22_WATER_SOURCE"],
        "survey_date": dt.date(2025, 10, 15),
    }


ROUTES: dict[str, tuple[Route, ...]] = {
    # --- registry pages ---------------------------------------------------------------------
    "home": (Route("officer", lambda s: "/", shows=lambda s: s.commune.name),),
    "unit-detail": (Route("officer", lambda s: f"/units/{s.commune.pk}/"),),
    "village-add": (
        Route(
            "officer",
            lambda s: f"/units/{s.commune.pk}/villages/",
            method="post",
            data=lambda s: {"name": "Ấp Mới", "division_type": "ấp"},
            ok=302,
        ),
    ),
    # --- household pages --------------------------------------------------------------------
    "households:household-list": (
        Route("officer", lambda s: f"{H}/", shows=lambda s: s.household.code),
    ),
    "households:household-create": (
        # The commune the household is entered in: the officer's only one, as a hidden field.
        Route("officer", lambda s: f"{H}/new/", shows=lambda s: f'value="{s.commune.pk}"'),
    ),
    "households:classify-preview": (
        Route(
            "officer",
            lambda s: f"{H}/classify/?household={s.household.pk}",
            method="post",
            data=lambda s: {},
        ),
    ),
    "households:household-detail": (Route("officer", lambda s: f"{H}/{s.household.pk}/"),),
    "households:household-edit": (Route("officer", lambda s: f"{H}/{s.household.pk}/edit/"),),
    "households:household-move-out": (
        Route(
            "officer",
            lambda s: f"{H}/{s.household.pk}/move-out/",
            method="post",
            data=lambda s: {"on": moved_on().isoformat(), "reason": "Chuyển vào thành phố"},
            ok=302,
        ),
    ),
    "households:household-explanation": (
        Route("officer", lambda s: f"{H}/{s.household.pk}/explanation/"),
    ),
    # --- campaign pages ---------------------------------------------------------------------
    "households:campaign-list": (
        Route(
            "officer",
            lambda s: f"{H}/campaigns/",
            outside=FAR,
            shows=lambda s: f'href="{campaign(s)}"',
        ),
    ),
    "households:campaign-create": (
        Route(
            "province",
            lambda s: f"{H}/campaigns/new/",
            outside=FAR,
            shows=lambda s: f'<option value="{s.province.pk}"',
        ),
    ),
    "households:campaign-detail": (
        Route("officer", campaign, outside=FAR),
        Route("officer", lambda s: campaign(s, f"?unit={s.commune.pk}")),
    ),
    "households:campaign-list-households": (
        Route(
            "officer",
            lambda s: campaign(s, "list-households/"),
            method="post",
            data=lambda s: {"unit": s.commune.pk},
            ok=302,
        ),
    ),
    "households:campaign-close": (
        Route(
            "empty_chair",
            lambda s: campaign(s, "close/"),
            method="post",
            data=lambda s: {"unit": s.commune.pk},
            ok=302,
            side="closed",
        ),
    ),
    "households:campaign-reopen": (
        Route(
            "province",
            lambda s: campaign(s, "reopen/"),
            method="post",
            data=lambda s: {"unit": s.commune.pk, "reason": "Sót hộ ông Bảy."},
            ok=302,
            side="closed",
            outside=FAR,
        ),
    ),
    "households:campaign-extend": (
        Route("province", lambda s: campaign(s, "extend/"), outside=FAR),
        Route(
            "province",
            lambda s: campaign(s, "extend/"),
            method="post",
            data=extend_payload,
            ok=302,
            outside=FAR,
        ),
    ),
    "households:consultation-create": (
        Route("district", lambda s: campaign(s, f"consultation/?commune={s.commune.pk}"), **LEGACY),
        Route(
            "district",
            lambda s: campaign(s, f"consultation/?commune={s.commune.pk}"),
            method="post",
            data=consultation_payload,
            ok=302,
            **LEGACY,
        ),
    ),
    "households:meeting-create": (
        Route("officer", lambda s: campaign(s, f"meeting/?commune={s.commune.pk}")),
    ),
    "households:meeting-detail": (
        Route("officer", lambda s: campaign(s, f"meetings/{s.meeting.pk}/")),
    ),
    "households:posting-create": (
        Route("officer", lambda s: campaign(s, f"posting/?commune={s.commune.pk}")),
    ),
    "households:posting-list": (
        Route("officer", lambda s: campaign(s, f"posting-list/?commune={s.commune.pk}")),
    ),
    "households:objection-list": (
        Route("officer", lambda s: f"{H}/objections/", shows=lambda s: s.objected.household.code),
    ),
    "households:objection-create": (
        Route("officer", lambda s: f"{H}/objections/new/?review={s.review.pk}"),
    ),
    "households:objection-resolve": (
        Route("officer", lambda s: f"{H}/objections/{s.objection.pk}/resolve/"),
    ),
    "households:recognition-queue": (
        Route("chair", lambda s: f"{H}/recognition/", shows=lambda s: s.household.code),
        Route("chair", lambda s: f"{H}/recognition/?commune={s.commune.pk}"),
    ),
    "households:review-return": (
        Route(
            "chair",
            lambda s: f"{H}/recognition/{s.review.pk}/return/",
            method="post",
            data=lambda s: {"comment": "Thiếu chữ ký của trưởng ấp."},
            ok=302,
        ),
    ),
    "households:decision-detail": (Route("officer", lambda s: f"{H}/decisions/{s.decision.pk}/"),),
    "households:certificate-detail": (
        Route("officer", lambda s: f"{H}/certificates/{s.certificate.pk}/"),
    ),
    "households:request-list": (
        Route("officer", lambda s: f"{H}/requests/", shows=lambda s: s.monthly.household.code),
    ),
    "households:request-create": (
        Route("officer", lambda s: f"{H}/requests/new/?household={s.household.pk}"),
    ),
    # --- API: units and households -------------------------------------------------------------
    "api:api-root": (
        Route("officer", lambda s: f"{A}/", nothing_outside="it names the endpoints, no rows"),
    ),
    "api:unit-list": (
        Route("officer", lambda s: f"{A}/units/?page_size=500", shows=lambda s: s.commune),
    ),
    "api:unit-detail": (Route("officer", lambda s: f"{A}/units/{s.commune.pk}/"),),
    "api:unit-children": (Route("officer", lambda s: f"{A}/units/{s.commune.pk}/children/"),),
    "api:unit-counterparts": (
        Route("officer", lambda s: f"{A}/units/{s.commune.pk}/counterparts/"),
    ),
    "api:household-list": (
        Route("officer", lambda s: f"{A}/households/", shows=lambda s: s.household),
        Route("officer", lambda s: f"{A}/households/", "post", household_payload, ok=201),
    ),
    "api:household-check-duplicates": (
        Route(
            "officer",
            lambda s: f"{A}/households/check-duplicates/",
            "post",
            lambda s: {"commune": s.commune.pk, "members": [{"full_name": "Hộ Trong 1"}]},
        ),
    ),
    "api:household-detail": (
        Route("officer", lambda s: f"{A}/households/{s.household.pk}/"),
        Route(
            "officer",
            lambda s: f"{A}/households/{s.household.pk}/",
            "patch",
            lambda s: {"version": s.household.version, "address": "Số 9, đường Mới"},
        ),
    ),
    "api:household-history": (
        Route("officer", lambda s: f"{A}/households/{s.household.pk}/history/"),
    ),
    "api:household-move-in": (
        Route(
            "officer",
            lambda s: f"{A}/households/{s.household.pk}/move-in/",
            "post",
            lambda s: {"on": moved_on()},
            ok=201,
        ),
    ),
    "api:household-move-out": (
        Route(
            "officer",
            lambda s: f"{A}/households/{s.household.pk}/move-out/",
            "post",
            lambda s: {"on": moved_on(), "reason": "Chuyển vào thành phố"},
            ok=201,
        ),
    ),
    "api:member-list": (
        Route("officer", lambda s: f"{A}/members/?page_size=500", shows=lambda s: s.member),
    ),
    "api:member-detail": (Route("officer", lambda s: f"{A}/members/{s.member.pk}/"),),
    "api:review-list": (Route("officer", lambda s: f"{A}/reviews/", shows=lambda s: s.review),),
    "api:review-classify": (
        Route("officer", lambda s: f"{A}/reviews/classify/", "post", classify_payload),
    ),
    "api:review-detail": (Route("officer", lambda s: f"{A}/reviews/{s.review.pk}/"),),
    # --- API: the campaign -----------------------------------------------------------------------
    "api:campaign-list": (
        Route("officer", lambda s: f"{A}/campaigns/", outside=FAR, shows=lambda s: s.campaign),
        Route(
            "province",
            lambda s: f"{A}/campaigns/",
            "post",
            lambda s: {"province": s.province.pk, "list_year": 2028},
            ok=201,
            outside=FAR,
        ),
    ),
    "api:campaign-detail": (Route("officer", api_campaign, outside=FAR),),
    "api:campaign-progress": (
        Route("officer", lambda s: api_campaign(s, "progress/"), outside=FAR),
        Route("officer", lambda s: api_campaign(s, f"progress/?unit={s.commune.pk}")),
    ),
    "api:campaign-list-households": (
        Route(
            "officer",
            lambda s: api_campaign(s, "list-households/"),
            "post",
            lambda s: {"commune": s.commune.pk},
        ),
    ),
    "api:campaign-close": (
        Route(
            "empty_chair",
            lambda s: api_campaign(s, "close/"),
            "post",
            lambda s: {"unit": s.commune.pk},
            side="closed",
        ),
    ),
    "api:campaign-reopen": (
        Route(
            "province",
            lambda s: api_campaign(s, "reopen/"),
            "post",
            lambda s: {"commune": s.commune.pk, "reason": "Sót hộ ông Bảy."},
            side="closed",
            outside=FAR,
        ),
    ),
    "api:campaign-extend": (
        Route(
            "province",
            lambda s: api_campaign(s, "extend/"),
            "post",
            extend_payload,
            ok=201,
            outside=FAR,
        ),
    ),
    "api:campaign-extensions": (
        Route("officer", lambda s: api_campaign(s, "extensions/"), outside=FAR),
    ),
    "api:meeting-list": (
        Route("officer", lambda s: f"{A}/meetings/", shows=lambda s: s.meeting),
        Route(
            "officer",
            lambda s: f"{A}/meetings/",
            "post",
            lambda s: {
                "commune": s.commune.pk,
                "held_on": dt.date(2025, 10, 22),
                "attendees": 20,
                "chaired_by": "Trưởng ấp",
                "votes": [{"review": s.surveyed.pk, "agreeing": 15}],
            },
            ok=201,
        ),
    ),
    "api:meeting-detail": (Route("officer", lambda s: f"{A}/meetings/{s.meeting.pk}/"),),
    "api:posting-list": (
        Route("officer", lambda s: f"{A}/postings/", shows=lambda s: s.posting),
        Route(
            "officer",
            lambda s: f"{A}/postings/",
            "post",
            lambda s: {"commune": s.commune.pk, "posted_from": POSTED_FROM, "posted_to": POSTED_TO},
            ok=201,
        ),
    ),
    "api:posting-public-list": (
        Route("officer", lambda s: f"{A}/postings/public-list/?commune={s.commune.pk}"),
    ),
    "api:posting-minimum": (
        Route(
            "officer",
            lambda s: f"{A}/postings/minimum/",
            nothing_outside="the national minimum length of a posting, no rows",
        ),
    ),
    "api:posting-detail": (Route("officer", lambda s: f"{A}/postings/{s.posting.pk}/"),),
    "api:objection-list": (
        Route("officer", lambda s: f"{A}/objections/", shows=lambda s: s.objection),
        Route(
            "officer",
            lambda s: f"{A}/objections/",
            "post",
            lambda s: {
                "review": s.review.pk,
                "kind": "wrongly_included",
                "author": "Ông Tám",
                "received_on": OBJECTED_ON,
                "content": "Hộ mới xây nhà.",
            },
            ok=201,
        ),
    ),
    "api:objection-detail": (Route("officer", lambda s: f"{A}/objections/{s.objection.pk}/"),),
    "api:objection-resolve": (
        Route(
            "officer",
            lambda s: f"{A}/objections/{s.objection.pk}/resolve/",
            "post",
            lambda s: {"outcome": "rejected", "resolution": "Xe của người thuê nhà."},
        ),
    ),
    "api:consultation-list": (
        Route(
            "district", lambda s: f"{A}/consultations/", shows=lambda s: s.consultation, **LEGACY
        ),
        Route(
            "district",
            lambda s: f"{A}/consultations/",
            "post",
            lambda s: {
                "campaign": s.campaign.pk,
                "commune": s.commune.pk,
                **consultation_payload(s),
            },
            ok=201,
            **LEGACY,
        ),
    ),
    "api:consultation-detail": (
        Route("district", lambda s: f"{A}/consultations/{s.consultation.pk}/", **LEGACY),
    ),
    "api:chair-queue-list": (
        Route("chair", lambda s: f"{A}/recognition/queue/", shows=lambda s: s.review),
    ),
    "api:decision-list": (
        Route("officer", lambda s: f"{A}/recognition/decisions/", shows=lambda s: s.decision),
        Route(
            "chair",
            lambda s: f"{A}/recognition/decisions/",
            "post",
            lambda s: {
                "commune": s.commune.pk,
                "number": "99/QĐ-UBND",
                "signed_on": SIGNED_ON,
                "reviews": [s.review.pk],
            },
            ok=201,
        ),
    ),
    "api:decision-detail": (
        Route("officer", lambda s: f"{A}/recognition/decisions/{s.decision.pk}/"),
    ),
    "api:certificate-list": (
        Route("officer", lambda s: f"{A}/certificates/", shows=lambda s: s.certificate),
    ),
    "api:certificate-detail": (
        Route("officer", lambda s: f"{A}/certificates/{s.certificate.pk}/"),
    ),
    "api:campaign-review-refuse": (
        Route(
            "chair",
            lambda s: f"{A}/campaign-reviews/{s.monthly.pk}/refuse/",
            "post",
            lambda s: {"reason": "Thu nhập vượt chuẩn cận nghèo."},
        ),
    ),
    "api:campaign-review-return": (
        Route(
            "chair",
            lambda s: f"{A}/campaign-reviews/{s.review.pk}/return/",
            "post",
            lambda s: {"comment": "Thiếu biên bản họp."},
        ),
    ),
    "api:campaign-review-steps": (
        Route("officer", lambda s: f"{A}/campaign-reviews/{s.review.pk}/steps/"),
    ),
    "api:review-request-list": (
        Route("officer", lambda s: f"{A}/requests/", shows=lambda s: s.request),
        Route(
            "officer",
            lambda s: f"{A}/requests/",
            "post",
            lambda s: {
                "household": s.household.pk,
                "kind": "enter",
                "channel": "in_person",
                "form_number": "01",
                "requested_on": timezone.localdate(),
            },
            ok=201,
        ),
    ),
    "api:review-request-detail": (Route("officer", lambda s: f"{A}/requests/{s.request.pk}/"),),
    "api:status-change-list": (
        Route("officer", lambda s: f"{A}/status-changes/", shows=lambda s: s.status_change),
    ),
}

# Routes the access base does not check, each with the reason.
EXEMPT: dict[str, str] = {
    "login": "the login page is for anonymous users; it holds no registry data",
    "logout": "logging out holds no registry data",
    "set_language": "Django's i18n view: it only sets the language cookie",
    "schema": "the OpenAPI schema describes the API; it holds no registry data",
    "api-docs": "the Swagger page renders the schema; no registry data",
    "api-redoc": "the ReDoc page renders the schema; no registry data",
}
# Django's admin (its own permission model: staff users and model permissions), by namespace.
EXEMPT_NAMESPACES: dict[str, str] = {
    "admin": "Django's admin checks is_staff and model permissions; its querysets are scoped "
    "in each ModelAdmin and tested with them",
}

# --- support: entitlements ----------------------------------------------------------------------
S = "/support"


def entitlement_month(s: Side) -> str:
    """The month the side's entitlement starts in (the world's list is the 2026 one)."""
    return f"{s.entitlement.valid_from:%Y-%m}"


ROUTES.update(
    {
        "support:entitlement-list": (
            Route("officer", lambda s: f"{S}/entitlements/", shows=lambda s: s.recognised.code),
        ),
        "support:entitlement-due": (
            Route(
                "officer",
                lambda s: f"{S}/entitlements/due/?month=2026-01",
                shows=lambda s: s.recognised.code,
            ),
        ),
        "api:entitlement-list": (
            Route("officer", lambda s: f"{A}/entitlements/", shows=lambda s: s.entitlement),
        ),
        "api:entitlement-detail": (
            Route("officer", lambda s: f"{A}/entitlements/{s.entitlement.pk}/"),
        ),
        "api:entitlement-due": (
            Route(
                "officer",
                lambda s: f"{A}/entitlements/due/?month=2026-01",
                nothing_outside="its rows of other communes are checked absent in "
                "tests/support/test_entitlements_pages.py",
            ),
        ),
    }
)
