"""`fold`: what names and search documents are compared by — casefolded, accents stripped, spaces
collapsed — the same whether the text is plain ASCII (the quick path) or not."""

import unicodedata

import pytest

from coalition.common.i18n import fold


def folded_the_long_way(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


@pytest.mark.parametrize("text", [
    "Connecting RURAL schools",
    "  tabs\tand\nnew lines  ",
    "ITU-D: C7.1 (e-government) & SDG 9.c",
    "",
    "Équateur",
    "Côte d'Ivoire",
    "Straße",
    "Türkiye",
    "ﬁbre optique",  # a ligature NFKD splits into two letters
])
def test_fold_is_the_same_on_either_path(text):
    assert fold(text) == folded_the_long_way(text)


def test_fold_strips_accents_and_case():
    assert fold("Équateur  NÉPAL") == "equateur nepal"
    assert fold(None) == ""
