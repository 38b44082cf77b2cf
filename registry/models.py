"""Administrative units, their succession across the 2025 reform, officers and their assignments."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken
from knox.settings import CONSTANTS

from .choices import AreaType, Level, Role, Scheme, SuccessionKind
from .querysets import AdminUnitQuerySet, ScopedQuerySet


class User(AbstractUser):
    """A person who logs in: an officer, a chair, district or province staff, an administrator."""

    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def get_full_name(self) -> str:
        """Vietnamese order: family and middle names (last_name) before the given name."""
        return " ".join(part for part in (self.last_name, self.first_name) if part).strip()


class AdminUnit(models.Model):
    """One node of the unit tree: province → (district) → commune → village, in one scheme.

    `path` is the materialized path of codes ("2025/91/30280/"), so that everything under a unit
    is one indexed prefix query.
    """

    scheme = models.CharField(_("scheme"), max_length=4, choices=Scheme.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    code = models.CharField(_("code"), max_length=16, help_text=_("Official GSO code"))
    name = models.CharField(_("name"), max_length=120)
    name_search = models.CharField(max_length=120, editable=False, db_index=True)
    division_type = models.CharField(
        _("type"), max_length=30, help_text=_("tỉnh, huyện, xã, phường, thôn, tổ dân phố…")
    )
    # NULL: provinces and districts have no area type.
    area_type = models.CharField(  # noqa: DJ001
        _("area type"), max_length=5, choices=AreaType.choices, null=True, blank=True
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    path = models.CharField(_("unit path"), max_length=80, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("depth in the tree"), editable=False)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects = AdminUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "level", "code"], name="registry_adminunit_unique_code"
            ),
            models.CheckConstraint(
                condition=Q(level__in=Level.values), name="registry_adminunit_level_valid"
            ),
            models.CheckConstraint(
                condition=Q(scheme__in=Scheme.values), name="registry_adminunit_scheme_valid"
            ),
            models.CheckConstraint(
                condition=Q(level=Level.PROVINCE, parent__isnull=True)
                | Q(~Q(level=Level.PROVINCE), parent__isnull=False),
                name="registry_adminunit_parent_by_level",
            ),
            models.CheckConstraint(
                condition=Q(level__in=[Level.PROVINCE, Level.DISTRICT])
                | Q(area_type__in=AreaType.values),
                name="registry_adminunit_area_type_set",
            ),
        ]
        indexes = [
            # Prefix search on the path (LIKE 'x%') must use the index on PostgreSQL too.
            models.Index(
                fields=["path"], name="registry_unit_path_prefix", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["scheme", "level"], name="registry_unit_scheme_level"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    @property
    def ancestor_paths(self) -> list[str]:
        """The paths of the units above this one, from the province down ("2025/91/", …)."""
        parts = self.path.strip("/").split("/")
        return ["/".join(parts[: i + 1]) + "/" for i in range(1, len(parts) - 1)]

    def ancestors(self) -> list[AdminUnit]:
        """The units above this one, from the province down, in one query."""
        return list(AdminUnit.objects.filter(path__in=self.ancestor_paths).order_by("depth"))


class UnitSuccession(models.Model):
    """An old (2004-scheme) commune and a new (2025-scheme) commune that took it over."""

    old_unit = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, related_name="successors", verbose_name=_("old unit")
    )
    new_unit = models.ForeignKey(
        AdminUnit,
        on_delete=models.PROTECT,
        related_name="predecessors",
        verbose_name=_("new unit"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=SuccessionKind.choices)
    effective_date = models.DateField(_("effective date"))
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("unit succession")
        verbose_name_plural = _("unit successions")
        constraints = [
            models.UniqueConstraint(
                fields=["old_unit", "new_unit"], name="registry_unitsuccession_unique_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.old_unit} → {self.new_unit}"


class AssignmentQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"

    def active(self) -> AssignmentQuerySet:
        return self.filter(is_active=True)


class Assignment(models.Model):
    """A user's role at a unit: the basis of every access decision."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        AdminUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("unit"),
        help_text=_("Empty only for system administrators."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "unit"], name="registry_assignment_unique"
            ),
            models.CheckConstraint(
                condition=Q(role=Role.SYSTEM_ADMIN) | Q(unit__isnull=False),
                name="registry_assignment_unit_required",
            ),
            models.CheckConstraint(
                condition=Q(role__in=Role.values), name="registry_assignment_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit or '*'}"

    def clean(self) -> None:
        from .services import assignment_validate

        assignment_validate(role=self.role, unit=self.unit)


# --- secure: API tokens ---
class ApiToken(AbstractAuthToken):
    """A named API token of one user (django-rest-knox): only its hash is stored, and it
    expires. Knox's own `digest` primary key is replaced by an id for the revoke page's URL."""

    id = models.BigAutoField(primary_key=True)
    digest = models.CharField(_("fingerprint"), max_length=CONSTANTS.DIGEST_LENGTH, unique=True)
    token_key = models.CharField(
        _("beginning"),
        max_length=CONSTANTS.MAXIMUM_TOKEN_PREFIX_LENGTH + CONSTANTS.TOKEN_KEY_LENGTH,
        db_index=True,
    )
    user = models.ForeignKey(
        User, models.CASCADE, related_name="auth_token_set", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    created = models.DateTimeField(_("made"), auto_now_add=True)
    expiry = models.DateTimeField(_("expires"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.name} · {self.user}"
