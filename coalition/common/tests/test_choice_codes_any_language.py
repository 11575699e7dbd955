"""`choice_codes` / `choice_code`: a choice found from its code or its label in any interface language."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from coalition.common.i18n import choice_code, choice_codes


class Progress(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    COMPLETED = "completed", _("Completed")


def test_a_label_in_any_language_finds_its_code_whatever_the_case_accents_and_spacing():
    codes = choice_codes(Progress)
    assert choice_code(codes, "En bonne voie") == "on_track"
    assert choice_code(codes, "  en BONNE   voie ") == "on_track"
    assert choice_code(codes, "achevé") == choice_code(codes, "ACHEVE") == "completed"
    assert choice_code(codes, "On Track") == "on_track"


def test_a_code_finds_itself_written_with_spaces_or_capitals():
    codes = choice_codes(Progress)
    assert choice_code(codes, "on_track") == choice_code(codes, "ON TRACK") == "on_track"


def test_anything_else_finds_nothing():
    codes = choice_codes(Progress)
    assert choice_code(codes, "Publié") is None and choice_code(codes, "") is None and choice_code(codes, None) is None
