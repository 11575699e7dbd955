"""A facet may narrow a list read a page at a time differently from a count (`narrow_paged`:
each pledge tested on its own rather than every matching pledge listed first), but never to
other pledges: for every value of every such facet, both forms select the same ones."""

from django.http import QueryDict
from django.utils import timezone

from coalition.explore.explorer import explorer_selection
from coalition.explore.facets import FACETS, FacetContext, facets_narrow
from coalition.explore.tests.places_fixtures import groups, registry  # noqa: F401 (fixtures)
from coalition.pledges.selectors import pledge_list_published


def _ids(queryset) -> set[int]:
    return set(queryset.values_list("id", flat=True))


def test_every_value_of_a_facet_with_a_paged_form_selects_the_same_pledges_both_ways(registry):
    ctx = FacetContext(today=timezone.localdate())
    paged = [facet for facet in FACETS if facet.narrow_paged]
    assert {facet.name for facet in paged} >= {"region", "group", "stakeholder"}
    selected = 0
    for facet in paged:
        for option in facet.options(ctx):
            chosen = {facet.name: [option.value]}
            counted = _ids(facets_narrow(ctx, pledge_list_published(), chosen))
            assert _ids(facets_narrow(ctx, pledge_list_published(), chosen, paged=True)) == counted, (facet.name, option.value)
            selected += bool(counted)
    assert selected >= 5  # the fixtures' pledges fall in several of the values


def test_two_facets_together_select_the_same_pledges_both_ways_and_the_explorer_lists_the_paged_form(registry):
    ctx = FacetContext(today=timezone.localdate())
    chosen = {"group": ["LDC"], "stakeholder": ["government", "private_sector"], "region": ["ITU-ASP", "M49-034"]}
    counted = _ids(facets_narrow(ctx, pledge_list_published(), chosen))
    assert counted
    params = QueryDict("group=LDC&stakeholder=government&stakeholder=private_sector&region=ITU-ASP&region=M49-034")
    assert _ids(explorer_selection(params=params).pledges) == counted


def test_stakeholders_with_more_lead_entities_than_a_query_should_name_fall_back_to_the_join(registry, monkeypatch):
    from coalition.explore import facets

    ctx = FacetContext(today=timezone.localdate())
    chosen = {"stakeholder": ["government", "private_sector"]}
    plain = pledge_list_published().select_related(None)
    listed = facets_narrow(ctx, plain, chosen, paged=True)
    assert "pledges_entity" not in str(listed.query)  # the entities' ids, named
    monkeypatch.setattr(facets, "_LEADS_LISTED", 0)
    joined = facets_narrow(ctx, plain, chosen, paged=True)
    assert "pledges_entity" in str(joined.query)
    assert _ids(listed) and _ids(joined) == _ids(listed)
