"""Choices for administrative units and officers' roles."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scheme(models.TextChoices):
    """The two official schemes of administrative units."""

    # Decision 124/2004/QĐ-TTg codes; three levels of local government until 30 June 2025.
    LEGACY = "2004", _("Three-level scheme (until 30/6/2025)")
    # Decision 19/2025/QĐ-TTg codes; two levels of local government since 1 July 2025.
    CURRENT = "2025", _("Two-level scheme (since 1/7/2025)")


class Level(models.TextChoices):
    """Levels of the unit tree; districts exist only in the legacy scheme."""

    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")
    VILLAGE = "village", _("Village")


class AreaType(models.TextChoices):
    """Urban or rural: the poverty lines depend on it."""

    RURAL = "rural", _("Rural")
    URBAN = "urban", _("Urban")


class Role(models.TextChoices):
    """What an officer does at the unit they are assigned to."""

    COMMUNE_OFFICER = "commune_officer", _("Commune officer")
    COMMUNE_CHAIR = "commune_chair", _("Commune chair")
    DISTRICT_STAFF = "district_staff", _("District staff")
    PROVINCE_STAFF = "province_staff", _("Province staff")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


class SuccessionKind(models.TextChoices):
    """How an old commune became a new one on 1 July 2025."""

    WHOLE = "whole", _("Merged whole")
    PARTIAL = "partial", _("Split (part merged)")


# The level at which each role is assigned.
ROLE_LEVELS: dict[str, tuple[str, ...]] = {
    Role.COMMUNE_OFFICER: (Level.COMMUNE,),
    Role.COMMUNE_CHAIR: (Level.COMMUNE,),
    Role.DISTRICT_STAFF: (Level.DISTRICT,),
    Role.PROVINCE_STAFF: (Level.PROVINCE,),
    Role.SYSTEM_ADMIN: (),
}
