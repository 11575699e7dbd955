"""Names as people type them: folded words, and slips counted the same way everywhere."""

import pytest

from coalition.common.spelling import name_key, slips, word_close, words_close


@pytest.mark.parametrize(
    ("text", "key"),
    [("Ministère de l'Économie numérique", "ministere de l economie numerique"),
     ("  TÜRKİYE   Telekom ", "turkiye telekom"), ("AT&T", "at t"), ("", "")],
)
def test_a_name_key_is_its_folded_words(text, key):
    assert name_key(text) == key


@pytest.mark.parametrize(
    ("a", "b", "count"),
    [("telecom", "telecom", 0), ("telcom", "telecom", 1), ("safaricon", "safaricom", 1),
     ("oragne", "orange", 1), ("teelcom", "telecom", 1), ("kenia", "kenya", 1), ("abcdef", "uvwxyz", 3)],
)
def test_slips_count_inserts_drops_changes_and_swaps(a, b, count):
    assert slips(a, b, limit=2) == min(count, 3)


@pytest.mark.parametrize(
    ("typed", "word", "found"),
    [("telcom", "telecom", 1), ("safaric", "safaricom", 0), ("safarcom", "safaricom", 1),
     ("ict", "itc", None), ("communciations", "communications", 1), ("comunicatins", "communications", 2),
     ("telcom", "telekom", None)],
)
def test_a_word_carries_one_slip_from_four_letters_and_two_from_eight(typed, word, found):
    assert word_close(typed, word) == found


def test_every_typed_word_must_be_close_to_a_word_of_the_name():
    assert words_close(["sri", "telcom"], ["sri", "lanka", "telecom"]) == 1
    assert words_close(["safaricon", "telcom"], ["safaricom", "plc"]) is None
    assert words_close(["comunicatins"], ["communications"], most=1) is None
