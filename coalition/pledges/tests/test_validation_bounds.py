"""Numbers are bounded where they enter, texts are cleaned, lists are capped: whatever a form,
the admin, a workbook or a script hands the services, what is saved can be read back."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from coalition.pledges.models import Pledge, PledgeTarget
from coalition.pledges.services import pledge_create
from coalition.pledges.validation import MAX_PARTNERS, MAX_TARGETS, MONEY, QUANTITY


def _refused(pledger, data) -> dict:
    with pytest.raises(ValidationError) as refused:
        pledge_create(actor=pledger, data=data)
    assert not Pledge.objects.exists()
    return refused.value.message_dict


@pytest.mark.parametrize("amount", ["1e18", "1e30", "-1e30", "1000000000000000.01", "9" * 40])
def test_an_oversized_estimated_value_is_refused_naming_the_field_and_the_limit(pledger_a, pledge_data, amount):
    errors = _refused(pledger_a, {**pledge_data, "value_amount": amount})

    assert list(errors) == ["value_amount"]
    assert "1,000,000,000,000,000" in errors["value_amount"][0]


@pytest.mark.parametrize("field", ["target_value", "baseline_value"])
def test_an_oversized_target_number_is_refused_on_its_row(pledger_a, pledge_data, field):
    target = {**pledge_data["targets"][0], field: "1e30"}

    errors = _refused(pledger_a, {**pledge_data, "targets": [target]})

    assert list(errors) == [f"targets[0].{field}"]


def test_the_largest_accepted_numbers_are_saved_and_read_back(pledger_a, pledge_data):
    target = {**pledge_data["targets"][0], "target_value": str(QUANTITY.maximum)}

    pledge = pledge_create(actor=pledger_a, data={**pledge_data, "value_amount": str(MONEY.maximum),
                                                  "value_currency": "USD", "targets": [target]})

    stored = Pledge.objects.get(pk=pledge.pk)
    assert stored.value_amount == stored.value_usd == MONEY.maximum
    assert PledgeTarget.objects.get(pledge=stored).target_value == QUANTITY.maximum


def test_numbers_are_rounded_to_what_their_column_keeps(pledger_a, pledge_data):
    target = {**pledge_data["targets"][0], "target_value": "12.345678"}

    pledge = pledge_create(actor=pledger_a, data={**pledge_data, "value_amount": "1000.005", "targets": [target]})

    assert Pledge.objects.get(pk=pledge.pk).value_amount == Decimal("1000.01")
    assert PledgeTarget.objects.get(pledge=pledge).target_value == Decimal("12.3457")


def test_a_value_too_small_to_keep_is_refused_as_zero(pledger_a, pledge_data):
    target = {**pledge_data["targets"][0], "target_value": "1e-30"}

    errors = _refused(pledger_a, {**pledge_data, "targets": [target]})

    assert errors == {"targets[0].target_value": ["The target value must be greater than zero."]}


def test_a_title_made_only_of_invisible_characters_is_no_title(pledger_a, pledge_data):
    errors = _refused(pledger_a, {**pledge_data, "title": "\u200b\u200d\ufeff \u2060"})

    assert errors == {"title": ["Give the pledge a title."]}


def test_invisible_padding_and_control_characters_are_removed_but_joiners_inside_words_kept(pledger_a, pledge_data):
    title = "\ufeff\u200bمی\u200cخواهم connect\x07 schools\u200b"

    pledge = pledge_create(actor=pledger_a, data={**pledge_data, "title": title})

    assert Pledge.objects.get(pk=pledge.pk).title == "می\u200cخواهم connect schools"


def test_more_targets_than_the_form_offers_are_refused(pledger_a, pledge_data):
    targets = [{"description": f"Schools in county {n}", "unit": "schools", "target_value": "5"} for n in range(200)]

    errors = _refused(pledger_a, {**pledge_data, "targets": targets})

    assert errors == {"targets": [f"A pledge has at most {MAX_TARGETS} quantified targets."]}
    assert not PledgeTarget.objects.exists()


def test_more_partners_than_the_form_offers_are_refused(pledger_a, pledge_data, entity_b):
    partners = [{"entity": entity_b, "role": "funder"}] * (MAX_PARTNERS + 1)

    errors = _refused(pledger_a, {**pledge_data, "partners": partners})

    assert errors == {"partners": [f"A pledge has at most {MAX_PARTNERS} partners."]}
