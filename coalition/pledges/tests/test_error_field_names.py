"""Errors name the field as the form shows it: "Target 1 — value", not "targets[0].target value"."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from coalition.pledges.services import pledge_create
from coalition.pledges.templatetags.pledge_fields import error_lines, field_label


@pytest.mark.parametrize("key, label", [
    ("targets[0].target_value", "Target 1 — value"),
    ("targets[1].description", "Target 2 — description"),
    ("targets[2].actual_value", "Target 3 — value reached"),
    ("targets[0].target", "Target 1"),
    ("partners[0].entity", "Partner 1"),
    ("partners[3].role", "Partner 4 — role"),
    ("evidence[1].file", "Evidence 2 — file"),
    ("evidence[0].url", "Evidence 1 — web address"),
])
def test_a_row_s_field_is_named_by_its_row_and_label(key, label):
    assert field_label(key) == label


def test_rows_are_numbered_as_the_form_shows_them():
    assert field_label("targets[0].unit", {"targets": [2, 3]}) == "Target 2 — unit"


def test_the_names_are_in_the_reader_s_language():
    with translation.override("fr"):
        assert field_label("title") == "titre"
        assert field_label("targets[0].target_value").startswith(str(translation.gettext("Target %(number)s") % {"number": 1}))


def test_an_error_reads_as_a_sentence_naming_its_field():
    error = ValidationError({"targets[0].target_value": ["Give the target value."], "status": ["It is submitted."]})

    assert error_lines(error) == ["Target 1 — value: Give the target value.", "It is submitted."]


def test_the_targets_step_names_the_row_the_pledger_filled(client, pledger_a, pledge_data):
    draft = pledge_create(actor=pledger_a, data=pledge_data)
    client.force_login(pledger_a)

    response = client.post(reverse("pledges:edit", args=[draft.pk, "targets"]), {
        "targets-TOTAL_FORMS": "2", "targets-INITIAL_FORMS": "0",
        "targets-0-description": "", "targets-0-unit": "", "targets-0-target_value": "",
        "targets-1-description": "Women trained", "targets-1-unit": "people", "targets-1-target_value": "",
        "partners-TOTAL_FORMS": "1", "partners-INITIAL_FORMS": "0", "partners-0-entity": "", "partners-0-role": "",
    })

    assert response.status_code == 200
    assert "Target 2 — value: Give the target value." in response.text
    assert "targets[" not in response.text


def test_submitting_names_the_target_at_fault(client, pledger_a, pledge_data):
    draft = pledge_create(actor=pledger_a, data=pledge_data)
    draft.targets.update(unit="")
    client.force_login(pledger_a)

    response = client.post(reverse("pledges:submit", args=[draft.pk]), follow=True)

    assert "Target 1 — unit: Give the unit counted" in response.text
