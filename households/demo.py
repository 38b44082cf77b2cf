"""Synthetic demo households: a few hundred across several An Giang communes, with reviews.

Deterministic (a fixed random seed) and idempotent: a commune that already has households is
left alone. Every household goes through `household_create`, so demo data obeys every rule.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from households.campaign import services as campaigns
from policies.standards import standard_for_list_year
from registry.choices import Level, Scheme
from registry.models import AdminUnit, User

from .campaign.transitions import ON_LIST
from .choices import Classification, ReviewKind, ReviewStatus
from .household_year import household_years_rebuild
from .models import Campaign, Household, HouseholdYear, Review
from .services import MEMBER_FIELDS, household_create, household_update

# (scheme, commune code, households, list year, officer who enters them, how far the review
# campaign has come, who recognises)
DEMO_COMMUNES = (
    (Scheme.LEGACY, "30634", 60, 2025, "canbo.chomoi", "recognised", "admin"),
    (Scheme.CURRENT, "30313", 160, 2026, "canbo.myhoahung", "recognised", "chutich.myhoahung"),
    (Scheme.CURRENT, "30307", 90, 2026, "canbo.longxuyen", "recognised", "chutich.longxuyen"),
)
FAMILY_NAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Đặng", "Bùi", "Đỗ", "Ngô")
MIDDLE_NAMES = {"male": ("Văn", "Hữu", "Minh", "Thành", "Quốc"), "female": ("Thị", "Ngọc", "Kim")}
GIVEN_NAMES = {
    "male": ("An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khánh", "Long", "Phúc", "Tâm", "Tài"),
    "female": ("Hoa", "Lan", "Mai", "Nga", "Hạnh", "Thảo", "Trang", "Yến", "Linh", "Nhung"),
}
# Most households in An Giang are Kinh; Khơ-me (05), Chăm (17) and Hoa (04) live there too.
ETHNICITIES = ("01",) * 14 + ("05", "05", "17", "04")


def _name(rng: random.Random, sex: str, family: str | None = None) -> str:
    middle, given = rng.choice(MIDDLE_NAMES[sex]), rng.choice(GIVEN_NAMES[sex])
    return f"{family or rng.choice(FAMILY_NAMES)} {middle} {given}"


def _id_number(rng: random.Random, serial: int, birth_year: int, sex: str) -> str:
    # Decree 137/2015/NĐ-CP art. 7 layout: province 089 (An Giang), century/sex, year, serial.
    digit = 2 * ((birth_year - 1900) // 100) + (1 if sex == "female" else 0)
    return f"089{digit}{birth_year % 100:02d}{serial:06d}"


def _member(rng, *, name, relationship, sex, birth_year, ethnicity, serial, survey_year):
    age = survey_year - birth_year
    school_age = 6 <= age < 16
    return {
        "full_name": name,
        "relationship": relationship,
        "sex": sex,
        "birth_year": birth_year,
        "ethnicity": ethnicity,
        "id_number": _id_number(rng, serial, birth_year, sex)
        if age >= 14 and rng.random() < 0.8
        else None,
        "has_health_insurance": rng.random() < 0.85,
        "school_status": ("in_school" if rng.random() < 0.92 else "out_of_school")
        if school_age
        else "not_applicable",
        "qualification": rng.choice(("none", "primary", "lower_secondary", "upper_secondary"))
        if age >= 15
        else "none",
        "employment": rng.choice(("self_employed", "no_contract", "contract", "unemployed"))
        if 15 <= age < 60
        else "not_working",
        "receives_social_allowance": age >= 80 and rng.random() < 0.7,
    }


def _household_members(rng: random.Random, serial: int, survey_year: int) -> list[dict]:
    ethnicity = rng.choice(ETHNICITIES)
    head_sex = rng.choice(("male", "male", "female"))
    family = rng.choice(FAMILY_NAMES)
    head_birth = rng.randint(survey_year - 78, survey_year - 24)
    people = [
        _member(rng, name=_name(rng, head_sex, family), relationship="head", sex=head_sex,
                birth_year=head_birth, ethnicity=ethnicity, serial=serial, survey_year=survey_year)
    ]  # fmt: skip
    if rng.random() < 0.75:
        sex = "female" if head_sex == "male" else "male"
        people.append(
            _member(rng, name=_name(rng, sex), relationship="spouse", sex=sex,
                    birth_year=head_birth + rng.randint(-4, 4), ethnicity=ethnicity,
                    serial=serial + 1, survey_year=survey_year)
        )  # fmt: skip
    for child in range(rng.choice((0, 1, 1, 2, 2, 3))):
        sex = rng.choice(("male", "female"))
        people.append(
            _member(rng, name=_name(rng, sex, family), relationship="child", sex=sex,
                    birth_year=min(survey_year - 1, head_birth + rng.randint(20, 40)),
                    ethnicity=ethnicity, serial=serial + 2 + child, survey_year=survey_year)
        )  # fmt: skip
    return people


def _review(rng: random.Random, list_year: int, area_type: str) -> dict:
    standard = standard_for_list_year(list_year)
    line = standard.parameter(f"{area_type}_poverty_line").value
    # A spread around the line: poor and near-poor below it, middle-income and better above.
    income = int(
        line * rng.choice((0.5, 0.7, 0.85, 0.95, 1.1, 1.3, 1.6, 2.2, 3.0)) // 10_000 * 10_000
    )
    codes = [i.code for i in standard.indicators]
    deprived = rng.sample(codes, rng.choice((0, 0, 1, 1, 2, 3, 3, 4)))
    return {
        "list_year": list_year,
        "survey_date": min(
            dt.date(list_year - 1, rng.randint(9, 11), rng.randint(1, 28)), timezone.localdate()
        ),
        "income_per_capita": income,
        "deprivations": deprived,
        "housing_area_m2": rng.choice((None, 24, 36, 48, 60)),
    }


def _campaigns() -> None:
    """The province's campaigns: the 2025 list (three-level scheme), the 2026 list, and the 2027
    list whose review runs from 1 September to 14 December 2026 under Decree 351/2025."""
    admin = User.objects.get(username="admin")
    province_staff = User.objects.get(username="tinh.angiang")
    for scheme, code, list_year, actor in (
        (Scheme.LEGACY, "89", 2025, admin),
        (Scheme.CURRENT, "91", 2026, province_staff),
        (Scheme.CURRENT, "91", 2027, province_staff),
    ):
        province = AdminUnit.objects.get(scheme=scheme, level=Level.PROVINCE, code=code)
        if not Campaign.objects.filter(province=province, list_year=list_year).exists():
            campaigns.campaign_open(actor=actor, province=province, list_year=list_year)


def _advance(
    rng: random.Random,
    commune: AdminUnit,
    *,
    stage: str,
    chair: User,
    officer: User,
    list_year: int,
) -> None:
    """Take a commune's surveyed reviews through the meeting, posting and recognition.

    "posted": every village but the last has met, the first has posted (some objections wait);
    "recognised": every village has met and posted, and the chair recognised what can be.
    """
    villages = list(commune.children.all())
    year = list_year - 1
    for village in villages[:-1] if stage == "posted" else villages:
        reviews = Review.objects.filter(
            household__village=village, list_year=list_year, status=ReviewStatus.SURVEYED
        )
        attendees = rng.randint(30, 60)
        votes = {r.pk: attendees if rng.random() < 0.93 else attendees // 3 for r in reviews}
        campaigns.meeting_record(
            actor=officer, commune=commune, village=village, held_on=dt.date(year, 10, 20),
            attendees=attendees, chaired_by=f"Trưởng {village.name}", votes=votes,
        )  # fmt: skip
    campaigns.posting_record(
        actor=officer, commune=commune, village=villages[0] if stage == "posted" else None,
        posted_from=dt.date(year, 11, 2),
        posted_to=dt.date(year, 11, 9), place="Nhà văn hóa ấp và trụ sở UBND xã",
    )  # fmt: skip
    posted = list(
        Review.objects.filter(
            household__commune=commune, list_year=list_year, status=ReviewStatus.POSTED
        )
    )
    for review in posted[:2]:
        campaigns.objection_record(
            actor=officer, review=review, kind="wrongly_included", author="Người dân trong ấp",
            received_on=dt.date(year, 11, 5), content="Đề nghị xem lại thu nhập của hộ.",
        )  # fmt: skip
    if stage == "posted":
        return
    campaign = posted[0].campaign
    if campaigns.three_level(campaign):
        # Three-level scheme (the 2025 list): the commune consults the district after the
        # posting and before recognition (Decision 24/2021/QĐ-TTg art. 4 step 5).
        campaigns.consultation_record(
            actor=User.objects.get(username="huyen.chomoi"), campaign=campaign, commune=commune,
            consulted_on=dt.date(year, 11, 25),
            comment="UBND huyện thống nhất với kết quả rà soát của xã.",
        )  # fmt: skip
    ready = [r.pk for r in posted[2:]]
    # Signed after the posting ended and before the review period closes on 14 December.
    campaigns.recognition_decide(
        actor=chair, commune=commune, number=f"{rng.randint(100, 400)}/QĐ-UBND",
        signed_on=dt.date(year, 12, 10), review_ids=ready,
    )  # fmt: skip


def seed() -> str:
    """Create the demo households and their campaign; returns a one-line summary."""
    rng = random.Random(2026)
    created = 0
    serial = 100_000
    _campaigns()
    for scheme, code, count, list_year, username, stage, chair_name in DEMO_COMMUNES:
        commune = AdminUnit.objects.get(scheme=scheme, level=Level.COMMUNE, code=code)
        if Household.objects.filter(commune=commune).exists():
            continue
        officer = User.objects.get(username=username)
        chair = User.objects.get(username=chair_name)
        villages = list(commune.children.all()) or [None]
        with transaction.atomic():
            for index in range(count):
                serial += 10
                household_create(
                    actor=officer,
                    commune=commune,
                    village=villages[index % len(villages)],
                    address=f"Số {rng.randint(1, 300)}, tổ {rng.randint(1, 12)}",
                    phone=f"09{rng.randint(10_000_000, 99_999_999)}",
                    members=_household_members(rng, serial, list_year - 1),
                    review=_review(rng, list_year, commune.area_type),
                )
                created += 1
            _advance(rng, commune, stage=stage, chair=chair, officer=officer, list_year=list_year)
            if code == "30307":
                _monthly_2026(commune, officer=officer, chair=chair)
            if scheme == Scheme.CURRENT:
                _review_2027(rng, commune, officer=officer, chair=chair)
    # The services kept the statuses in force; a rebuild from the raw records changes nothing on
    # a fresh seed and fills them in on a database seeded before they existed.
    household_years_rebuild()
    return f"Demo households: {created} created."


def _monthly_2026(commune: AdminUnit, *, officer: User, chair: User) -> None:
    """Monthly reviews of March 2026 in Long Xuyên: a poor household asks to be recognised as
    having escaped poverty (recognised: its certificate is revoked, the escape recorded), and a
    household not on the lists asks to enter (refused in writing: its status stays)."""
    statuses = HouseholdYear.objects.filter(commune=commune, list_year=2026).order_by("household")
    poor = statuses.filter(classification=Classification.POOR).first()
    better_off = statuses.exclude(classification__in=ON_LIST).first()
    if poor is None or better_off is None:
        return
    line = standard_for_list_year(2026).parameter(f"{commune.area_type}_poverty_line").value
    reviews = []
    for status, kind in ((poor, "leave"), (better_off, "enter")):
        household = status.household
        request = campaigns.request_record(
            actor=officer, household=household, kind=kind, channel="in_person",
            form_number="04", requested_on=dt.date(2026, 3, 2),
        )  # fmt: skip
        household_update(
            actor=officer,
            household=household,
            expected_version=household.version,
            village=household.village,
            address=household.address,
            phone=household.phone,
            members=[
                {"id": m.pk, **{field: getattr(m, field) for field in MEMBER_FIELDS}}
                for m in household.members.filter(left_on__isnull=True)
            ],
            review={
                "list_year": request.cycle_start.year,
                "kind": ReviewKind.MONTHLY,
                "survey_date": request.cycle_start + dt.timedelta(days=1),
                "income_per_capita": line * 3,
                "deprivations": [],
            },
        )
        reviews.append(Review.objects.get(pk=request.review_id))
    for review in reviews:
        village = review.household.village
        campaigns.meeting_record(
            actor=officer, commune=commune, village=village, held_on=dt.date(2026, 3, 18),
            attendees=24, chaired_by=f"Trưởng {village.name}" if village else "Trưởng ấp",
            votes={review.pk: 20},
        )  # fmt: skip
        campaigns.posting_record(
            actor=officer, commune=commune, village=village, posted_from=dt.date(2026, 3, 19),
            posted_to=dt.date(2026, 3, 25), place="Nhà văn hóa ấp",
        )  # fmt: skip
    campaigns.recognition_decide(
        actor=chair, commune=commune, number="58/QĐ-UBND", signed_on=dt.date(2026, 3, 27),
        review_ids=[reviews[0].pk],
    )  # fmt: skip
    campaigns.review_refuse(
        actor=chair, review=reviews[1], reason="Thu nhập bình quân vượt chuẩn cận nghèo."
    )


def _review_2027(rng: random.Random, commune: AdminUnit, *, officer: User, chair: User) -> None:
    """The review now under way: last year's poor and near-poor households are listed, most are
    surveyed under Decree 351/2025, and in Mỹ Hòa Hưng some results already wait for the chair."""
    campaign = Campaign.objects.get(province=commune.parent, list_year=2027)
    campaigns.campaign_list_households(actor=officer, campaign=campaign, commune=commune)
    listed = Review.objects.filter(
        campaign=campaign, household__commune=commune, status=ReviewStatus.LISTED
    ).select_related("household")
    for review in listed:
        if rng.random() < 0.2:
            continue  # not surveyed yet
        household = review.household
        rows = [
            {"id": m.pk, **{field: getattr(m, field) for field in MEMBER_FIELDS}}
            for m in household.members.filter(left_on__isnull=True)
        ]
        household_update(
            actor=officer,
            household=household,
            expected_version=household.version,
            village=household.village,
            address=household.address,
            phone=household.phone,
            members=rows,
            review=_review(rng, 2027, commune.area_type),
        )
    if commune.code == "30313":
        _advance(rng, commune, stage="posted", chair=chair, officer=officer, list_year=2027)
