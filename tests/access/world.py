"""One small world for the access tests: a commune with a row of every kind, another commune
of the same province with the same rows, a campaign of another province, and a commune whose
list can be closed; and for the district's consultation, which only campaigns of the three-level
scheme have, a legacy commune with the rows of that step, a commune of another district of the
same legacy province, and a legacy campaign of another province. Built once for the package
through the services, as users build it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from itertools import count
from types import SimpleNamespace
from typing import Any

from django.utils import timezone
from rest_framework.test import APIClient

from households.campaign import services as campaigns
from households.models import Household, Review
from households.services import MEMBER_FIELDS, household_update
from policies.support.catalogue import load_catalogue
from policies.support.models import Entitlement
from registry.choices import Level, Role, Scheme
from registry.models import AdminUnit, User
from registry.services import assignment_create, village_create

from ..conftest import AN_GIANG, HA_NOI, KIEN_AN, LONG_XUYEN, MY_HOA_HUNG
from ..households.factories import make_household, member, review

LIST_YEAR = 2026
OPENS, CLOSES = dt.date(2025, 9, 1), dt.date(2025, 12, 14)
MET_ON = dt.date(2025, 10, 20)
POSTED_FROM, POSTED_TO = dt.date(2025, 10, 21), dt.date(2025, 10, 31)
OBJECTED_ON = dt.date(2025, 10, 25)
SIGNED_ON = dt.date(2025, 11, 5)
# A commune of An Giang with no household: its list can be closed at once.
EMPTY_COMMUNE = "30316"  # Phường Châu Đốc
# The province extends the review once (recorded with its reason), so the campaign has an
# extension to show; it then closes on EXTENDED_TO.
EXTENDED_TO = dt.date(2025, 12, 20)
SETTLED = dt.date(2015, 1, 1)  # support: when the recognised households' members joined

# The three-level scheme (lists set before 1 July 2025): An Giang of the time and the 2025 list,
# reviewed from 1 September to 14 December 2024; its communes consult their district after the
# posting and before recognition (Decision 24/2021/QĐ-TTg art. 4 step 5).
LEGACY_PROVINCE = "89"
LEGACY_LIST_YEAR = 2025
LEGACY_SURVEYED_ON = dt.date(2024, 10, 1)
LEGACY_MET_ON = dt.date(2024, 11, 1)
LEGACY_POSTED_FROM, LEGACY_POSTED_TO = dt.date(2024, 11, 5), dt.date(2024, 11, 14)
LEGACY_CONSULTED_ON = dt.date(2024, 11, 20)
LEGACY_SIGNED_ON = dt.date(2024, 12, 1)
LEGACY_OTHER_COMMUNE = "30682"  # Thị trấn Núi Sập, Huyện Thoại Sơn (another district)

_serial = count(1)


@dataclass(frozen=True)
class Side:
    """The rows of one area: what a route is asked about, in scope or out of it."""

    province: Any
    campaign: Any
    commune: Any
    village: Any = None
    household: Any = None  # posted, waiting for the chair, no objection
    member: Any = None  # the head of `household`
    review: Any = None  # the review of `household`
    recognised: Any = None  # a household recognised by `decision`, with a certificate
    objected: Any = None  # a posted review with an open `objection`
    objection: Any = None
    surveyed: Any = None  # a surveyed review, for the village meeting
    discussed: Any = None  # agreed at a meeting, not posted yet
    monthly: Any = None  # a posted monthly review (from `request`)
    request: Any = None
    meeting: Any = None
    posting: Any = None
    decision: Any = None
    certificate: Any = None
    status_change: Any = None
    consultation: Any = None  # the district's consultation (three-level scheme only)
    # --- support: priority lists (policies.support.services.priority) ---
    priority_list: Any = None  # a draft list, `recognised` proposed at place 1
    priority_entry: Any = None
    priority_candidate: Any = None  # a recognised household not on the list yet
    decided_list: Any = None  # a list adopted at a village meeting
    # --- support: disbursements (policies/support) ---
    disbursement: Any = None  # a health-insurance card of the head of `recognised`
    batch: Any = None  # the batch that gave the commune's other listed members their cards
    # --- support: allocations (see _support_allocations) ---
    programme: Any = None  # a local programme of the side's province
    plan: Any = None  # the province's plan of the electricity subsidy
    allocation: Any = None  # the commune's allocation of it
    # --- support: entitlements ---
    entitlement: Any = None  # the health-insurance card of the head of `recognised`
    # --- reports: dashboards ---
    target: Any = None  # a poverty-reduction target of the side's province
    # --- interchange: jobs ---
    job: Any = None  # the officer's import of a file with an error (its report kept)
    export_job: Any = None  # the officer's export of the commune (its file written)
    # --- secure: API tokens ---
    api_token: Any = None  # the officer's API token (another officer's on the other side)


# Stands for a row that does not exist: its id is unused (and a valid 32-bit integer).
MISSING = SimpleNamespace(pk=2_000_000_000, version=1, code="00000-00000")


def missing(side: Side, *, keep: tuple[str, ...] = ()) -> Side:
    """The same side with every row but `keep` replaced by one that does not exist."""
    return replace(
        side, **{name: MISSING for name in Side.__dataclass_fields__ if name not in keep}
    )


@dataclass
class World:
    users: dict[str, User]
    sides: dict[str, Side]


def _unit(scheme: str, level: str, code: str) -> AdminUnit:
    return AdminUnit.objects.get(scheme=scheme, level=level, code=code)


def _user(role: str, unit: AdminUnit | None, username: str) -> User:
    user = User.objects.create_user(username=username, password="pw-Ansinh-123")
    assignment_create(user=user, role=role, unit=unit)
    return user


def _surveyed(officer: User, commune: AdminUnit, village: AdminUnit, name: str) -> Review:
    household = make_household(
        officer,
        commune,
        village=village,
        members=[
            member(name),
            member(f"Vợ {name}", relationship="spouse", sex="female", birth_year=1983),
        ],
        review_data=review(),
    )
    return household.reviews.get()


def _meet(officer: User, commune: AdminUnit, reviews: list[Review]):
    return campaigns.meeting_record(
        actor=officer,
        commune=commune,
        village=None,
        held_on=MET_ON,
        attendees=40,
        chaired_by="Trưởng ấp",
        votes={r.pk: 30 for r in reviews},
    )


def _post(officer: User, commune: AdminUnit):
    return campaigns.posting_record(
        actor=officer,
        commune=commune,
        village=None,
        posted_from=POSTED_FROM,
        posted_to=POSTED_TO,
    )


def _object_to(officer: User, target: Review):
    return campaigns.objection_record(
        actor=officer,
        review=Review.objects.get(pk=target.pk),
        kind="wrongly_included",
        author="Bà Sáu",
        received_on=OBJECTED_ON,
        content="Hộ có xe tải.",
    )


def _ask(officer: User, household: Household):
    return campaigns.request_record(
        actor=officer,
        household=household,
        kind="enter",
        channel="in_person",
        form_number="01",
        requested_on=timezone.localdate(),
    )


def _monthly_posted(officer: User, commune: AdminUnit, village: AdminUnit, name: str):
    """A household's monthly request, its review surveyed, agreed at a meeting and posted; the
    household's periodic review stays surveyed."""
    periodic = _surveyed(officer, commune, village, name)
    household = periodic.household
    request = _ask(officer, household)
    facts = review(
        list_year=request.review.list_year, kind="monthly", survey_date=timezone.localdate()
    )
    client = APIClient()
    client.force_authenticate(officer)
    response = client.patch(
        f"/api/v1/households/{household.pk}/",
        {"version": household.version, "review": facts},
        format="json",
    )
    assert response.status_code == 200, response.content
    _meet(officer, commune, [request.review])
    _post(officer, commune)
    return periodic, Review.objects.get(pk=request.review.pk), request


def _side(
    province: AdminUnit, campaign, officer: User, chair: User, commune: AdminUnit, tag: str
) -> Side:
    """Every kind of row in `commune`, built by its officer and chair."""
    village = village_create(actor=officer, commune=commune, name=f"Ấp {tag}")
    recognised, also_recognised, waiting, objected = (
        _surveyed(officer, commune, village, f"Hộ {tag} {n}") for n in range(4)
    )
    meeting = _meet(officer, commune, [recognised, also_recognised, waiting, objected])
    posting = _post(officer, commune)
    campaigns.objection_resolve(
        actor=officer,
        objection=_object_to(officer, recognised),
        outcome="rejected",
        resolution="Xe tải là của người thuê nhà.",
        resolved_on=OBJECTED_ON,
    )
    objection = _object_to(officer, objected)
    decision = campaigns.recognition_decide(
        actor=chair,
        commune=commune,
        number=f"{next(_serial)}/QĐ-UBND",
        signed_on=SIGNED_ON,
        review_ids=[recognised.pk, also_recognised.pk],
    )
    surveyed, monthly, request = _monthly_posted(officer, commune, village, f"Hộ {tag} 4")
    discussed = _surveyed(officer, commune, village, f"Hộ {tag} 5")
    _meet(officer, commune, [discussed])
    # More rows in the lists of requests: the recognised households ask for a monthly review.
    for target in (recognised, also_recognised):
        _ask(officer, target.household)
    household = Household.objects.get(pk=waiting.household_id)
    return Side(
        province=province,
        campaign=campaign,
        commune=commune,
        village=village,
        household=household,
        member=household.members.get(relationship="head"),
        review=Review.objects.get(pk=waiting.pk),
        recognised=Household.objects.get(pk=recognised.household_id),
        objected=Review.objects.get(pk=objected.pk),
        objection=objection,
        surveyed=Review.objects.get(pk=surveyed.pk),
        discussed=Review.objects.get(pk=discussed.pk),
        monthly=monthly,
        request=request,
        meeting=meeting,
        posting=posting,
        decision=decision,
        certificate=decision.certificates.get(review=recognised),
        status_change=recognised.household.status_changes.get(),
    )


def _legacy_side(
    province: AdminUnit, campaign, district_staff: User, commune: AdminUnit, tag: str
) -> Side:
    """A legacy commune whose results were posted, reported to the district and, once the
    district was consulted, one of them recognised; another stays posted."""
    officer = _user(Role.COMMUNE_OFFICER, commune, f"access-officer-{tag}")
    chair = _user(Role.COMMUNE_CHAIR, commune, f"access-chair-{tag}")
    reviews = [
        make_household(
            officer,
            commune,
            members=[member(f"Hộ {tag} {n}")],
            review_data=review(list_year=LEGACY_LIST_YEAR, survey_date=LEGACY_SURVEYED_ON),
        ).reviews.get()
        for n in range(2)
    ]
    campaigns.meeting_record(
        actor=officer,
        commune=commune,
        village=None,
        held_on=LEGACY_MET_ON,
        attendees=40,
        chaired_by="Trưởng ấp",
        votes={r.pk: 30 for r in reviews},
    )
    campaigns.posting_record(
        actor=officer,
        commune=commune,
        village=None,
        posted_from=LEGACY_POSTED_FROM,
        posted_to=LEGACY_POSTED_TO,
    )
    consultation = campaigns.consultation_record(
        actor=district_staff,
        campaign=campaign,
        commune=commune,
        consulted_on=LEGACY_CONSULTED_ON,
        comment="UBND huyện thống nhất với kết quả rà soát của xã.",
    )
    campaigns.recognition_decide(
        actor=chair,
        commune=commune,
        number=f"{next(_serial)}/QĐ-UBND",
        signed_on=LEGACY_SIGNED_ON,
        review_ids=[reviews[0].pk],
    )
    posted = Review.objects.get(pk=reviews[1].pk)
    return Side(
        province=province,
        campaign=campaign,
        commune=commune,
        household=posted.household,
        review=posted,
        consultation=consultation,
    )


def _legacy_sides(admin: User) -> tuple[User, dict[str, Side]]:
    """The district staff who work on the consultation, and the legacy sides: theirs, a
    commune of another district of the province, and another province's legacy campaign."""
    province = _unit(Scheme.LEGACY, Level.PROVINCE, LEGACY_PROVINCE)
    commune = _unit(Scheme.LEGACY, Level.COMMUNE, KIEN_AN)
    other = _unit(Scheme.LEGACY, Level.COMMUNE, LEGACY_OTHER_COMMUNE)
    far_province = _unit(Scheme.LEGACY, Level.PROVINCE, HA_NOI)
    far_commune = AdminUnit.objects.filter(
        path__startswith=far_province.path, level=Level.COMMUNE
    ).first()
    district_staff = _user(Role.DISTRICT_STAFF, commune.parent, "access-district")
    other_staff = _user(Role.DISTRICT_STAFF, other.parent, "access-other-district")
    campaign = campaigns.campaign_open(actor=admin, province=province, list_year=LEGACY_LIST_YEAR)
    far_campaign = campaigns.campaign_open(
        actor=admin, province=far_province, list_year=LEGACY_LIST_YEAR
    )
    legacy = _legacy_side(province, campaign, district_staff, commune, "Kiến An")
    outside = _legacy_side(province, campaign, other_staff, other, "Núi Sập")
    # Another province: its legacy campaign and a commune of it; the rows are those of `outside`.
    far = replace(outside, province=far_province, campaign=far_campaign, commune=far_commune)
    return district_staff, {"legacy": legacy, "legacy_outside": outside, "legacy_far": far}


# --- support: priority lists -------------------------------------------------------------------
PRIORITY_YEAR = 2026
PRIORITY_PROGRAMME = "residential_land"  # poor and near-poor households
DECIDED_PROGRAMME = "vocational_training"
PRIORITY_MET_ON = dt.date(2026, 3, 10)


def _priority_rows(side: Side, officer: User) -> Side:
    """A draft priority list of the commune with its recognised household at place 1, another
    recognised household to propose, and a list adopted at a village meeting."""
    from policies.support.catalogue import load_catalogue
    from policies.support.models import Programme
    from policies.support.services import priority

    load_catalogue()
    candidate = (
        Household.objects.filter(
            commune=side.commune, years__classification__in=["poor", "near_poor"]
        )
        .exclude(pk=side.recognised.pk)
        .distinct()
        .first()
    )
    lists = {
        code: priority.priority_list_create(
            actor=officer,
            programme=Programme.objects.get(code=code),
            year=PRIORITY_YEAR,
            commune=side.commune,
        )
        for code in (PRIORITY_PROGRAMME, DECIDED_PROGRAMME)
    }
    entry = priority.priority_entry_add(
        actor=officer,
        priority_list=lists[PRIORITY_PROGRAMME],
        household=side.recognised,
        reason="Nhà tạm, không có đất ở",
    )
    priority.priority_entry_add(
        actor=officer,
        priority_list=lists[DECIDED_PROGRAMME],
        household=side.recognised,
        reason="Lao động chính chưa có nghề",
    )
    decided = priority.priority_list_decide(
        actor=officer,
        priority_list=lists[DECIDED_PROGRAMME],
        meeting_on=PRIORITY_MET_ON,
        attendees=40,
        agreed=31,
        minutes="Họp dân thống nhất danh sách.",
    )
    return replace(
        side,
        priority_list=lists[PRIORITY_PROGRAMME],
        priority_entry=entry,
        priority_candidate=candidate,
        decided_list=decided,
    )


# --- support: disbursements (policies/support) ---
SUPPORT_PAID_ON = dt.date(2026, 1, 15)


def _with_disbursements(side: Side, officer: User) -> Side:
    """A card for the recognised household's head, then a batch for the commune's others."""
    from policies.support.models import Programme
    from policies.support.services.disbursements import disbursement_batch_run, disbursement_record

    cards = Programme.objects.get(code="bhyt")
    head = side.recognised.members.get(relationship="head")
    disbursement = disbursement_record(
        actor=officer,
        programme=cards,
        household=side.recognised,
        member=head,
        paid_on=SUPPORT_PAID_ON,
    )
    batch = disbursement_batch_run(
        actor=officer, programme=cards, commune=side.commune, period="2026", paid_on=SUPPORT_PAID_ON
    )
    return replace(side, disbursement=disbursement, batch=batch)


def build_world() -> World:
    an_giang = _unit(Scheme.CURRENT, Level.PROVINCE, AN_GIANG)
    ha_noi = _unit(Scheme.CURRENT, Level.PROVINCE, HA_NOI)
    my_hoa_hung = _unit(Scheme.CURRENT, Level.COMMUNE, MY_HOA_HUNG)
    long_xuyen = _unit(Scheme.CURRENT, Level.COMMUNE, LONG_XUYEN)
    empty = _unit(Scheme.CURRENT, Level.COMMUNE, EMPTY_COMMUNE)
    ha_noi_commune = AdminUnit.objects.filter(parent=ha_noi, level=Level.COMMUNE).first()
    load_catalogue()  # support: the programmes, so that recognition derives entitlements
    users = {
        "officer": _user(Role.COMMUNE_OFFICER, my_hoa_hung, "access-officer"),
        "chair": _user(Role.COMMUNE_CHAIR, my_hoa_hung, "access-chair"),
        "province": _user(Role.PROVINCE_STAFF, an_giang, "access-province"),
        "empty_chair": _user(Role.COMMUNE_CHAIR, empty, "access-empty-chair"),
    }
    other_officer = _user(Role.COMMUNE_OFFICER, long_xuyen, "access-other-officer")
    other_chair = _user(Role.COMMUNE_CHAIR, long_xuyen, "access-other-chair")
    ha_noi_staff = _user(Role.PROVINCE_STAFF, ha_noi, "access-ha-noi")
    campaign = campaigns.campaign_open(
        actor=users["province"],
        province=an_giang,
        list_year=LIST_YEAR,
        opens_on=OPENS,
        closes_on=CLOSES,
    )
    # The next list's campaign too (its default window), so the campaign lists have rows.
    campaigns.campaign_open(actor=users["province"], province=an_giang, list_year=LIST_YEAR + 1)
    ha_noi_campaign = campaigns.campaign_open(
        actor=ha_noi_staff, province=ha_noi, list_year=LIST_YEAR, opens_on=OPENS, closes_on=CLOSES
    )
    campaigns.campaign_extend(
        actor=users["province"],
        campaign=campaign,
        closes_on=EXTENDED_TO,
        reason="Lũ lụt tháng 11: các xã cần thêm thời gian rà soát.",
    )
    campaign.refresh_from_db()
    inside = _side(an_giang, campaign, users["officer"], users["chair"], my_hoa_hung, "Trong")
    outside = _side(an_giang, campaign, other_officer, other_chair, long_xuyen, "Ngoài")
    inside = _with_entitlement(inside, users["officer"])  # support: entitlements
    outside = _with_entitlement(outside, other_officer)  # support: entitlements
    # --- support: priority lists ---
    inside = _priority_rows(inside, users["officer"])
    outside = _priority_rows(outside, other_officer)
    # --- support: disbursements (policies/support) ---
    load_catalogue()
    inside = _with_disbursements(inside, users["officer"])
    outside = _with_disbursements(outside, other_officer)
    # --- interchange: jobs ---
    inside = _with_jobs(inside, users["officer"])
    outside = _with_jobs(outside, other_officer)
    # --- secure: API tokens ---
    inside = _with_token(inside, users["officer"], "Trong")
    outside = _with_token(outside, other_officer, "Ngoài")
    # Another province: its campaign and a commune of it; the rows are those of `outside`.
    far = replace(outside, province=ha_noi, campaign=ha_noi_campaign, commune=ha_noi_commune)
    campaigns.list_close(actor=users["empty_chair"], campaign=campaign, unit=empty)
    closed = Side(province=an_giang, campaign=campaign, commune=empty)
    users["district"], legacy = _legacy_sides(_user(Role.SYSTEM_ADMIN, None, "access-admin"))
    world = World(
        users=users,
        sides={"inside": inside, "outside": outside, "far": far, "closed": closed, **legacy},
    )
    _support_allocations(world)
    _report_targets(world)  # --- reports: dashboards ---
    return world


# --- support: allocations -------------------------------------------------------------------------
SUPPORT_YEAR = 2026


def _support_allocations(world: World) -> None:
    """Each side's province plans the electricity subsidy and allocates it to the side's commune
    (the legacy communes through their district, or straight from the province), and has a local
    programme of its own."""
    from policies.support.catalogue import load_catalogue
    from policies.support.models import Programme
    from policies.support.services.allocations import allocation_set, programme_create_local

    load_catalogue()
    admin = _user(Role.SYSTEM_ADMIN, None, "access-support-admin")
    electricity = Programme.objects.get(code="electricity")
    plans: dict[int, Any] = {}
    locals_: dict[int, Any] = {}

    def allocate(unit: AdminUnit, year: int, amount: int):
        return allocation_set(
            actor=admin,
            programme=electricity,
            year=year,
            unit=unit,
            quantity=amount // 100_000,
            amount=amount,
            reason="Kế hoạch năm",
        )

    for name, side in list(world.sides.items()):
        if name == "closed":
            continue
        year = SUPPORT_YEAR if side.province.scheme == Scheme.CURRENT else LEGACY_LIST_YEAR
        if side.province.pk not in plans:
            plans[side.province.pk] = allocate(side.province, year, 1_000_000_000)
            locals_[side.province.pk] = programme_create_local(
                actor=admin,
                province=side.province,
                code=f"local_{side.province.scheme}_{side.province.code}",
                name_vi=f"Quà Tết của {side.province.name}",
                name_en=f"Tết gifts of {side.province.name}",
                legal_basis="Nghị quyết của HĐND tỉnh",
                benefit_kind="subsidy",
                beneficiary="household",
                period_kind="year",
                count_unit="household",
                amount_rule="fixed",
                funding_sources=["local"],
                valid_from=dt.date(2022, 1, 1),
            )
        if name == "legacy":  # Chợ Mới allocates to Xã Kiến An
            allocate(side.commune.parent, year, 100_000_000)
        world.sides[name] = replace(
            side,
            programme=locals_[side.province.pk],
            plan=plans[side.province.pk],
            allocation=allocate(side.commune, year, 10_000_000),
        )


# --- support: entitlements ----------------------------------------------------------------------


def _with_entitlement(side: Side, officer: User) -> Side:
    """The recognised households' members, entered as living there since 2015 (not since the
    day the suite runs), have their health-insurance cards of the 2026 list."""
    for household in Household.objects.filter(commune=side.commune, years__isnull=False):
        household_update(
            actor=officer,
            household=household,
            expected_version=household.version,
            village=household.village,
            members=[
                {"id": m.pk, **{f: getattr(m, f) for f in MEMBER_FIELDS}, "joined_on": SETTLED}
                for m in household.members.order_by("pk")
            ],
        )
    return replace(
        side,
        recognised=Household.objects.get(pk=side.recognised.pk),
        entitlement=Entitlement.objects.filter(household=side.recognised).order_by("pk").first(),
    )


# --- reports: dashboards ------------------------------------------------------------------------


def _report_targets(world: World) -> None:
    """Each province of the two-level sides sets a poverty-reduction target."""
    from reports.services import target_save

    admin = _user(Role.SYSTEM_ADMIN, None, "access-reports-admin")
    targets: dict[int, Any] = {}
    for name, side in list(world.sides.items()):
        if side.province.scheme != Scheme.CURRENT:
            continue
        if side.province.pk not in targets:
            targets[side.province.pk] = target_save(
                actor=admin,
                unit=side.province,
                measure="poor_rate",
                kind="below_by",
                value="3",
                from_year=LIST_YEAR,
                to_year=2030,
                basis="Nghị quyết giảm nghèo của HĐND tỉnh",
            )
        world.sides[name] = replace(side, target=targets[side.province.pk])


# --- interchange: jobs ----------------------------------------------------------------------------


def _with_jobs(side: Side, officer: User) -> Side:
    """The officer imports a file with an error and exports the commune; the tasks run at once
    (on the stand-ins of the import and the export: what the pages show is the job)."""
    from households.interchange import jobs, tasks
    from households.models import Job

    from ..households.interchange_fakes import csv_upload, faked_interchange

    with faked_interchange():
        job = jobs.import_job_create(
            actor=officer, unit=side.commune, upload=csv_upload("H1,2025,LOI")
        )
        tasks.run_import.call(job.pk)
        export_job = jobs.export_job_create(actor=officer, unit=side.commune, fmt="xlsx")
        tasks.run_export.call(export_job.pk)
    return replace(
        side, job=Job.objects.get(pk=job.pk), export_job=Job.objects.get(pk=export_job.pk)
    )


# --- secure: API tokens ---------------------------------------------------------------------------


def _with_token(side: Side, officer: User, tag: str) -> Side:
    """The officer's own API token, made as on the tokens page."""
    from registry.services import api_token_create

    token, _secret = api_token_create(actor=officer, name=f"Phần mềm {tag}", days=30)
    return replace(side, api_token=token)
