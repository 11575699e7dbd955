"""The library and the related practices as of a date: what was published at the end of that day,
as it stood then."""

import datetime

import pytest
import time_machine
from django.http import QueryDict
from django.utils import timezone

from coalition.actionplan.models import Action, Pillar, Plan
from coalition.common.asof import as_of_date, as_of_now
from coalition.knowledge import services
from coalition.knowledge.selectors import (
    library_filters_parse,
    library_options,
    library_page,
    practices_of_country,
    practices_related,
)

TEN_DAYS_AGO = timezone.now() - datetime.timedelta(days=10)


def _day(days_ago: int):
    return as_of_date(timezone.localdate() - datetime.timedelta(days=days_ago))


def _titles(as_of, **params) -> list[str]:
    query = QueryDict(mutable=True)
    query.update(params)
    return [v.title for v in library_page(as_of=as_of, filters=library_filters_parse(query), page_number=1).object_list]


def _publish(author, reviewer, data):
    practice = services.practice_create(actor=author, data=data)
    services.practice_move(actor=author, practice=practice, action="submit")
    return services.practice_move(actor=reviewer, practice=practice, action="publish")


def test_a_practice_published_today_is_absent_as_of_yesterday(published_practice):
    assert _titles(as_of_now()) == ["Community telecentres in rural Nepal"]
    assert _titles(_day(1)) == []
    assert library_options(_day(1))["countries"] == []
    assert [c.iso3 for c in library_options(as_of_now())["countries"]] == ["NPL"]


def test_a_practice_withdrawn_since_is_listed_as_it_stood_without_a_link(pledger_a, reviewer, pledger_fields):
    with time_machine.travel(TEN_DAYS_AGO, tick=False):
        practice = _publish(pledger_a, reviewer, pledger_fields)
    services.practice_move(actor=pledger_a, practice=practice, action="withdraw")
    [version] = library_page(as_of=_day(5), filters=library_filters_parse(QueryDict()), page_number=1).object_list
    assert (version.id, version.title, version.still_published) == (practice.pk, practice.title, False)
    assert [c.iso3 for c in version.country_list] == ["NPL"]
    assert _titles(_day(5), country="NPL") == [practice.title]
    assert _titles(as_of_now()) == []


def test_a_practice_returned_for_changes_before_publication_is_absent_until_published(
        pledger_a, reviewer, pledger_fields):
    with time_machine.travel(TEN_DAYS_AGO, tick=False):
        practice = services.practice_create(actor=pledger_a, data=pledger_fields)
        services.practice_move(actor=pledger_a, practice=practice, action="submit")
    assert _titles(_day(5)) == []
    services.practice_move(actor=reviewer, practice=practice, action="publish")
    assert _titles(as_of_now()) == [practice.title]


# --- Related practices ---------------------------------------------------------------------------


@pytest.fixture
def action(initiative):
    plan = Plan.objects.create(initiative=initiative, slug="ap-is-2022", name_en="AP-IS Action Plan 2022–2026",
                               short_name="AP-IS 2022–2026", start_year=2022, end_year=2026)
    pillar = Pillar.objects.create(plan=plan, code="1", name_en="Connectivity for all")
    return Action.objects.create(plan=plan, pillar=pillar, code="1.1", title_en="Illustrative action",
                                 illustrative=True)


@pytest.fixture
def around_the_pledge(published, pledger_a, country_focal, reviewer, practice_fields, entity_a, countries, tags, action):
    """Practices around entity A's published pledge (Kenya, FA1.1): linked to it; sharing its node
    and country; sharing its country only (shared by Kenya); unrelated."""
    pledger = {**practice_fields, "shared_by": "pledger", "entity": entity_a}
    return {
        "unrelated": _publish(pledger_a, reviewer, {**pledger, "title": "Unrelated", "framework_nodes": []}),
        "country": _publish(country_focal, reviewer, {**practice_fields, "shared_by": "member_state",
                                                      "country": countries["KEN"], "countries": [],
                                                      "framework_nodes": [], "title": "Country only"}),
        "node_and_country": _publish(pledger_a, reviewer, {**pledger, "title": "Node and country",
                                                           "countries": [countries["KEN"]]}),
        "linked": _publish(pledger_a, reviewer, {**pledger, "title": "Linked", "pledges": [published],
                                                 "framework_nodes": [], "actions": [action]}),
    }


def test_a_pledge_s_related_practices_are_the_linked_ones_then_those_sharing_most(around_the_pledge, published):
    related = practices_related(pledge=published, as_of=as_of_now())
    assert [v.title for v in related] == ["Linked", "Node and country", "Country only"]
    assert all(v.still_published for v in related)
    assert [v.title for v in practices_related(pledge=published, as_of=as_of_now(), limit=1)] == ["Linked"]


def test_a_country_s_practices_name_it_or_are_shared_by_it(around_the_pledge, countries):
    assert [v.title for v in practices_of_country(countries["KEN"], as_of_now())] == [
        "Node and country", "Country only"]
    assert [v.title for v in practices_related(country=countries["KEN"], as_of=as_of_now(), limit=1)] == [
        "Node and country"]
    assert [v.title for v in practices_of_country(countries["NPL"], as_of_now())] == ["Linked", "Unrelated"]


def test_an_action_s_practices_are_those_linked_to_it(around_the_pledge, action):
    assert [v.title for v in practices_related(action=action, as_of=as_of_now())] == ["Linked"]


def test_related_practices_as_of_yesterday_leave_out_those_published_today(around_the_pledge, published, countries,
                                                                          action):
    assert practices_related(pledge=published, as_of=_day(1)) == []
    assert practices_related(country=countries["KEN"], as_of=_day(1)) == []
    assert practices_related(action=action, as_of=_day(1)) == []


def test_drafts_are_never_related(draft, published, countries):
    assert practices_related(pledge=published, as_of=as_of_now()) == []
    assert practices_of_country(countries["NPL"], as_of_now()) == []


def test_related_practices_are_asked_for_one_thing_at_a_time(published, countries):
    with pytest.raises(TypeError):
        practices_related(as_of=as_of_now())
    with pytest.raises(TypeError):
        practices_related(pledge=published, country=countries["KEN"], as_of=as_of_now())
