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


# --- support: disbursements (policies/support) ---
S = "/support"


def _programme_id(code: str) -> int:
    from policies.support.models import Programme

    return Programme.objects.get(code=code).pk


def job_payload(s: Side) -> dict:
    """A job placement in the province for the recognised household's head."""
    return {
        "programme": _programme_id("job_placement"),
        "household": s.recognised.pk,
        "member": s.recognised.members.get(relationship="head").pk
        if hasattr(s.recognised, "members")
        else s.recognised.pk,
        "paid_on": dt.date(2026, 2, 1),
        "variant": "in_province",
        "reference": "VL-01",
    }


def batch_payload(s: Side) -> dict:
    return {
        "programme": _programme_id("bhyt"),
        "commune": s.commune.pk,
        "period": "2026",
        "paid_on": dt.date(2026, 2, 1),
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
    "households:household-export": (
        # The form offers the units of the user's area, and a unit outside it answers 404.
        Route(
            "officer", lambda s: f"{H}/export/", shows=lambda s: f'<option value="{s.commune.pk}"'
        ),
        Route("officer", lambda s: f"{H}/export/?unit={s.commune.pk}&format=xlsx&numbering=qd121"),
        Route(
            "officer",
            lambda s: f"{H}/export/?unit={s.commune.pk}&format=csv&table=members&numbering=qd121",
        ),
        Route(
            "province",
            lambda s: f"{H}/export/?unit={s.commune.pk}&format=csv&numbering=census",
            outside=FAR,
        ),
    ),
    "households:interchange-template": (
        Route(
            "officer",
            lambda s: f"{H}/interchange/template.xlsx",
            nothing_outside="the blank template holds no registry data, the same for everyone",
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
    # --- support: disbursements (policies/support) -----------------------------------------------
    **{
        "support:disbursement-list": (
            Route("officer", lambda s: f"{S}/disbursements/", shows=lambda s: s.recognised.code),
        ),
        "support:disbursement-create": (
            # The households the officer may pay: those of their commune.
            Route(
                "officer", lambda s: f"{S}/disbursements/new/", shows=lambda s: s.recognised.code
            ),
        ),
        "support:disbursement-reverse": (
            Route("officer", lambda s: f"{S}/disbursements/{s.disbursement.pk}/reverse/"),
            Route(
                "officer",
                lambda s: f"{S}/disbursements/{s.disbursement.pk}/reverse/",
                method="post",
                data=lambda s: {"reason": "Nhầm người nhận"},
                ok=302,
            ),
        ),
        "support:disbursement-batch-list": (
            Route(
                "officer",
                lambda s: f"{S}/batches/",
                shows=lambda s: f'href="{S}/batches/{s.batch.pk}/"',
            ),
        ),
        "support:disbursement-batch-create": (
            Route(
                "officer",
                lambda s: f"{S}/batches/new/",
                shows=lambda s: f'<option value="{s.commune.pk}"',
            ),
        ),
        "support:disbursement-batch-detail": (
            Route("officer", lambda s: f"{S}/batches/{s.batch.pk}/"),
        ),
        "api:disbursement-list": (
            Route("officer", lambda s: f"{A}/disbursements/", shows=lambda s: s.disbursement),
            Route("officer", lambda s: f"{A}/disbursements/", "post", job_payload, ok=201),
        ),
        "api:disbursement-detail": (
            Route("officer", lambda s: f"{A}/disbursements/{s.disbursement.pk}/"),
        ),
        "api:disbursement-reverse": (
            Route(
                "officer",
                lambda s: f"{A}/disbursements/{s.disbursement.pk}/reverse/",
                "post",
                lambda s: {"reason": "Nhầm người nhận"},
                ok=201,
            ),
        ),
        "api:disbursement-batch-list": (
            Route("officer", lambda s: f"{A}/disbursement-batches/", shows=lambda s: s.batch),
            Route("officer", lambda s: f"{A}/disbursement-batches/", "post", batch_payload, ok=201),
        ),
        "api:disbursement-batch-detail": (
            Route("officer", lambda s: f"{A}/disbursement-batches/{s.batch.pk}/"),
        ),
    },
}

# --- support: priority lists (policies/support/views/priority.py, api/priority.py) -----------
S = "/support"


def _programme_id(code: str) -> int:
    from policies.support.models import Programme

    return Programme.objects.get(code=code).pk


def priority_list(s: Side, rest: str = "") -> str:
    return f"{S}/priority-lists/{s.priority_list.pk}/{rest}"


def priority_entry(s: Side, rest: str) -> str:
    return f"{S}/priority-entries/{s.priority_entry.pk}/{rest}"


def api_priority_list(s: Side, rest: str = "") -> str:
    return f"{A}/priority-lists/{s.priority_list.pk}/{rest}"


def api_priority_entry(s: Side, rest: str = "") -> str:
    return f"{A}/priority-entries/{s.priority_entry.pk}/{rest}"


PRIORITY_ROUTES: dict[str, tuple[Route, ...]] = {
    "support:priority-list-list": (
        Route(
            "officer",
            lambda s: f"{S}/priority-lists/",
            shows=lambda s: f'href="{priority_list(s)}"',
        ),
    ),
    "support:priority-list-create": (
        Route(
            "officer",
            lambda s: f"{S}/priority-lists/new/",
            shows=lambda s: f'<option value="{s.commune.pk}"',
        ),
    ),
    "support:priority-list-detail": (Route("officer", priority_list),),
    "support:priority-entry-add": (Route("officer", lambda s: priority_list(s, "add/")),),
    "support:priority-list-decide": (Route("officer", lambda s: priority_list(s, "decide/")),),
    "support:priority-list-reopen": (
        Route(
            "chair",
            lambda s: f"{S}/priority-lists/{s.decided_list.pk}/reopen/",
            method="post",
            data=lambda s: {"reason": "Sót hộ bà Năm."},
            ok=302,
        ),
    ),
    "support:priority-entry-move": (
        Route(
            "officer",
            lambda s: priority_entry(s, "move/"),
            method="post",
            data=lambda s: {"rank": 1},
            ok=302,
        ),
    ),
    "support:priority-entry-withdraw": (
        Route(
            "officer",
            lambda s: priority_entry(s, "withdraw/"),
            method="post",
            data=lambda s: {"reason": "Hộ đã chuyển đi."},
            ok=302,
        ),
    ),
    "support:priority-entry-reason": (
        Route(
            "officer",
            lambda s: priority_entry(s, "reason/"),
            method="post",
            data=lambda s: {"reason": "Nhà dột nát, có người khuyết tật."},
            ok=302,
        ),
    ),
    "api:priority-list-list": (
        Route("officer", lambda s: f"{A}/priority-lists/", shows=lambda s: s.priority_list),
        Route(
            "officer",
            lambda s: f"{A}/priority-lists/",
            "post",
            lambda s: {
                "programme": _programme_id("residential_land"),
                "year": 2027,
                "commune": s.commune.pk,
            },
            ok=201,
        ),
    ),
    "api:priority-list-detail": (Route("officer", api_priority_list),),
    "api:priority-list-entries": (
        Route(
            "officer",
            lambda s: api_priority_list(s, "entries/"),
            "post",
            lambda s: {"household": s.priority_candidate.pk, "reason": "Nhà tạm."},
            ok=201,
        ),
    ),
    "api:priority-list-decide": (
        Route(
            "officer",
            lambda s: api_priority_list(s, "decide/"),
            "post",
            lambda s: {"meeting_on": "2026-03-10", "attendees": 30, "agreed": 20},
        ),
    ),
    "api:priority-list-reopen": (
        Route(
            "chair",
            lambda s: f"{A}/priority-lists/{s.decided_list.pk}/reopen/",
            "post",
            lambda s: {"reason": "Sót hộ bà Năm."},
        ),
    ),
    "api:priority-entry-detail": (Route("officer", api_priority_entry),),
    "api:priority-entry-move": (
        Route("officer", lambda s: api_priority_entry(s, "move/"), "post", lambda s: {"rank": 1}),
    ),
    "api:priority-entry-withdraw": (
        Route(
            "officer",
            lambda s: api_priority_entry(s, "withdraw/"),
            "post",
            lambda s: {"reason": "Hộ đã chuyển đi."},
        ),
    ),
}
ROUTES.update(PRIORITY_ROUTES)

# --- support: allocations ---------------------------------------------------------------------
S = "/support"


def electricity() -> int:
    from policies.support.models import Programme

    return Programme.objects.get(code="electricity").pk


def plan_query(s: Side, unit=None, year: int = 2026) -> str:
    unit = unit if unit is not None else s.commune
    return f"programme={electricity()}&year={year}&unit={unit.pk}"


def allocation_payload(s: Side) -> dict:
    return {
        "programme": electricity(),
        "year": 2026,
        "unit": s.commune.pk,
        "quantity": 10,
        "amount": 1_000_000,
        "reason": "Điều chỉnh theo thực tế",
    }


def local_programme_payload(s: Side) -> dict:
    return {
        "province": s.province.pk,
        "code": "access_new_local",
        "name_vi": "Hỗ trợ mới",
        "name_en": "New support",
        "legal_basis": "Nghị quyết HĐND tỉnh",
        "benefit_kind": "subsidy",
        "beneficiary": "household",
        "period_kind": "year",
        "count_unit": "household",
        "amount_rule": "fixed",
        "funding_sources": ["local"],
        "valid_from": "2026-01-01",
    }


def parameter_payload(s: Side) -> dict:
    return {"key": "amount", "value": 500_000, "valid_from": "2026-06-01", "source": "NQ HĐND"}


ROUTES.update(
    {
        "support:home": (
            Route("officer", lambda s: f"{S}/", outside=FAR, shows=lambda s: s.programme.name_vi),
        ),
        "support:programme-create": (
            Route(
                "province",
                lambda s: f"{S}/programmes/new/",
                nothing_outside="a blank form for a programme of the user's own province",
            ),
        ),
        "support:programme-detail": (
            Route("officer", lambda s: f"{S}/programmes/{s.programme.pk}/", outside=FAR),
        ),
        "support:programme-edit": (
            Route("province", lambda s: f"{S}/programmes/{s.programme.pk}/edit/", outside=FAR),
        ),
        "support:parameter-add": (
            Route(
                "province",
                lambda s: f"{S}/programmes/{s.programme.pk}/parameters/new/",
                outside=FAR,
            ),
            Route(
                "province",
                lambda s: f"{S}/programmes/{s.programme.pk}/parameters/new/",
                method="post",
                data=lambda s: {**parameter_payload(s), "unit": "VND"},
                ok=302,
                outside=FAR,
            ),
        ),
        "support:plan": (
            Route("officer", lambda s: f"{S}/plan/?{plan_query(s)}"),
            Route("province", lambda s: f"{S}/plan/?{plan_query(s, s.province)}", outside=FAR),
            Route("officer", lambda s: f"{S}/plan/?year=2026&unit={s.commune.pk}"),
        ),
        "support:allocation-set": (
            Route("province", lambda s: f"{S}/allocations/set/?{plan_query(s)}", outside=FAR),
            Route(
                "province",
                lambda s: f"{S}/allocations/set/",
                method="post",
                data=allocation_payload,
                ok=302,
                outside=FAR,
            ),
            Route(
                "district", lambda s: f"{S}/allocations/set/?{plan_query(s, year=2025)}", **LEGACY
            ),
        ),
        "support:allocation-detail": (
            Route("officer", lambda s: f"{S}/allocations/{s.allocation.pk}/"),
        ),
        "support:allocation-override": (
            Route(
                "province", lambda s: f"{S}/allocations/{s.allocation.pk}/override/", outside=FAR
            ),
            Route(
                "district",
                lambda s: f"{S}/allocations/{s.allocation.pk}/override/",
                method="post",
                data=lambda s: {"extra_amount": "500.000", "reason": "Lũ lụt"},
                ok=302,
                **LEGACY,
            ),
        ),
        "api:programme-list": (
            Route(
                "officer", lambda s: f"{A}/programmes/", outside=FAR, shows=lambda s: s.programme
            ),
            Route(
                "province",
                lambda s: f"{A}/programmes/",
                "post",
                local_programme_payload,
                ok=201,
                outside=FAR,
            ),
        ),
        "api:programme-detail": (
            Route("officer", lambda s: f"{A}/programmes/{s.programme.pk}/", outside=FAR),
            Route(
                "province",
                lambda s: f"{A}/programmes/{s.programme.pk}/",
                "patch",
                lambda s: {"name_vi": "Quà Tết (sửa)"},
                outside=FAR,
            ),
        ),
        "api:programme-parameters": (
            Route("officer", lambda s: f"{A}/programmes/{s.programme.pk}/parameters/", outside=FAR),
            Route(
                "province",
                lambda s: f"{A}/programmes/{s.programme.pk}/parameters/",
                "post",
                parameter_payload,
                ok=201,
                outside=FAR,
            ),
        ),
        "api:allocation-list": (
            Route("officer", lambda s: f"{A}/allocations/", shows=lambda s: s.allocation),
            Route(
                "province",
                lambda s: f"{A}/allocations/",
                "post",
                allocation_payload,
                ok=201,
                outside=FAR,
            ),
        ),
        "api:allocation-detail": (
            Route("officer", lambda s: f"{A}/allocations/{s.allocation.pk}/"),
            Route(
                "province",
                lambda s: f"{A}/allocations/{s.allocation.pk}/",
                "patch",
                lambda s: {"amount": 2_000_000, "reason": "Bổ sung"},
                outside=FAR,
            ),
        ),
        "api:allocation-history": (
            Route("officer", lambda s: f"{A}/allocations/{s.allocation.pk}/history/"),
        ),
        "api:allocation-override": (
            Route("officer", lambda s: f"{A}/allocations/{s.allocation.pk}/override/"),
            Route(
                "province",
                lambda s: f"{A}/allocations/{s.allocation.pk}/override/",
                "post",
                lambda s: {"extra_quantity": 2, "reason": "Hộ mới phát sinh"},
                ok=201,
                outside=FAR,
            ),
        ),
        "api:plan-vs-actual-list": (
            Route("officer", lambda s: f"{A}/plan-vs-actual/?{plan_query(s)}"),
            Route(
                "province",
                lambda s: f"{A}/plan-vs-actual/?{plan_query(s, s.province)}",
                outside=FAR,
            ),
        ),
        "api:plan-vs-actual-summary": (
            Route(
                "officer", lambda s: f"{A}/plan-vs-actual/summary/?year=2026&unit={s.commune.pk}"
            ),
        ),
    }
)

# Routes the access base does not check, each with the reason.
EXEMPT: dict[str, str] = {
    "login": "the login page is for anonymous users; it holds no registry data",
    "logout": "logging out holds no registry data",
    "set_language": "Django's i18n view: it only sets the language cookie",
    "schema": "the OpenAPI schema describes the API; it holds no registry data",
    "api-docs": "the Swagger page renders the schema; no registry data",
    "api-redoc": "the ReDoc page renders the schema; no registry data",
    # --- reports: api ---
    "api:open-kpi-unit-detail": "the open data: off by default (404), public when switched on, "
    "small counts suppressed; tested in tests/reports/test_api_open.py",
    "api:open-kpi-unit-children": "the open data, as above",
    # --- ops: health ---
    "health": "the health check is for monitors, open to anyone: the state of the database and "
    "the task queue, no registry data (tests/registry/test_health.py)",
    # --- hostile ---
    "api:not-found": "a path under /api/v1/ naming no endpoint: 404 for everyone, no data",
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


# --- reports: yearly ---
Y = "/reports/units"
YEARLY_YEAR = 2026  # the world's list


def _parent_pk(s: Side) -> int:
    """The district of the side's legacy commune (a missing commune: a missing district)."""
    return getattr(s.commune, "parent_id", s.commune.pk)


ROUTES.update(
    {
        "reports:yearly": (
            Route("officer", lambda s: f"{Y}/{s.commune.pk}/yearly/?year={YEARLY_YEAR}"),
            Route(
                "province",
                lambda s: f"{Y}/{s.province.pk}/yearly/?year={YEARLY_YEAR}",
                outside=FAR,
            ),
            Route("district", lambda s: f"{Y}/{_parent_pk(s)}/yearly/?year=2025", **LEGACY),
        ),
        "reports:yearly-xlsx": (
            Route("officer", lambda s: f"{Y}/{s.commune.pk}/yearly/xlsx/?year={YEARLY_YEAR}"),
            Route(
                "province",
                lambda s: f"{Y}/{s.province.pk}/yearly/xlsx/?year={YEARLY_YEAR}",
                outside=FAR,
            ),
        ),
        "reports:yearly-entries": (
            Route("officer", lambda s: f"{Y}/{s.commune.pk}/yearly/entries/?year={YEARLY_YEAR}"),
            Route(
                "officer",
                lambda s: f"{Y}/{s.commune.pk}/yearly/entries/?year={YEARLY_YEAR}",
                method="post",
                data=lambda s: {"bhyt_cards": "12", "bhyt_cards__note": "Đối tượng BTXH"},
                ok=302,
            ),
        ),
    }
)


# --- reports: api ---
# KPIs of the side's commune (another commune's answer as a missing unit's), of the units under
# its province (asked about another province), and its series.
ROUTES.update(
    {
        "api:kpi-unit-detail": (
            Route("officer", lambda s: f"{A}/kpis/units/{s.commune.pk}/?year=2026"),
        ),
        "api:kpi-unit-children": (
            Route(
                "province",
                lambda s: f"{A}/kpis/units/{s.province.pk}/children/?year=2026",
                outside=FAR,
            ),
            Route("officer", lambda s: f"{A}/kpis/units/{s.commune.pk}/children/"),
            # The district's communes under the three-level scheme.
            Route(
                "district",
                lambda s: f"{A}/kpis/units/{_parent_pk(s)}/children/?year=2025",
                **LEGACY,
            ),
        ),
        "api:kpi-unit-series": (
            Route("officer", lambda s: f"{A}/kpis/units/{s.commune.pk}/series/"),
        ),
    }
)


# --- reports: dashboards ------------------------------------------------------------------------
R = "/reports"


def district_of(s: Side) -> int:
    """The district of the side's (three-level) commune; a missing side's stands for a missing
    district."""
    return getattr(s.commune, "parent_id", None) or s.commune.pk


def resident_payload(s: Side) -> dict:
    return {"year": 2026, "households": 150, "source": "Dữ liệu dân cư của Công an xã"}


def target_payload(s: Side) -> dict:
    return {
        "measure": "poor_rate",
        "kind": "below_by",
        "value": "3",
        "from_year": 2026,
        "to_year": 2030,
        "basis": "Nghị quyết giảm nghèo của HĐND tỉnh",
    }


ROUTES.update(
    {
        "reports:home": (
            Route(
                "officer",
                lambda s: f"{R}/",
                ok=302,
                nothing_outside="it sends the user to their own unit's dashboard",
            ),
        ),
        "reports:unit-dashboard": (
            Route("officer", lambda s: f"{R}/units/{s.commune.pk}/"),
            Route("officer", lambda s: f"{R}/units/{s.commune.pk}/?year=2025&sort=-poor_rate"),
            Route("province", lambda s: f"{R}/units/{s.province.pk}/", outside=FAR),
            # The table of the province's communes: its own, none of another province.
            Route(
                "province",
                lambda s: f"{R}/units/{s.province.pk}/?year=2026",
                outside=FAR,
                shows=lambda s: f">{s.commune.name}</a>",
            ),
            Route("district", lambda s: f"{R}/units/{district_of(s)}/", **LEGACY),
        ),
        "reports:resident-count": (
            Route("officer", lambda s: f"{R}/units/{s.commune.pk}/residents/?year=2026"),
            Route(
                "officer",
                lambda s: f"{R}/units/{s.commune.pk}/residents/",
                "post",
                resident_payload,
                ok=302,
            ),
        ),
        "reports:target-list": (
            Route("province", lambda s: f"{R}/units/{s.province.pk}/targets/", outside=FAR),
            Route(
                "province",
                lambda s: f"{R}/units/{s.province.pk}/targets/",
                "post",
                target_payload,
                ok=302,
                outside=FAR,
            ),
        ),
        "reports:target-edit": (
            Route("province", lambda s: f"{R}/targets/{s.target.pk}/", outside=FAR),
            Route(
                "province",
                lambda s: f"{R}/targets/{s.target.pk}/",
                "post",
                target_payload,
                ok=302,
                outside=FAR,
            ),
        ),
    }
)


# --- interchange: import, export and their jobs ---------------------------------------------------
# A job is its owner's only: the other side's job (another officer's) answers as a missing one.
J = f"{H}/jobs"


def import_payload(s: Side) -> dict:
    from ..households.interchange_fakes import csv_upload

    return {"unit": s.commune.pk, "file": csv_upload("H1,2025,30313"), "numbering": "qd121"}


ROUTES.update(
    {
        "households:import-upload": (
            # The officer's commune, the district staff's district: the only unit offered.
            Route("officer", lambda s: f"{H}/import/", shows=lambda s: f'value="{s.commune.pk}"'),
            Route(
                "district",
                lambda s: f"{H}/import/",
                shows=lambda s: f'value="{district_of(s)}"',
                **LEGACY,
            ),
            Route(
                "officer",
                lambda s: f"{H}/import/",
                "post",
                import_payload,
                ok=302,
                nothing_outside="the unit is a choice among the user's own: another commune is "
                "refused by the form as a missing one is (tests/households/"
                "test_interchange_pages.py)",
            ),
        ),
        "households:export-create": (
            Route(
                "officer",
                lambda s: f"{H}/export/job/",
                "post",
                lambda s: {"unit": s.commune.pk, "format": "xlsx", "numbering": "qd121"},
                ok=302,
                nothing_outside="the unit is a choice among the user's own: another is refused "
                "by the form as a missing one is (tests/households/test_interchange_pages.py)",
            ),
        ),
        "households:job-list": (
            Route("officer", lambda s: f"{J}/", shows=lambda s: f'href="{J}/{s.job.pk}/"'),
            Route("officer", lambda s: f"{J}/", shows=lambda s: f'href="{J}/{s.export_job.pk}/"'),
        ),
        "households:job-detail": (
            Route("officer", lambda s: f"{J}/{s.job.pk}/"),
            Route("officer", lambda s: f"{J}/{s.export_job.pk}/"),
        ),
        "households:job-status": (Route("officer", lambda s: f"{J}/{s.job.pk}/status/"),),
        "households:job-report": (Route("officer", lambda s: f"{J}/{s.job.pk}/report.csv"),),
        "households:job-download": (
            Route("officer", lambda s: f"{J}/{s.export_job.pk}/download/"),
        ),
    }
)


# --- secure: API tokens ---------------------------------------------------------------------------
# A token is its owner's only: the other side's (another officer's) is neither listed nor revoked.
ROUTES.update(
    {
        "token-list": (
            Route(
                "officer",
                lambda s: "/account/tokens/",
                shows=lambda s: f"<td>{s.api_token.name}</td>",
                outside=("outside",),
            ),
            Route(
                "officer",
                lambda s: "/account/tokens/",
                "post",
                lambda s: {"name": "Phần mềm báo cáo", "days": "7"},
                ok=201,
                nothing_outside="it makes a token of the user's own; the other's are not "
                "listed (the entry above)",
            ),
        ),
        "token-revoke": (
            Route(
                "officer",
                lambda s: f"/account/tokens/{s.api_token.pk}/revoke/",
                "post",
                lambda s: {},
                ok=302,
                outside=("outside",),
            ),
        ),
    }
)
