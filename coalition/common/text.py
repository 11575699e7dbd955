"""User text as the platform keeps it: no control characters, no invisible padding.

A title typed (or pasted) as zero-width spaces, byte-order marks or other invisible format
characters is as empty as one typed as blanks; such characters at either end are trimmed.
Inside the text they are kept, since scripts such as Persian and Devanagari (and emoji) need
the zero-width joiners.
"""

import unicodedata

_KEPT_CONTROLS = {"\n", "\t"}


def _invisible(character: str) -> bool:
    return character.isspace() or unicodedata.category(character) in ("Cf", "Cc")


def text_clean(value: object) -> str:
    """`value` as text without control characters (newlines and tabs kept; carriage returns
    dropped, so line ends are \\n), trimmed of blanks and invisible characters at both ends."""
    text = "" if value is None else str(value)
    text = "".join(c for c in text if c in _KEPT_CONTROLS or unicodedata.category(c) != "Cc")
    start, end = 0, len(text)
    while start < end and _invisible(text[start]):
        start += 1
    while end > start and _invisible(text[end - 1]):
        end -= 1
    return text[start:end]


def line_clean(value: object) -> str:
    """`value` as one line: `text_clean`, with every run of blanks (newlines included) one space."""
    return " ".join(text_clean(value).split())


# How long the texts people type may be, wherever they are stored: one line (a title, a name, a
# unit) is bounded by its column; free text (a description, a narrative, a comment) by these.
TEXT_LIMIT = 20_000
MESSAGE_LIMIT = 2_000


def too_long(text: str, *, limit: int, label) -> str | None:
    """The message refusing `text` when it is longer than `limit` characters, naming the field
    as the form shows it (`label`, lower-cased) and saying how long the text is; None when it fits."""
    from django.utils.formats import number_format
    from django.utils.translation import gettext as _

    if len(text) <= limit:
        return None
    return _("Keep the %(field)s to %(limit)s characters at most; it has %(count)s.") % {
        "field": str(label).lower(), "limit": number_format(limit, force_grouping=True),
        "count": number_format(len(text), force_grouping=True)}


def length_check(errors: dict, field: str, text: str, *, limit: int, label) -> None:
    """Put `too_long`'s message on `errors[field]` when `text` is longer than `limit` (and the
    field has no other error yet)."""
    message = too_long(text, limit=limit, label=label)
    if message and field not in errors:
        errors[field] = message
