"""A site whose indicator catalogue is not loaded yet says so on its connectivity pages."""

import pytest
from django.urls import reverse

from coalition.explore.tests.places_fixtures import groups, registry  # noqa: F401


@pytest.mark.parametrize("name,args,query", [("explore:profile", ["KEN"], {}), ("explore:compare", [], {"c": "KEN"}),
                                             ("explore:gap", [], {})])
def test_the_connectivity_pages_say_the_indicators_are_not_loaded(client, registry, name, args, query):
    response = client.get(reverse(name, args=args), query)

    assert response.status_code == 503
    assert "coalition indicators load" in response.text
