"""Reads for the review campaign: progress per commune, the chair's queue, the posting list,
the objection register and overdue monthly requests. Always scoped, constant query counts."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from households.campaign.choices import (
    ObjectionOutcome,
    TransitionKind,
)
from households.choices import (
    FINAL_STATUSES,
    Classification,
    ReviewKind,
)
from households.choices import ReviewStatus as S
from households.models import (
    Campaign,
    CampaignExtension,
    Certificate,
    DistrictConsultation,
    Household,
    HouseholdYear,
    ListClosure,
    MeetingVote,
    Objection,
    Posting,
    RecognitionDecision,
    Review,
    ReviewRequest,
    ReviewStep,
    StatusChange,
    VillageMeeting,
)
from registry.choices import Level, Role
from registry.models import AdminUnit
from registry.scoping import province_path, scope_for
from registry.text import search_key

# A review at a later step has passed every earlier one.
ORDER = [S.LISTED, S.SURVEYED, S.DISCUSSED, S.POSTED, S.RECOGNISED]
# The counts of a CommuneProgress row, in the order of the steps.
PROGRESS_STEPS = ("listed", "surveyed", "discussed", "posted", "recognised")


@dataclass(frozen=True)
class CommuneProgress:
    """How far one commune has come in a campaign."""

    commune: AdminUnit
    listed: int
    surveyed: int
    discussed: int
    posted: int
    recognised: int
    closed: bool

    @property
    def percent_recognised(self) -> int:
        return round(100 * self.recognised / self.listed) if self.listed else 0


def review_steps() -> QuerySet[ReviewStep]:
    """Reviews' moves in the order they happened, with who moved them: the steps timeline of the
    household page (prefetched per review) and of the API's review steps."""
    return ReviewStep.objects.select_related("actor").order_by("at", "id")


def campaign_list(*, user) -> QuerySet[Campaign]:
    return Campaign.objects.visible_to(user).select_related("province")


def campaign_progress(
    *, user, campaign: Campaign, unit: AdminUnit | None = None
) -> list[CommuneProgress]:
    """Per commune under `unit` (default: the user's area in the province), reviews that reached
    each step, and whether the commune's list is closed. Three queries."""
    communes = AdminUnit.objects.visible_to(user).filter(
        level=Level.COMMUNE,
        path__startswith=(unit or campaign.province).path,
        valid_to=campaign.province.valid_to,
    )
    counts = {
        row["household__commune"]: row
        for row in Review.objects.filter(campaign=campaign, household__commune__in=communes)
        .values("household__commune")
        .annotate(
            listed=Count("id"),
            **{
                status: Count("id", filter=Q(status__in=ORDER[ORDER.index(status) :]))
                for status in (S.SURVEYED, S.DISCUSSED, S.POSTED, S.RECOGNISED)
            },
        )
    }
    closed = closed_unit_ids(campaign)
    rows = []
    for commune in communes.order_by("name"):
        row = counts.get(commune.pk, {})
        rows.append(
            CommuneProgress(
                commune=commune,
                listed=row.get("listed", 0),
                surveyed=row.get(S.SURVEYED, 0),
                discussed=row.get(S.DISCUSSED, 0),
                posted=row.get(S.POSTED, 0),
                recognised=row.get(S.RECOGNISED, 0),
                closed=commune.pk in closed,
            )
        )
    return rows


def campaign_extensions(*, user, campaign: Campaign) -> QuerySet[CampaignExtension]:
    """The extensions of a campaign's review period, oldest first, with who made them."""
    return (
        CampaignExtension.objects.visible_to(user)
        .filter(campaign=campaign)
        .select_related("extended_by")
        .order_by("extended_at", "id")
    )


def consultation_list(*, user) -> QuerySet[DistrictConsultation]:
    """The district consultations (three-level scheme) of the user's area, newest first."""
    return (
        DistrictConsultation.objects.visible_to(user)
        .select_related("commune", "district", "recorded_by")
        .order_by("-consulted_on", "-id")
    )


def campaign_for(*, unit: AdminUnit | None, list_year: int) -> Campaign | None:
    """The province's periodic review campaign for a list year, if one was opened."""
    if unit is None:
        return None
    return Campaign.objects.filter(unit_path=province_path(unit.path), list_year=list_year).first()


@dataclass(frozen=True)
class ProgressTotals:
    """The sums of communes' progress: what the campaign page and the API's `progress` show."""

    communes: int
    communes_started: int  # with at least one household listed
    communes_closed: int
    listed: int
    surveyed: int
    discussed: int
    posted: int
    recognised: int

    @property
    def communes_not_started(self) -> int:
        return self.communes - self.communes_started

    @property
    def percent_recognised(self) -> int:
        return round(100 * self.recognised / self.listed) if self.listed else 0


def progress_totals(rows: Sequence[CommuneProgress]) -> ProgressTotals:
    """The totals of campaign_progress rows (no query)."""
    return ProgressTotals(
        communes=len(rows),
        communes_started=sum(1 for r in rows if r.listed),
        communes_closed=sum(1 for r in rows if r.closed),
        **{step: sum(getattr(r, step) for r in rows) for step in PROGRESS_STEPS},
    )


@dataclass(frozen=True)
class DistrictProgress:
    """A district's communes summed (three-level scheme: the province page groups by district)."""

    unit: AdminUnit
    totals: ProgressTotals


def progress_by_district(
    rows: Sequence[CommuneProgress], *, province: AdminUnit
) -> list[DistrictProgress]:
    """campaign_progress rows grouped by the district of `province` they lie in; one query.
    Empty under the two-level scheme, where communes hang from the province itself."""
    by_district: dict[int, list[CommuneProgress]] = defaultdict(list)
    for row in rows:
        by_district[row.commune.parent_id].append(row)
    districts = AdminUnit.objects.filter(pk__in=by_district, parent=province).order_by("name")
    return [DistrictProgress(unit=d, totals=progress_totals(by_district[d.pk])) for d in districts]


def closed_unit_ids(campaign: Campaign) -> set[int]:
    """The units whose list is closed (locked) for the campaign."""
    return set(
        ListClosure.objects.filter(campaign=campaign, is_closed=True).values_list(
            "unit_id", flat=True
        )
    )


def list_closures(*, user, campaign: Campaign, under: AdminUnit) -> dict[int, ListClosure]:
    """The closures (closed or reopened) of the campaign's lists of units under `under`, by
    unit id."""
    return {
        c.unit_id: c
        for c in ListClosure.objects.visible_to(user).filter(
            campaign=campaign, unit_path__startswith=under.path
        )
    }


def provinces_to_open(*, user) -> QuerySet[AdminUnit]:
    """The provinces where the user may open a campaign: those they are province staff of."""
    scope = scope_for(user)
    provinces = AdminUnit.objects.visible_to(user).filter(level=Level.PROVINCE)
    if not scope.everything:
        paths = [path for role, path in scope.roles if role == Role.PROVINCE_STAFF]
        provinces = provinces.filter(path__in=paths)
    return provinces.order_by("valid_to", "name")


def list_is_closed(*, campaign: Campaign | int, unit: AdminUnit) -> bool:
    """Whether `unit`'s list for the campaign is closed: its reviews of that year are final."""
    return ListClosure.objects.filter(campaign=campaign, unit=unit, is_closed=True).exists()


def days_left(campaign: Campaign, today: dt.date | None = None) -> int:
    return ((campaign.closes_on) - (today or timezone.localdate())).days


def _awaiting_recognition(user) -> QuerySet[Review]:
    """Posted reviews in the user's area: they wait for the commune chair's decision."""
    return Review.objects.visible_to(user).filter(status=S.POSTED)


def recognition_queue(*, user, commune: AdminUnit | None = None) -> QuerySet[Review]:
    """The reviews waiting for recognition in the user's area (or in `commune`), with their open
    objections counted: what the queue page lists, for the chair to decide and others to follow.
    """
    reviews = _awaiting_recognition(user)
    if commune is not None:
        reviews = reviews.filter(household__commune=commune)
    return (
        reviews.select_related("household__village", "household__commune", "reviewer")
        .annotate(
            open_objections=Count("objections", filter=Q(objections__outcome=ObjectionOutcome.OPEN))
        )
        .order_by("household__commune", "household__village", "household__code")
    )


def recognition_queue_communes(*, user) -> list[dict]:
    """The communes of the recognition queue with how many reviews wait in each: the same rows as
    recognition_queue(user=user, commune=c) lists, counted in one query."""
    return list(
        _awaiting_recognition(user)
        .values("household__commune", "household__commune__name")
        .annotate(n=Count("id"))
        .order_by("household__commune__name")
    )


def chair_queue(*, user) -> QuerySet[Review]:
    """The part of the recognition queue the user, as commune chair, may decide: reviews of the
    communes they chair, none they recorded themselves."""
    scope = scope_for(user)
    chaired = Q()
    if not scope.everything:
        chaired = Q(pk__in=[])
        for role, path in scope.roles:
            if role == Role.COMMUNE_CHAIR:
                chaired |= Q(household__unit_path__startswith=path)
    return recognition_queue(user=user).filter(chaired).exclude(reviewer=user)


def decision_list(*, user) -> QuerySet[RecognitionDecision]:
    """Recognition decisions in the user's area, with the commune and the signer."""
    return RecognitionDecision.objects.visible_to(user).select_related("commune", "signed_by")


def decision_register(*, user) -> QuerySet[RecognitionDecision]:
    """Decisions with the ids of the reviews they recognised and their certificates (API)."""
    certificates = Certificate.objects.select_related("household").order_by("number")
    return decision_list(user=user).prefetch_related(
        Prefetch("reviews", queryset=Review.objects.only("id", "decision_id")),
        Prefetch("certificates", queryset=certificates),
    )


def decision_rows(decision: RecognitionDecision) -> list[tuple[Review, Certificate | None]]:
    """The households a decision recognised, by code, each with the certificate it issued."""
    certificates = {c.review_id: c for c in decision.certificates.all()}
    reviews = decision.reviews.select_related("household__village").order_by("household__code")
    return [(review, certificates.get(review.pk)) for review in reviews]


def meeting_list(*, user) -> QuerySet[VillageMeeting]:
    """Village meetings in the user's area, with their votes by household code."""
    votes = MeetingVote.objects.select_related("review__household").order_by(
        "review__household__code", "id"
    )
    return (
        VillageMeeting.objects.visible_to(user)
        .select_related("commune", "village", "recorded_by")
        .prefetch_related(Prefetch("votes", queryset=votes))
    )


def meeting_reviews(
    *, user, campaign: Campaign, commune: AdminUnit, village: AdminUnit | None = None
) -> QuerySet[Review]:
    """The surveyed reviews a village meeting discusses, by village and household code."""
    reviews = (
        Review.objects.visible_to(user)
        .filter(campaign=campaign, status=S.SURVEYED, household__commune=commune)
        .select_related("household__village")
        .order_by("household__village__name", "household__code")
    )
    return reviews.filter(household__village=village) if village is not None else reviews


def posting_register(*, user) -> QuerySet[Posting]:
    """Public postings in the user's area, with the ids of the reviews they posted."""
    return (
        Posting.objects.visible_to(user)
        .select_related("commune", "village")
        .prefetch_related(Prefetch("reviews", queryset=Review.objects.only("id")))
    )


def posted_reviews(*, user) -> QuerySet[Review]:
    """Posted results in the user's area, by household code (what an objection is raised on)."""
    return (
        Review.objects.visible_to(user)
        .filter(status=S.POSTED)
        .select_related("household")
        .order_by("household__code")
    )


def posting_list(*, user, commune: AdminUnit, village: AdminUnit | None = None) -> QuerySet[Review]:
    """Results agreed at the meeting or posted, per village: only what may be shown in public."""
    reviews = (
        Review.objects.visible_to(user)
        .filter(household__commune=commune, status__in=[S.DISCUSSED, S.POSTED])
        .select_related("household__village")
        .only(
            "id",
            "list_year",
            "status",
            "recognised_classification",
            "household__code",
            "household__head_name",
            "household__address",
            "household__village__name",
        )
        .order_by("household__village__name", "recognised_classification", "household__head_name")
    )
    return reviews.filter(household__village=village) if village else reviews


# The groups of a posting list, in the order they are posted (Decision 24/2021/QĐ-TTg art. 4.4).
# Households reviewed and found neither poor nor near-poor, and not escaping, are not posted.
POSTING_GROUPS = ("poor", "near_poor", "escaped_poverty", "escaped_near_poverty")


def posting_result(current: str, previous: str | None) -> str | None:
    """Which posted group a result belongs to, given last year's recognised result."""
    if current in (Classification.POOR, Classification.NEAR_POOR):
        return current
    if previous == Classification.POOR:
        return "escaped_poverty"
    if previous == Classification.NEAR_POOR:
        return "escaped_near_poverty"
    return None


@dataclass(frozen=True)
class PostedVillage:
    """One village's part of the public posting list."""

    name: str
    postings: list[Posting]
    results: list[tuple[str, list[Review]]]  # (group, reviews) in POSTING_GROUPS order


@dataclass(frozen=True)
class PostingGroups:
    villages: list[PostedVillage]
    commune_postings: list[Posting]  # postings for the whole commune (no village)


@dataclass(frozen=True)
class PublicEntry:
    """One line of the public posting list: the review and the group it is posted under."""

    review: Review
    result: str  # one of POSTING_GROUPS


def public_list(
    *, user, commune: AdminUnit, village: AdminUnit | None = None, campaign: Campaign | None = None
) -> list[PublicEntry]:
    """What may be posted in public (Decision 24/2021/QĐ-TTg art. 4.4): the results agreed at the
    meeting or posted that are poor, near-poor, or escaping either against the list before;
    a household found neither and not escaping is left off. The page and the API both read
    this. Two queries."""
    reviews = posting_list(user=user, commune=commune, village=village)
    if campaign is not None:
        reviews = reviews.filter(campaign=campaign)
    reviews = list(reviews)
    previous = {  # the list in force before this one (as amended by its monthly reviews)
        (household_id, list_year + 1): classification
        for household_id, list_year, classification in HouseholdYear.objects.visible_to(user)
        .filter(
            household_id__in={r.household_id for r in reviews},
            list_year__in={r.list_year - 1 for r in reviews},
        )
        .values_list("household_id", "list_year", "classification")
    }
    entries = []
    for review in reviews:
        before = previous.get((review.household_id, review.list_year))
        result = posting_result(review.recognised_classification, before)
        if result is not None:
            entries.append(PublicEntry(review=review, result=result))
    return entries


def posting_groups(
    *, user, campaign: Campaign, commune: AdminUnit, village: AdminUnit | None = None
) -> PostingGroups:
    """The public posting list of a campaign, by village and proposed result. Three queries."""
    entries = public_list(user=user, commune=commune, village=village, campaign=campaign)
    postings = Posting.objects.visible_to(user).filter(campaign=campaign, commune=commune)
    if village is not None:
        postings = postings.filter(village=village)
    posted_at: dict[int | None, list[Posting]] = {}
    for posting in postings.order_by("posted_from"):
        posted_at.setdefault(posting.village_id, []).append(posting)
    by_village: dict[int | None, dict[str, list[Review]]] = {}
    names: dict[int | None, str] = {}
    for entry in entries:
        review = entry.review
        key = review.household.village_id
        names[key] = review.household.village.name if key else commune.name
        by_village.setdefault(key, {}).setdefault(entry.result, []).append(review)
    return PostingGroups(
        villages=[
            PostedVillage(
                name=names[key],
                postings=posted_at.get(key, []),
                results=[(g, results[g]) for g in POSTING_GROUPS if g in results],
            )
            for key, results in by_village.items()
        ],
        commune_postings=posted_at.get(None, []),
    )


def objection_register(*, user) -> QuerySet[Objection]:
    return (
        Objection.objects.visible_to(user)
        .select_related("review__household", "recorded_by", "resolved_by")
        .order_by("outcome", "-received_on")
    )


def request_list(*, user) -> QuerySet[ReviewRequest]:
    return (
        ReviewRequest.objects.visible_to(user)
        .select_related("household", "review", "recorded_by")
        .order_by("-requested_on")
    )


def overdue_requests(
    *, user, today: dt.date | None = None, under: AdminUnit | None = None
) -> QuerySet[ReviewRequest]:
    """Monthly requests past their 15-day deadline without a decision (under `under`, if given)."""
    requests = (
        request_list(user=user)
        .filter(monthly=True, deadline__lt=today or timezone.localdate())
        .exclude(review__status__in=FINAL_STATUSES)
        .filter(review__kind=ReviewKind.MONTHLY)
    )
    if under is not None:
        requests = requests.filter(household__unit_path__startswith=under.path)
    return requests


def request_households(*, user, query: str = "") -> QuerySet[Household]:
    """Households whose request the user may record, found by code or head's name (diacritics
    ignored)."""
    households = (
        Household.objects.editable_by(user)
        .select_related("village")
        .order_by("code")
        .only("id", "code", "head_name", "village__name")
    )
    query = query.strip()
    if query:
        households = households.filter(
            Q(code__icontains=query) | Q(head_name_search__contains=search_key(query))
        )
    return households


def status_change_list(*, user) -> QuerySet[StatusChange]:
    """Households' moves between recognised lists (and in and out), in the user's area."""
    return StatusChange.objects.visible_to(user).select_related("household", "decision")


def certificate_list(*, user) -> QuerySet[Certificate]:
    return Certificate.objects.visible_to(user).select_related("household", "decision", "review")


# Moves back onto the poor list after an escape (a relapse, or poor again via near-poor).
POOR_AGAIN = (TransitionKind.RELAPSED, TransitionKind.NEAR_POOR_TO_POOR, TransitionKind.NEWLY_POOR)


def escaped_within(*, user, years: int = 3, on: dt.date | None = None) -> QuerySet[StatusChange]:
    """Households that escaped poverty within `years` before `on` and are not poor again since
    (e.g. VBSP loans for households that escaped poverty within three years), from the exit
    events, which compare each recognition with the list in force just before it."""
    on = on or timezone.localdate()
    try:
        since = on.replace(year=on.year - years)
    except ValueError:  # 29 February
        since = on.replace(year=on.year - years, day=28)
    poor_again = StatusChange.objects.filter(
        Q(effective_on__gt=OuterRef("effective_on"))
        | Q(effective_on=OuterRef("effective_on"), pk__gt=OuterRef("pk")),
        household=OuterRef("household"),
        kind__in=POOR_AGAIN,
        effective_on__lte=on,
    )
    return (
        StatusChange.objects.visible_to(user)
        .filter(kind=TransitionKind.ESCAPED_POVERTY, effective_on__gt=since, effective_on__lte=on)
        .exclude(Exists(poor_again))  # an escape undone by a later return to poverty
        .select_related("household")
    )
