"""Choices for support programmes, allocations and disbursements (labels translated)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BenefitKind(models.TextChoices):
    """What a programme delivers."""

    CARD = "card", _("Health-insurance card")
    MEDICAL_VISIT = "medical_visit", _("Medical examination and treatment")
    TUITION = "tuition", _("Tuition exemption or study-cost support")
    SUBSIDY = "subsidy", _("Cash subsidy")
    HOUSE = "house", _("House")
    LOAN = "loan", _("Preferential loan")
    LAND = "land", _("Residential land")
    COURSE = "course", _("Vocational training course")
    JOB = "job", _("Job placement")
    OTHER = "other", _("Other support")


class Beneficiary(models.TextChoices):
    """Who receives it: the household, or each eligible member."""

    HOUSEHOLD = "household", _("Household")
    PERSON = "person", _("Person")


class PeriodKind(models.TextChoices):
    """How the programme's deliveries are counted in time; the period key of a disbursement
    follows it, and a beneficiary is paid at most once per programme and period."""

    MONTH = "month", _("Monthly")  # "2026-03"
    QUARTER = "quarter", _("Quarterly")  # "2026-Q1"
    YEAR = "year", _("Yearly")  # "2026"
    ONCE = "once", _("Once")  # "once"
    EACH = "each", _("Each delivery")  # a reference: loan contract, visit date, course


class CountUnit(models.TextChoices):
    """The unit the programme's quantity is counted in."""

    CARD = "card", _("card")
    VISIT = "visit", _("visit")
    PUPIL = "pupil", _("pupil or student")
    HOUSEHOLD = "household", _("household")
    MONTH = "month", _("household-month")
    HOUSE = "house", _("house")
    LOAN = "loan", _("loan")
    PLOT = "plot", _("plot")
    TRAINEE = "trainee", _("trainee")
    WORKER = "worker", _("worker")


class AmountRule(models.TextChoices):
    """How the amount of a disbursement is worked out from the programme's dated parameters."""

    NONE = "none", _("No money (in kind)")
    FIXED = "fixed", _("Fixed amount per unit")  # parameter "amount" (per variant)
    KWH_TARIFF = "kwh_tariff", _("kWh a month × tier-1 tariff × months")
    ENTERED = "entered", _("Amount entered (up to a ceiling where set)")  # "max_amount"


class FundingSource(models.TextChoices):
    CENTRAL = "central", _("Central budget")
    LOCAL = "local", _("Local budget")
    NTP = "ntp", _("National target programme")
    VBSP = "vbsp", _("Bank for Social Policies capital")
    INSURANCE = "insurance", _("Health-insurance fund")
    MOBILISED = "mobilised", _("Mobilised funds (e.g. Ngày vì người nghèo)")


class WorkStatus(models.TextChoices):
    """Work criteria a per-person programme may ask of a member."""

    ANY = "", _("Any")
    WORKING_AGE = "working_age", _("Of working age")


class EntryKind(models.TextChoices):
    PAYMENT = "payment", _("Payment")
    REVERSAL = "reversal", _("Reversal")


class EntitlementBasis(models.TextChoices):
    """What the entitlement rests on."""

    POOR = "poor", _("Poor household")
    NEAR_POOR = "near_poor", _("Near-poor household")
    ESCAPED = "escaped", _("Escaped poverty recently")


class PriorityListStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    DECIDED = "decided", _("Decided at the village meeting")
