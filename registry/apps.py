from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    """Administrative units, officers and access scoping."""

    name = "registry"
    verbose_name = _("Registry")
