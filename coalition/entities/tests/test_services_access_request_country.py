import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coalition.accounts.models import CountryFocalPoint
from coalition.entities.services import access_request_approve, access_request_country, access_request_decline


@pytest.fixture
def nepal_request(member_state_focal, countries):
    return access_request_country(
        actor=member_state_focal, country=countries["NPL"], message="Ministry of Communication"
    )


def test_a_reviewer_approves_and_the_user_becomes_the_countrys_focal_point(nepal_request, reviewer, member_state_focal):
    access_request_approve(actor=reviewer, access_request=nepal_request)

    row = CountryFocalPoint.objects.get(user=member_state_focal)
    assert row.country.iso3 == "NPL" and row.approved_by == reviewer and row.approved_at


@pytest.mark.parametrize("wrong", ["anonymous", "pledger_a", "pledger_b"])
def test_entity_focal_points_and_anonymous_cannot_decide_a_country_request(nepal_request, wrong, request):
    actor = request.getfixturevalue(wrong)

    with pytest.raises(PermissionDenied):
        access_request_approve(actor=actor, access_request=nepal_request)
    with pytest.raises(PermissionDenied):
        access_request_decline(actor=actor, access_request=nepal_request, reason="no")

    assert not CountryFocalPoint.objects.exists()


def test_nobody_decides_their_own_request(reviewer, countries):
    own = access_request_country(actor=reviewer, country=countries["FRA"])

    with pytest.raises(PermissionDenied):
        access_request_approve(actor=reviewer, access_request=own)


def test_a_country_already_held_is_refused_on_the_country_field(country_focal, countries):
    with pytest.raises(ValidationError) as error:
        access_request_country(actor=country_focal, country=countries["KEN"])

    assert "country" in error.value.message_dict
