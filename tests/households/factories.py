"""Building blocks for household tests: member rows and reviews as the services take them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from households.services import household_create

SURVEY_DATE = dt.date(2025, 10, 15)  # a periodic review in autumn 2025 sets the 2026 list


def member(name: str = "Nguyễn Văn An", **extra: Any) -> dict[str, Any]:
    row = {
        "full_name": name,
        "relationship": "head",
        "sex": "male",
        "birth_year": 1980,
        "ethnicity": "01",
        "has_health_insurance": True,
        "school_status": "not_applicable",
        "qualification": "upper_secondary",
        "employment": "self_employed",
    }
    row.update(extra)
    return row


def family() -> list[dict[str, Any]]:
    """A head, a spouse and a school-age child, all insured and schooled."""
    return [
        member("Nguyễn Văn An", id_number="089080000123"),
        member("Trần Thị Bình", relationship="spouse", sex="female", birth_year=1982),
        member(
            "Nguyễn Văn Cường",
            relationship="child",
            birth_year=2014,
            school_status="in_school",
            qualification="primary",
            employment="student",
        ),
    ]


def review(**extra: Any) -> dict[str, Any]:
    data = {"list_year": 2026, "survey_date": SURVEY_DATE, "income_per_capita": 1_200_000}
    data.update(extra)
    return data


def make_household(actor, commune, *, members=None, review_data=None, **extra):
    return household_create(
        actor=actor,
        commune=commune,
        members=members if members is not None else family(),
        review=review_data if review_data is not None else review(),
        **extra,
    )


def recognise(officer, chair, reviews, *, on: dt.date = dt.date(2025, 12, 1), number=None):
    """Take surveyed reviews of one commune through the meeting (all agree), a week's posting
    and the chair's decision signed `on`; returns the decision."""
    from households.campaign import services as campaigns

    commune = reviews[0].household.commune
    campaigns.meeting_record(
        actor=officer, commune=commune, village=None, held_on=on - dt.timedelta(days=10),
        attendees=10, chaired_by="Trưởng ấp", votes={r.pk: 10 for r in reviews},
    )  # fmt: skip
    campaigns.posting_record(
        actor=officer, commune=commune, village=None, posted_from=on - dt.timedelta(days=9),
        posted_to=on - dt.timedelta(days=3),
    )  # fmt: skip
    return campaigns.recognition_decide(
        actor=chair, commune=commune, number=number or f"{on:%d%m%Y}/QĐ-UBND", signed_on=on,
        review_ids=[r.pk for r in reviews],
    )  # fmt: skip
