"""The review queues' match (`words_match`): every word, case and accents aside, a word of four
letters or more give or take one slip."""

import pytest

from coalition.common.spelling import words_match


@pytest.mark.parametrize("query", ["turkiye", "TURKIYE", "türkiye", "telekom turk", "Türkiye Telekom"])
def test_accents_and_case_are_ignored(query):
    assert words_match(query, "Fibre backbone", "Türkiye Telekom", "TT")


@pytest.mark.parametrize("query", ["Safaricon", "safarcom", "Safaricm rural", "clinis"])
def test_a_word_with_one_slip_still_matches(query):
    assert words_match(query, "M-Pesa for rural clinics", "Safaricom PLC", "")


@pytest.mark.parametrize("query", ["Safarixxm", "Safaricon Telekom", "ITC", "rul"])
def test_two_slips_a_short_word_with_one_or_a_missing_word_do_not(query):
    assert not words_match(query, "M-Pesa for rural clinics", "Safaricom PLC", "ICT")
