from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from coalition.pledges.models import Pledge, Status
from coalition.pledges.services import pledge_create, pledge_submit


def test_it_creates_a_draft_with_its_links_targets_and_usd_value(pledger_a, pledge_data, countries):
    pledge = pledge_create(actor=pledger_a, data=pledge_data)

    assert pledge.status == Status.DRAFT
    assert pledge.created_by == pledger_a
    assert list(pledge.beneficiary_countries.all()) == [countries["KEN"]]
    assert [t.target_value for t in pledge.targets.all()] == [Decimal("500")]
    assert pledge.value_usd == Decimal("1053000.00")
    assert isinstance(pledge.value_usd, Decimal)


def test_it_converts_eur_2022_with_the_stored_average_rate(pledger_a, pledge_data):
    pledge = pledge_create(actor=pledger_a, data=pledge_data)
    pledge.refresh_from_db()

    assert pledge.value_usd == Decimal("1000000") * Decimal("1.053")


def test_it_refuses_an_unknown_currency_naming_the_field(pledger_a, pledge_data):
    pledge_data["value_currency"] = "XYZ"

    with pytest.raises(ValidationError) as error:
        pledge_create(actor=pledger_a, data=pledge_data)

    assert "value_currency" in error.value.message_dict
    assert "XYZ" in error.value.message_dict["value_currency"][0]
    assert not Pledge.objects.exists()


def test_it_refuses_a_value_year_out_of_range_naming_the_field(pledger_a, pledge_data):
    pledge_data["value_year"] = 1900

    with pytest.raises(ValidationError) as error:
        pledge_create(actor=pledger_a, data=pledge_data)

    assert list(error.value.message_dict) == ["value_year"]
    assert not Pledge.objects.exists()


def test_it_needs_amount_currency_and_year_together(pledger_a, pledge_data):
    pledge_data["value_currency"] = None

    with pytest.raises(ValidationError) as error:
        pledge_create(actor=pledger_a, data=pledge_data)

    assert "value_currency" in error.value.message_dict


def test_a_pledge_without_a_value_has_no_usd_value(pledger_a, pledge_data):
    for field in ("value_amount", "value_currency", "value_year"):
        pledge_data[field] = None

    assert pledge_create(actor=pledger_a, data=pledge_data).value_usd is None


def test_a_draft_may_be_incomplete(pledger_a, pledge_data):
    pledge_data.update(description="", framework_nodes=[], scope="multi_country")

    pledge = pledge_create(actor=pledger_a, data=pledge_data)

    assert pledge.status == "draft"


def test_submission_checks_the_scope_against_the_beneficiaries(pledger_a, pledge_data):
    pledge_data["scope"] = "multi_country"
    pledge = pledge_create(actor=pledger_a, data=pledge_data)

    with pytest.raises(ValidationError) as error:
        pledge_submit(actor=pledger_a, pledge=pledge)

    assert "beneficiary_countries" in error.value.message_dict
    pledge.refresh_from_db()
    assert pledge.status == "draft"


def test_it_refuses_framework_nodes_of_another_initiative(pledger_a, pledge_data, other_initiative):
    pledge_data["framework_nodes"] = list(other_initiative.nodes.all())

    with pytest.raises(ValidationError) as error:
        pledge_create(actor=pledger_a, data=pledge_data)

    assert "framework_nodes" in error.value.message_dict


def test_it_names_the_target_row_and_field_in_errors(pledger_a, pledge_data):
    pledge_data["targets"] = [
        {"description": "Women trained", "unit": "people", "target_value": "10000"},
        {"description": "Schools", "unit": "schools", "target_value": "-3"},
    ]

    with pytest.raises(ValidationError) as error:
        pledge_create(actor=pledger_a, data=pledge_data)

    assert list(error.value.message_dict) == ["targets[1].target_value"]
    assert not Pledge.objects.exists()


def test_the_lead_entity_cannot_be_its_own_partner(pledger_a, pledge_data, entity_a):
    pledge_data["partners"] = [{"entity": entity_a, "role": "funder"}]

    with pytest.raises(ValidationError) as error:
        pledge_create(actor=pledger_a, data=pledge_data)

    assert "partners[0].entity" in error.value.message_dict


def test_it_refuses_an_end_date_before_the_start(pledger_a, pledge_data):
    pledge_data["end_date"], pledge_data["start_date"] = pledge_data["start_date"], pledge_data["end_date"]

    with pytest.raises(ValidationError) as error:
        pledge_create(actor=pledger_a, data=pledge_data)

    assert "end_date" in error.value.message_dict


@pytest.mark.parametrize("persona", ["anonymous", "pledger_b", "member_state_focal"])
def test_only_the_entitys_focal_points_and_the_secretariat_may_pledge_for_it(persona, pledge_data, request):
    actor = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        pledge_create(actor=actor, data=pledge_data)

    assert not Pledge.objects.exists()


@pytest.mark.parametrize("persona", ["pledger_a", "reviewer", "administrator"])
def test_focal_points_reviewers_and_administrators_may_pledge_for_the_entity(persona, pledge_data, request):
    actor = request.getfixturevalue(persona)

    assert pledge_create(actor=actor, data=pledge_data).pk


def test_errors_are_worded_in_the_users_language(pledger_a, pledge_data):
    pledge_data.update(title="", value_year=1900)

    with translation.override("fr"), pytest.raises(ValidationError) as error:
        pledge_create(actor=pledger_a, data=pledge_data)

    assert error.value.message_dict["title"] == ["Donnez un titre à l’engagement."]
    assert error.value.message_dict["value_year"][0].startswith("L’année de la valeur doit être comprise entre 1990")
