import pytest
from django.urls import reverse


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_nul_character_in_a_parameter_is_refused_naming_it(client, db, method):
    response = getattr(client, method)(reverse("explore:explorer"), {"q": "schools\x00"})

    assert response.status_code == 400
    assert "“q” contains a NUL character" in response.text


def test_ordinary_parameters_pass(client, db):
    assert client.get(reverse("explore:explorer"), {"q": "écoles"}).status_code == 200
