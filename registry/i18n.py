"""Strings Django itself shows whose Vietnamese translation Django does not ship yet.

Marked here so that `makemessages` puts them in this project's catalogue, which takes
precedence over Django's own.
"""

from django.utils.translation import gettext_noop

DJANGO_STRINGS = (
    # django.db.models.fields.BLANK_CHOICE_LABEL: the empty option of every select.
    gettext_noop("- Select an option -"),
)
