"""Names as people type them: their folded words, and whether two words are a typo or two apart.

PostgreSQL matches names with a typo by trigram similarity (`pg_trgm`); these are the Python
counterparts, for the SQLite fallback of entity search and for lists matched in Python (the
review queues). A "slip" is one letter inserted, dropped, changed, or two neighbours swapped.
"""

import functools
import re

from coalition.common.i18n import fold

# Letters and digits: "l'Économie" is two words, "l" and "economie".
_WORD = re.compile(r"[^\W_]+")


def name_words(text: str) -> list[str]:
    """The words of `text`, folded (case and accents aside), punctuation dropped."""
    return _WORD.findall(fold(text))


def name_key(text: str) -> str:
    """The words of `text` joined by single spaces: "Ministère de l'Économie" reads
    "ministere de l economie", the form names are stored (`Entity.search_name`) and compared in."""
    return " ".join(name_words(text))


def slips_allowed(word: str) -> int:
    """How many slips a typed word may carry and still match: none up to three letters (too many
    short words are one slip apart), one up to seven, two beyond."""
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2


def slips(a: str, b: str, *, limit: int) -> int:
    """The slips between `a` and `b` (optimal string alignment distance), or `limit + 1` as soon as
    there are more than `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before, previous = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return min(previous[-1], limit + 1)


@functools.lru_cache(maxsize=65536)  # names repeat their words ("ministry", "telecom", "of")
def word_close(typed: str, word: str, *, most: int = 2) -> int | None:
    """The slips between the folded `typed` word and `word` or the start of it ("safarcom" and
    "safaric" both find "safaricom"), within `slips_allowed(typed)` and at most `most`; None when
    they are further apart."""
    limit = min(slips_allowed(typed), most)
    if word.startswith(typed):
        return 0
    if limit == 0:
        return None
    found = min(slips(typed, candidate, limit=limit) for candidate in {word, word[:len(typed)], word[:len(typed) + 1]})
    return found if found <= limit else None


def words_close(typed: list[str], words: list[str], *, most: int = 2) -> int | None:
    """The slips it takes for every word of `typed` to be in `words` (each a word of `words`, or the
    start of one, give or take `word_close`'s slips), or None when one of them is not."""
    total = 0
    for word in typed:
        best = min((s for other in words if (s := word_close(word, other, most=most)) is not None), default=None)
        if best is None:
            return None
        total += best
    return total


def words_match(query: str, *texts: str) -> bool:
    """Whether every word of `query` is in one of `texts`, case and accents aside ("turkiye"
    finds "Türkiye"); a word of four letters or more may carry one slip ("Safaricon" finds
    "Safaricom")."""
    haystack = " ".join(fold(text or "") for text in texts)
    missing = [word for word in fold(query).split() if word not in haystack]
    return not missing or words_close(name_words(" ".join(missing)), name_words(haystack), most=1) is not None
