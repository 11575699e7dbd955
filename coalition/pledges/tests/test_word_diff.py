"""The before/after table marks only the words that changed, escaped."""

from types import SimpleNamespace

from coalition.pledges.templatetags.pledge_fields import diff_after, diff_before


def test_only_the_changed_words_are_marked():
    change = SimpleNamespace(old="Training centres in Ziguinchor for women.",
                             new="Training centres in Ziguinchor and Soma for women.")

    assert diff_before(change) == "Training centres in Ziguinchor for women."
    assert diff_after(change) == "Training centres in Ziguinchor <ins>and Soma </ins>for women."


def test_a_replaced_word_is_struck_on_one_side_and_inserted_on_the_other():
    change = SimpleNamespace(old="500 rural schools", new="700 rural schools")

    assert (diff_before(change), diff_after(change)) == ("<del>500</del> rural schools", "<ins>700</ins> rural schools")


def test_markup_in_a_value_stays_text():
    change = SimpleNamespace(old="<b>x</b>", new="<script>alert(1)</script>")

    assert diff_after(change) == "<ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins>"
    assert diff_before(change) == "<del>&lt;b&gt;x&lt;/b&gt;</del>"
