"""The review campaign of Decision 24/2021/QĐ-TTg: campaigns, their extensions and list
closures, requests, village meetings, postings, objections, the district's consultation
(three-level scheme), recognition decisions and certificates, the steps of each review, and the
status changes between recognised lists."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from households.campaign.choices import (
    CertificateEnd,
    ObjectionKind,
    ObjectionOutcome,
    RequestChannel,
    RequestForm,
    RequestKind,
    TransitionKind,
)
from households.campaign.querysets import (
    CampaignQuerySet,
    CampaignRelatedQuerySet,
    HouseholdRelatedQuerySet,
    ReviewRelatedQuerySet,
    UnitPathQuerySet,
)
from households.choices import (
    Classification,
    ReviewStatus,
)
from households.models.household import Household
from policies.standards import Standard, StandardError, get_standard, standard_for_list_year
from registry.models import AdminUnit


class Campaign(models.Model):
    """A province's periodic review for one list year (rà soát định kỳ), by default 1/9-14/12."""

    province = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    list_year = models.PositiveSmallIntegerField(_("list year"))
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    standard_code = models.CharField(
        _("standard"),
        max_length=20,
        blank=True,
        help_text=_("Leave empty to apply the standard in force for the list year."),
    )
    unit_path = models.CharField(max_length=80, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("review campaign")
        verbose_name_plural = _("review campaigns")
        ordering = ["-list_year", "province"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "list_year"], name="households_campaign_unique_year"
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="households_campaign_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.province} · {self.list_year}"

    @property
    def standard(self) -> Standard | None:
        """The standard the campaign applies: the one set on it, else the one in force."""
        try:
            if self.standard_code:
                return get_standard(self.standard_code)
            return standard_for_list_year(self.list_year)
        except StandardError:
            return None


class CampaignExtension(models.Model):
    """The province extending its periodic review past 14 December (Decision 24/2021/QĐ-TTg art.
    3.1(a) sets 1 September to 14 December): who, when, until when and why. Rows are never
    changed; the campaign's `closes_on` holds the latest closing date."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="extensions", verbose_name=_("campaign")
    )
    previous_closes_on = models.DateField(_("closed on before"))
    closes_on = models.DateField(_("new closing date"))
    reason = models.TextField(_("reason"))
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("extended by"),
    )
    extended_at = models.DateTimeField(_("extended at"), auto_now_add=True)

    objects = CampaignRelatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign extension")
        verbose_name_plural = _("campaign extensions")
        ordering = ["campaign", "extended_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gt=models.F("previous_closes_on")),
                name="households_campaignextension_later",
            ),
            models.CheckConstraint(
                condition=~Q(reason=""), name="households_campaignextension_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} → {self.closes_on}"


class ListClosure(models.Model):
    """A unit's list for a campaign closed (locked) or reopened; one row per unit and campaign.

    A commune closes once its list is recognised; a district or province closes only when every
    commune below it has closed, and can reopen one commune with a recorded reason.
    """

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="closures", verbose_name=_("campaign")
    )
    unit = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    unit_path = models.CharField(max_length=80, editable=False)
    is_closed = models.BooleanField(_("closed"), default=True)
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)

    history = HistoricalRecords()
    objects = UnitPathQuerySet.as_manager()

    class Meta:
        verbose_name = _("list closure")
        verbose_name_plural = _("list closures")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "unit"], name="households_listclosure_unique"
            ),
            models.CheckConstraint(
                condition=Q(is_closed=True) | ~Q(reason=""),
                name="households_listclosure_reopen_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.campaign.list_year}"


class ReviewRequest(models.Model):
    """A household's request to be reviewed, to enter or to leave the lists (Form 01 / Form 04).

    Monthly requests are reviewed from the 15th of the month and decided within 15 days
    (Decision 24/2021/QĐ-TTg art. 3.1(b) and art. 5).
    """

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="requests", verbose_name=_("household")
    )
    kind = models.CharField(_("request"), max_length=10, choices=RequestKind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=RequestChannel.choices)
    form_number = models.CharField(_("form"), max_length=2, choices=RequestForm.choices)
    requested_on = models.DateField(_("received on"))
    monthly = models.BooleanField(_("monthly review"), default=True)
    cycle_start = models.DateField(_("review starts on"), null=True, blank=True)
    deadline = models.DateField(_("decide by"), null=True, blank=True)
    review = models.OneToOneField(
        "Review", on_delete=models.PROTECT, null=True, blank=True, related_name="request"
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = HouseholdRelatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("review request")
        verbose_name_plural = _("review requests")
        ordering = ["-requested_on"]

    def __str__(self) -> str:
        return f"{self.household.code} · {self.get_kind_display()} · {self.requested_on}"


class VillageMeeting(models.Model):
    """A village meeting (họp dân) that discussed the survey results."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings"
    )
    commune = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unit_path = models.CharField(max_length=80, editable=False)
    held_on = models.DateField(_("held on"))
    attendees = models.PositiveIntegerField(_("people attending"))
    chaired_by = models.CharField(_("chaired by"), max_length=120)
    notes = models.TextField(_("minutes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = UnitPathQuerySet.as_manager()

    class Meta:
        verbose_name = _("village meeting")
        verbose_name_plural = _("village meetings")
        ordering = ["-held_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(attendees__gt=0), name="households_villagemeeting_attendees"
            )
        ]

    def __str__(self) -> str:
        return f"{self.village or self.commune} · {self.held_on}"


class MeetingVote(models.Model):
    """How many attendees agreed with one household's result at a meeting."""

    meeting = models.ForeignKey(VillageMeeting, on_delete=models.PROTECT, related_name="votes")
    review = models.ForeignKey("Review", on_delete=models.PROTECT, related_name="votes")
    agreeing = models.PositiveIntegerField(_("agreeing"))
    share_percent = models.DecimalField(_("share agreeing (%)"), max_digits=5, decimal_places=1)
    passed = models.BooleanField(_("passed"))

    class Meta:
        verbose_name = _("meeting vote")
        verbose_name_plural = _("meeting votes")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "review"], name="households_meetingvote_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.review} · {self.share_percent}%"


class Posting(models.Model):
    """The public posting (niêm yết) of a village's proposed lists."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, null=True, blank=True, related_name="postings"
    )
    commune = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unit_path = models.CharField(max_length=80, editable=False)
    posted_from = models.DateField(_("posted from"))
    posted_to = models.DateField(_("posted until"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    reviews = models.ManyToManyField("Review", related_name="postings")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = UnitPathQuerySet.as_manager()

    class Meta:
        verbose_name = _("public posting")
        verbose_name_plural = _("public postings")
        constraints = [
            models.CheckConstraint(
                condition=Q(posted_to__gte=models.F("posted_from")),
                name="households_posting_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.village or self.commune} · {self.posted_from}"


class Objection(models.Model):
    """An objection (khiếu nại, kiến nghị) against a household's proposed result."""

    review = models.ForeignKey("Review", on_delete=models.PROTECT, related_name="objections")
    kind = models.CharField(_("objection"), max_length=20, choices=ObjectionKind.choices)
    author = models.CharField(_("raised by"), max_length=120)
    received_on = models.DateField(_("received on"))
    content = models.TextField(_("content"))
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=ObjectionOutcome.choices, default=ObjectionOutcome.OPEN
    )
    resolution = models.TextField(_("result of the re-check"), blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()
    objects = ReviewRelatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["-received_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome=ObjectionOutcome.OPEN) | ~Q(resolution=""),
                name="households_objection_resolution_recorded",
            )
        ]

    def __str__(self) -> str:
        return f"{self.review} · {self.get_kind_display()}"


class DistrictConsultation(models.Model):
    """The commune's report to, and consultation of, the district chairman before recognition
    (Decision 24/2021/QĐ-TTg art. 4 step 5), recorded by district staff. The step exists only
    under the three-level scheme (lists set before 1 July 2025)."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="consultations", verbose_name=_("campaign")
    )
    commune = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("commune")
    )
    district = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    unit_path = models.CharField(max_length=80, editable=False)
    consulted_on = models.DateField(_("consulted on"))
    comment = models.TextField(_("the district's opinion"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = UnitPathQuerySet.as_manager()

    class Meta:
        verbose_name = _("district consultation")
        verbose_name_plural = _("district consultations")
        ordering = ["-consulted_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(comment=""), name="households_districtconsultation_comment"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commune} · {self.consulted_on}"


class RecognitionDecision(models.Model):
    """The commune chair's decision recognising poor, near-poor and escaped households."""

    commune = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=80, editable=False)
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    list_year = models.PositiveSmallIntegerField(_("list year"))
    number = models.CharField(_("decision number"), max_length=40)
    signed_on = models.DateField(_("signed on"))
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = UnitPathQuerySet.as_manager()

    class Meta:
        verbose_name = _("recognition decision")
        verbose_name_plural = _("recognition decisions")
        ordering = ["-signed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "number"], name="households_recognitiondecision_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.signed_on}"


class Certificate(models.Model):
    """The certificate of a poor or near-poor household (Giấy chứng nhận, Số …/GCN-HN.HCN)."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="certificates")
    review = models.OneToOneField("Review", on_delete=models.PROTECT, related_name="certificate")
    decision = models.ForeignKey(
        RecognitionDecision, on_delete=models.PROTECT, related_name="certificates"
    )
    number = models.CharField(_("certificate number"), max_length=40, unique=True)
    classification = models.CharField(max_length=16, choices=Classification.choices)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"))
    # Valid for its list year; revoked earlier when a later recognition of the same year replaces
    # the status, or when the household moves out (`revoked_by` is the decision that ended it).
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        RecognitionDecision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revoked_certificates",
        verbose_name=_("revoked by the decision"),
    )
    revoke_reason = models.CharField(
        _("reason revoked"), max_length=10, choices=CertificateEnd.choices, blank=True
    )

    objects = HouseholdRelatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_on__isnull=True, revoke_reason="")
                | Q(revoked_on__isnull=False, revoke_reason__in=CertificateEnd.values),
                name="households_certificate_revocation_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(revoke_reason=CertificateEnd.REPLACED) | Q(revoked_by__isnull=False),
                name="households_certificate_replaced_by_a_decision",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def state_on(self, day: dt.date) -> str:
        """The certificate's state on `day`: valid, revoked, expired, or not yet valid."""
        if self.revoked_on is not None and day >= self.revoked_on:
            return "revoked"
        if day > self.valid_to:
            return "expired"
        return "valid" if day >= self.valid_from else "not_yet"


class ReviewStep(models.Model):
    """One move of a review through the steps: who moved it, when, from where to where, and why."""

    review = models.ForeignKey("Review", on_delete=models.CASCADE, related_name="steps")
    move = models.CharField(max_length=20)
    from_status = models.CharField(max_length=20, choices=ReviewStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ReviewStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(blank=True)

    objects = ReviewRelatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")
        ordering = ["review", "at", "id"]

    def __str__(self) -> str:
        return f"{self.review} · {self.from_status} → {self.to_status}"


class StatusChange(models.Model):
    """A household's move between two consecutive recognised lists (or in or out of the commune).

    Exits are events with dates, never deletions: some support depends on them (e.g. loans for
    households that escaped poverty within three years).
    """

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="status_changes"
    )
    unit_path = models.CharField(max_length=80, editable=False)
    list_year = models.PositiveSmallIntegerField(_("list year"))
    kind = models.CharField(_("change"), max_length=24, choices=TransitionKind.choices)
    previous_classification = models.CharField(
        max_length=16, choices=Classification.choices, blank=True
    )
    classification = models.CharField(max_length=16, choices=Classification.choices, blank=True)
    effective_on = models.DateField(_("effective on"))
    decision = models.ForeignKey(
        RecognitionDecision, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = UnitPathQuerySet.as_manager()

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["household", "list_year"]
        constraints = [
            # Moves are one event a kind and year; transitions one per decision (a household may
            # escape, relapse and escape again by monthly reviews within one list year).
            models.UniqueConstraint(
                fields=["household", "list_year", "kind"],
                condition=Q(decision__isnull=True),
                name="households_statuschange_unique",
            ),
            models.UniqueConstraint(
                fields=["household", "decision", "kind"],
                condition=Q(decision__isnull=False),
                name="households_statuschange_unique_decision",
            ),
        ]
        indexes = [
            models.Index(fields=["list_year", "kind"], name="statuschange_year_kind"),
            models.Index(
                fields=["unit_path"], name="statuschange_path", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household.code} · {self.list_year} · {self.get_kind_display()}"
