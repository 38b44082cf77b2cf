"""Choices of the review campaign: requests, objections and moves between recognised lists."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestKind(models.TextChoices):
    """What a household asks for (Decision 24/2021/QĐ-TTg art. 4.1 and art. 5)."""

    REVIEW = "review", _("To be reviewed")
    ENTER = "enter", _("To enter the poor or near-poor list")
    LEAVE = "leave", _("To be recognised as having escaped poverty or near-poverty")


class RequestChannel(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    POST = "post", _("By post")
    ONLINE = "online", _("Online public-service portal")


class RequestForm(models.TextChoices):
    """Sources disagree on the form number of the monthly request (domain.md §2.4): keep both."""

    FORM_01 = "01", _("Form No. 01")
    FORM_04 = "04", _("Form No. 04")


class ObjectionKind(models.TextChoices):
    WRONGLY_INCLUDED = "wrongly_included", _("Wrongly included")
    WRONGLY_LEFT_OUT = "wrongly_left_out", _("Wrongly left out")
    WRONG_DATA = "wrong_data", _("Wrong data")


class ObjectionOutcome(models.TextChoices):
    OPEN = "open", _("Awaiting re-check")
    UPHELD = "upheld", _("Upheld after re-check")
    REJECTED = "rejected", _("Rejected after re-check")


class TransitionKind(models.TextChoices):
    """How a household moved between two consecutive recognised lists."""

    ESCAPED_POVERTY = "escaped_poverty", _("Escaped poverty")
    ESCAPED_NEAR_POVERTY = "escaped_near_poverty", _("Escaped near-poverty")
    NEWLY_POOR = "newly_poor", _("Newly poor")
    NEWLY_NEAR_POOR = "newly_near_poor", _("Newly near-poor")
    POOR_TO_NEAR_POOR = "poor_to_near_poor", _("Poor to near-poor")
    NEAR_POOR_TO_POOR = "near_poor_to_poor", _("Near-poor to poor")
    RELAPSED = "relapsed", _("Relapsed into poverty")
    MOVED_IN = "moved_in", _("Moved in")
    MOVED_OUT = "moved_out", _("Moved out")


class CertificateEnd(models.TextChoices):
    """Why a certificate was revoked before the end of its list year."""

    REPLACED = "replaced", _("Replaced by a later recognition")
    MOVED_OUT = "moved_out", _("The household moved out of the commune")
