"""Text helpers: search keys that ignore Vietnamese diacritics and case."""

import re

from unidecode import unidecode

_SPACES = re.compile(r"\s+")


def search_key(text: str | None) -> str:
    """Fold to lower-case ASCII without diacritics: "Long Xuyên" -> "long xuyen"."""
    if not text:
        return ""
    return _SPACES.sub(" ", unidecode(text).lower()).strip()
