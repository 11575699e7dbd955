"""Languages: reference names stored once per language (`name_en`, `name_fr`, ...), the same page's
address in every language, and the language a visitor chose."""

import unicodedata
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import get_language, get_language_from_path, get_supported_language_variant


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


def url_in_language(url: str, language: str) -> str:
    """The same page as `url` (a path, or an absolute URL; query string and fragment kept) in
    `language`: "/fr/pledges/?q=x" in English is "/pledges/?q=x". A URL that names no page of
    the site comes back unchanged.

    Django's `translate_url` reads the path in the active language only, so on its own it cannot
    turn a French page's address into English while English is active (in a task, in the
    unprefixed language switch): the path is read here in the language its prefix names."""
    path_language = get_language_from_path(urlsplit(url).path) or settings.LANGUAGE_CODE
    with translation.override(path_language):
        return translate_url(url, language)


def language_forget(**_kwargs) -> None:
    """When a request is over (`request_finished`, sent once a streamed download is sent too),
    its language leaves the thread: LocaleMiddleware activates the page's language and nothing
    deactivates it, so whatever the thread did next — the next request's middleware before
    LocaleMiddleware, a test reversing an address after fetching a /fr/ page — spoke French."""
    translation.deactivate()


def language_alternates(request) -> list[tuple[str, str]]:
    """The page `request` asked for in each of settings.LANGUAGES, then "x-default" (the
    unprefixed English address, which serves whoever named no language), as absolute URLs with
    the query string kept: what `<link rel="alternate" hreflang>` offers search engines.

    Empty where the address names no language (outside `i18n_patterns`) or names no page (404)."""
    if request.resolver_match is None:
        return []
    here = request.get_full_path()
    urls = {code: request.build_absolute_uri(url_in_language(here, code)) for code, _name in settings.LANGUAGES}
    if len(set(urls.values())) < len(urls):
        return []
    return [*urls.items(), ("x-default", urls[settings.LANGUAGE_CODE])]


def language_chosen(request) -> str | None:
    """The language the visitor chose, when they chose one: the language cookie (set by the
    language switch and at sign-in), else the signed-in person's preferred language."""
    for candidate in (request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME),
                      getattr(getattr(request, "user", None), "preferred_language", None)):
        if candidate:
            try:
                return get_supported_language_variant(candidate)
            except LookupError:
                continue
    return None
