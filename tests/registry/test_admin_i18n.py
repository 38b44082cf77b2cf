"""The admin in Vietnamese: its headings, every app and model name, and the text of its pages
(Django's own strings its Vietnamese catalogue lacks, django-axes, django-simple-history and
DRF's tokens included)."""

from __future__ import annotations

import html
import re

import pytest
from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils import translation

from households.ethnicity import ETHNIC_GROUPS
from registry.models import User
from registry.services import api_token_create
from tests.households.factories import make_household

pytestmark = pytest.mark.django_db

# Shown alike in both languages on purpose: the product's name, a header name, the name of the
# other language in the language menu, what the admin prints for an empty value, and the names
# of the ethnic groups.
ALIKE = {"Ansinh", "API", "English", "HTTP Accept", "HTTP Accept:", "None", "<unknown>"} | {
    name for _code, name in ETHNIC_GROUPS
}


def names(model, language: str) -> tuple[str, str, str]:
    with translation.override(language):
        return (
            str(model._meta.app_config.verbose_name),
            str(model._meta.verbose_name),
            str(model._meta.verbose_name_plural),
        )


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m._meta.label)
def test_every_app_and_model_of_the_admin_has_a_vietnamese_name(model):
    vietnamese, english = names(model, "vi"), names(model, "en")
    assert all(vi != en for vi, en in zip(vietnamese, english, strict=True)), vietnamese


def test_site_header_title_and_index_are_vietnamese():
    site = admin.site
    with translation.override("vi"):
        shown = [str(site.site_header), str(site.site_title), str(site.index_title)]
    assert shown == [
        "Quản trị Ansinh",
        "Quản trị Ansinh",
        "Người dùng, đơn vị, chuẩn nghèo và dữ liệu hộ",
    ]


def _texts(content: str) -> set[str]:
    content = re.sub(r"(?s)<script.*?</script>|<style.*?</style>", "", content)
    found = re.findall(r">([^<>]+)<", content)
    found += re.findall(r'(?:title|placeholder|aria-label)="([^"]+)"', content)
    # Only what holds a word of plain letters: numbers, codes and identifiers are not language.
    texts = {html.unescape(t).strip() for t in found}
    return {t for t in texts if re.search(r"\b[A-Za-z]{3,}\b", t)}


def _data() -> set[str]:
    """Every value stored in the rows the admin shows, which no catalogue translates."""
    values: set[str] = set()
    for model in admin.site._registry:
        fields = [f.attname for f in model._meta.concrete_fields if isinstance(f, models.CharField)]
        for obj in model._default_manager.all():
            values.add(str(obj))
            values.update(str(getattr(obj, name)) for name in fields)
    return values


def _admin_urls() -> list[str]:
    urls = [reverse("admin:index"), reverse("admin:password_change")]
    for model in admin.site._registry:
        info = model._meta.app_label, model._meta.model_name
        urls += [
            reverse("admin:app_list", args=[info[0]]),
            reverse("admin:{}_{}_changelist".format(*info)),
            reverse("admin:{}_{}_add".format(*info)),
        ]
        first = model._default_manager.first()
        if first is not None:
            urls += [
                reverse("admin:{}_{}_change".format(*info), args=[first.pk]),
                reverse("admin:{}_{}_history".format(*info), args=[first.pk]),
            ]
    return sorted(set(urls))


def test_admin_pages_show_no_english_text(client, officer, my_hoa_hung):
    make_household(officer, my_hoa_hung)
    root = User.objects.create_superuser("root", "root@example.vn", "pw-Ansinh-123")
    api_token_create(actor=root, name="Máy chủ báo cáo", days=30)
    client.post(reverse("admin:login"), {"username": "root", "password": "wrong"})
    client.post(reverse("admin:login"), {"username": "root", "password": "pw-Ansinh-123"})
    untranslated = {}
    for url in _admin_urls():
        vietnamese = _texts(client.get(url, HTTP_ACCEPT_LANGUAGE="vi").content.decode())
        english = _texts(client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode())
        if alike := vietnamese & english - ALIKE:
            untranslated[url] = alike
    data = _data()
    untranslated = {url: alike - data for url, alike in untranslated.items() if alike - data}
    assert untranslated == {}
