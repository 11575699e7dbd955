"""Reads of the good-practice library: the library as of a date, single practices, the author's
and the reviewer's lists, and the practices related to a pledge, a country or an action."""

from coalition.knowledge.selectors.library import (
    LibraryFilters,
    library_filters_parse,
    library_options,
    library_page,
    published_versions,
)
from coalition.knowledge.selectors.practices import (
    practice_for_page,
    practice_review_queue,
    practice_transitions,
    practices_of_author,
)
from coalition.knowledge.selectors.related import practices_of_country, practices_related

__all__ = [
    "LibraryFilters",
    "library_filters_parse",
    "library_options",
    "library_page",
    "practice_for_page",
    "practice_review_queue",
    "practice_transitions",
    "practices_of_author",
    "practices_of_country",
    "practices_related",
    "published_versions",
]
