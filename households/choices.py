"""Choices for households, members and reviews (labels translated, values stable)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HouseholdStatus(models.TextChoices):
    ACTIVE = "active", _("Living in the commune")
    MOVED_OUT = "moved_out", _("Moved out")
    DISSOLVED = "dissolved", _("No longer exists")


class Relationship(models.TextChoices):
    """Relationship to the head of household (quan hệ với chủ hộ)."""

    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    GRANDCHILD = "grandchild", _("Grandchild")
    GRANDPARENT = "grandparent", _("Grandparent")
    SIBLING = "sibling", _("Brother or sister")
    CHILD_IN_LAW = "child_in_law", _("Son- or daughter-in-law")
    OTHER_RELATIVE = "other_relative", _("Other relative")
    OTHER = "other", _("Other")


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class SchoolStatus(models.TextChoices):
    """Whether a member goes to school or training now."""

    IN_SCHOOL = "in_school", _("In school or training")
    OUT_OF_SCHOOL = "out_of_school", _("Not in school")
    NOT_APPLICABLE = "not_applicable", _("Not of school age")


class Qualification(models.TextChoices):
    """Highest level completed (trình độ học vấn, chuyên môn cao nhất)."""

    NONE = "none", _("None")
    PRIMARY = "primary", _("Primary school")
    LOWER_SECONDARY = "lower_secondary", _("Lower secondary school")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary school")
    VOCATIONAL = "vocational", _("Vocational certificate or diploma")
    COLLEGE = "college", _("College or university")


# Qualifications that count as completed lower secondary, and upper secondary or vocational.
LOWER_SECONDARY_OR_MORE = frozenset(
    {
        Qualification.LOWER_SECONDARY,
        Qualification.UPPER_SECONDARY,
        Qualification.VOCATIONAL,
        Qualification.COLLEGE,
    }
)
UPPER_SECONDARY_OR_VOCATIONAL = frozenset(
    {Qualification.UPPER_SECONDARY, Qualification.VOCATIONAL, Qualification.COLLEGE}
)


class Employment(models.TextChoices):
    """Main work situation (tình trạng việc làm)."""

    CONTRACT = "contract", _("Wage work with a labour contract")
    NO_CONTRACT = "no_contract", _("Wage work without a labour contract")
    SELF_EMPLOYED = "self_employed", _("Own farm or business")
    UNEMPLOYED = "unemployed", _("Unemployed, looking for work")
    STUDENT = "student", _("Studying")
    NOT_WORKING = "not_working", _("Not working (retired, ill, caring, too young or old)")


class ReviewKind(models.TextChoices):
    """Periodic (annual) review or regular (monthly) review, Decision 24/2021/QĐ-TTg art. 4-5."""

    PERIODIC = "periodic", _("Periodic review")
    MONTHLY = "monthly", _("Monthly review")


class Classification(models.TextChoices):
    """What a standard says a household is (mirrors policies.standards.Classification)."""

    POOR = "poor", _("Poor")
    NEAR_POOR = "near_poor", _("Near-poor")
    MIDDLE_INCOME = "middle_income", _("Middle-income")
    NOT_POOR = "not_poor", _("Not poor")


class ReviewStatus(models.TextChoices):
    """The steps of a review (Decision 24/2021/QĐ-TTg art. 4); the moves between them are
    households.campaign.workflow.MOVES."""

    LISTED = "listed", _("Listed for review")
    SURVEYED = "surveyed", _("Surveyed and scored")
    DISCUSSED = "discussed", _("Agreed at the village meeting")
    POSTED = "posted", _("Posted publicly")
    RECOGNISED = "recognised", _("Recognised")
    REFUSED = "refused", _("Refused")


class StatusEnd(models.TextChoices):
    """Why a household's status in force ended before the end of its list year."""

    MOVED_OUT = "moved_out", _("The household moved out of the commune")


# States in which the review's facts may still be entered or changed.
EDITABLE_STATUSES = frozenset({ReviewStatus.LISTED, ReviewStatus.SURVEYED})
# States after which the result is final for the list year.
FINAL_STATUSES = frozenset({ReviewStatus.RECOGNISED, ReviewStatus.REFUSED})


# --- interchange: jobs ---
class JobKind(models.TextChoices):
    """What a background job of the interchange does."""

    IMPORT = "import", _("Import")
    EXPORT = "export", _("Export")


class JobState(models.TextChoices):
    """Where a background job is: waiting for the worker, running, finished or broken."""

    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Stopped by an error")


# States in which a job still moves: its page polls for progress.
ACTIVE_JOB_STATES = frozenset({JobState.QUEUED, JobState.RUNNING})
