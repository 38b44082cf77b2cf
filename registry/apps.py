from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class RegistryConfig(AppConfig):
    """Administrative units, officers and access scoping."""

    name = "registry"
    default = True  # the app's config; AxesConfig below is django-axes's
    verbose_name = _("Registry")


class AxesConfig(AxesAppConfig):
    """django-axes (log-in throttling) under a name in the user's language in the admin: the app
    gives none, and its label "Axes" would show untranslated."""

    default = False
    verbose_name = _("Log-in tracking")


class TasksConfig(TasksAppConfig):
    """django-tasks-db (the queue of background tasks) under a name in the user's language in the
    admin: the app's own, "Tasks Database Backend", is not translatable."""

    default = False
    verbose_name = _("Background tasks")


class KnoxConfig(AppConfig):
    """django-rest-knox (API tokens; its model is swapped for registry.ApiToken) under a name in
    the user's language: the permissions of its unused model are listed in the admin."""

    name = "knox"
    label = "knox"
    verbose_name = _("API tokens (library)")
