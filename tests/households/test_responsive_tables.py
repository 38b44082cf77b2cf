"""Every table of the campaign pages and the household list scrolls inside its own box
(Bootstrap's .table-responsive) rather than cutting the page off on a tablet."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates" / "households"
PAGES = [*sorted((TEMPLATES / "campaign").glob("*.html")), TEMPLATES / "household_list.html"]
VOID = {"br", "hr", "img", "input", "link", "meta", "col", "source", "wbr"}


class _Tables(HTMLParser):
    """Records, for each <table>, whether an element around it has the class table-responsive."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.tables: list[bool] = []

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append(any(responsive for _tag, responsive in self.stack))
        if tag not in VOID:
            classes = (dict(attrs).get("class") or "").split()
            self.stack.append((tag, "table-responsive" in classes))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break


@pytest.mark.parametrize("template", PAGES, ids=lambda p: p.name)
def test_every_table_is_inside_a_responsive_box(template):
    parser = _Tables()
    parser.feed(template.read_text(encoding="utf-8"))
    assert all(parser.tables), f"{template.name}: a table outside .table-responsive"


def test_the_check_sees_the_tables():
    parser = _Tables()
    parser.feed('<div class="table-responsive"><table></table></div><table></table>')
    assert parser.tables == [True, False]
