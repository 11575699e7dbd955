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


def choice_codes(choices) -> dict[str, str]:
    """{folded text: code} for a `TextChoices` class: each code, and each label in every language of
    settings.LANGUAGES, so "En bonne voie", "on track" and "ON_TRACK" all find `on_track`.

    Build it once per file read (it switches language for every label); look texts up with
    `choice_code`."""
    from django.conf import settings
    from django.utils import translation

    found: dict[str, str] = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for code, label in choices.choices:
                found.setdefault(_choice_key(str(label)), code)
    for code in choices.values:  # a code wins over a label that happens to read the same
        found[_choice_key(code)] = code
    return found


def choice_code(codes: dict[str, str], text) -> str | None:
    """The code `text` stands for in `codes` (from `choice_codes`), matched without regard to case,
    accents, spacing or underscores; None when it stands for none."""
    return codes.get(_choice_key(str(text if text is not None else "")))


def _choice_key(text: str) -> str:
    return fold(text.replace("_", " ").replace("-", " "))
