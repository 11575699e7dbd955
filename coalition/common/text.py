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
