from coalition.common.text import line_clean, text_clean


def test_invisible_characters_at_either_end_are_trimmed():
    assert text_clean("\ufeff\u200b\u2060 Schools \u200b\u00a0") == "Schools"


def test_a_text_of_invisible_characters_only_is_empty():
    assert text_clean("\u200b\u200c\u200d\ufeff\u2060\t\n ") == ""


def test_control_characters_are_removed_and_line_breaks_kept():
    assert text_clean("First\x00 line\x07\r\nSecond\tline") == "First line\nSecond\tline"


def test_joiners_inside_words_are_kept():
    assert text_clean("می\u200cخواهم") == "می\u200cخواهم"


def test_a_line_is_one_line_with_single_spaces():
    assert line_clean("  Connect \n\n 500\u00a0schools ") == "Connect 500 schools"


def test_nothing_is_empty_text():
    assert text_clean(None) == ""
