"""Reference names are stored once per language (`name_en`, `name_fr`, ...)."""

import unicodedata

from django.utils.translation import get_language


def pick(obj, field: str) -> str:
    """The value of `field` in the active language, falling back to English."""
    language = (get_language() or "en").split("-")[0]
    return getattr(obj, f"{field}_{language}", "") or getattr(obj, f"{field}_en", "")


class TranslatedNameMixin:
    @property
    def name(self) -> str:
        return pick(self, "name")

    def __str__(self) -> str:
        return self.name


def fold(text: str) -> str:
    """Casefolded, accents stripped, spaces collapsed: "Équateur" sorts and matches with "equateur"."""
    text = text or ""
    if text.isascii():  # most text, and nothing to decompose: ten times faster
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())
