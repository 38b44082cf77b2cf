"""HTML and script typed into the text fields of a household, its members and its review are
stored as typed and shown escaped on every page that shows them (and the content security
policy would refuse an inline script anyway: tests/access/test_csp.py)."""

from __future__ import annotations

import pytest
from django.test import Client

from .factories import make_household, member, review

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script>'
IMAGE = '<img src=x onerror="alert(1)">'


def test_markup_in_text_fields_is_stored_as_typed_and_shown_escaped(officer, my_hoa_hung):
    household = make_household(
        officer,
        my_hoa_hung,
        members=[
            member(f"Nguyễn Văn An {SCRIPT}", id_number="089080000123"),
            member(f"Trần Thị Bình {IMAGE}", relationship="spouse", sex="female", birth_year=1982),
        ],
        review_data=review(),
        address=f"Ấp Mỹ An {IMAGE}",
    )
    household.refresh_from_db()
    assert household.address.endswith(IMAGE)  # stored as typed, not mangled
    http = Client()
    http.force_login(officer)
    for url in (
        f"/households/{household.pk}/",
        "/households/",
        f"/households/?q={household.code}",
        f"/households/{household.pk}/edit/",
    ):
        body = http.get(url).content.decode()
        assert SCRIPT not in body, url
        assert IMAGE not in body, url
    page = http.get(f"/households/{household.pk}/").content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page
