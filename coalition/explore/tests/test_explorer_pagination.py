"""The explorer's pages: following "Next" (then "Previous") walks every result exactly once in
every order, ties on the sort key included; page links carry an opaque cursor; damaged cursors
and old numbered links are handled."""

import datetime
import html
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from coalition.explore import explorer
from coalition.pledges.tests.explorer_fixtures import *  # noqa: F403  (the fixtures publish, reference, university)

pytestmark = pytest.mark.django_db

SORTS = ["", "sort=oldest", "sort=value_desc", "sort=value_asc", "sort=title"]


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(explorer, "PAGE_SIZE", 2)


@pytest.fixture
def ties(publish):
    """Seven pledges with ties on every sort key: the same moment, the same value, the same title
    but for case, and values missing."""
    moment = timezone.now() - datetime.timedelta(days=3)
    rows = [
        ("Rural schools", Decimal("500"), moment),
        ("rural schools", Decimal("500"), moment),
        ("RURAL SCHOOLS", Decimal("500"), moment),
        ("Backbone", None, moment),
        ("Access", None, moment - datetime.timedelta(days=1)),
        ("Zones", Decimal("10"), moment + datetime.timedelta(days=1)),
        ("Mesh", Decimal("90000"), moment - datetime.timedelta(days=2)),
    ]
    return [
        publish(title=title, published_at=at, value_amount=value,
                **({} if value is not None else {"value_currency": None, "value_year": None}))
        for title, value, at in rows
    ]


def _link(response, rel: str) -> str | None:
    found = re.search(rf'<a id="explorer-{"next" if rel == "next" else "previous"}" rel="{rel}" href="([^"]+)"', response.text)
    return html.unescape(found.group(1)) if found else None


def _walk(client, url: str, rel: str) -> tuple[list[list[int]], list[str]]:
    """The pages met following the `rel` links from `url`, as lists of pledge ids, and their addresses."""
    pages, urls = [], []
    while url:
        response = client.get(url)
        assert response.status_code == 200
        assert response.context["result"].errors == []
        pages.append([p.pk for p in response.context["result"].page.object_list])
        urls.append(url)
        url = _link(response, rel)
        assert len(pages) < 20, "the links go round in circles"
    return pages, urls


def _expected(client, query: str) -> list[int]:
    explorer.PAGE_SIZE, size = 100, explorer.PAGE_SIZE
    try:
        return [p.pk for p in client.get(f"/pledges/?{query}").context["result"].page.object_list]
    finally:
        explorer.PAGE_SIZE = size


@pytest.mark.parametrize("query", SORTS)
def test_next_then_previous_walk_every_pledge_once_in_order(client, ties, small_pages, query):
    order = _expected(client, query)
    assert sorted(order) == sorted(p.pk for p in ties)

    forward, urls = _walk(client, f"/pledges/?{query}", "next")
    assert [pk for page in forward for pk in page] == order
    assert [len(page) for page in forward] == [2, 2, 2, 1]
    assert all("after=" in url for url in urls[1:])

    backward, _urls = _walk(client, urls[-1], "prev")
    assert backward == list(reversed(forward))


def test_the_order_with_ties_is_the_key_then_the_id(client, ties):
    by_id = sorted(ties, key=lambda p: p.pk)
    same_value = [p.pk for p in by_id if p.value_usd is not None and p.value_usd == by_id[0].value_usd]
    assert _expected(client, "sort=value_desc")[1:4] == sorted(same_value, reverse=True)
    assert _expected(client, "sort=value_asc")[-2:] == sorted(p.pk for p in ties if p.value_usd is None)
    assert _expected(client, "sort=title")[3:6] == sorted(same_value)


def test_a_search_walks_in_order_of_relevance_ties_included(client, publish, small_pages):
    same = [publish(title="Rural rural connectivity", description="Same text.") for _ in range(3)]
    strong = publish(title="Rural rural rural rural backbone", description="Rural rural rural.")
    weak = publish(title="Rural backbone and many other words besides", description="Long text about fibre and towers.")
    publish(title="Unrelated", description="Towers.")

    forward, urls = _walk(client, "/pledges/?q=rural", "next")
    order = [pk for page in forward for pk in page]
    assert sorted(order) == sorted(p.pk for p in [*same, strong, weak])
    assert order[0] == strong.pk and order[-1] == weak.pk
    assert order[1:4] == sorted((p.pk for p in same), reverse=True)
    backward, _urls = _walk(client, urls[-1], "prev")
    assert backward == list(reversed(forward))


def test_a_pledge_published_between_two_pages_does_not_shift_the_next_page(client, publish, ties, small_pages):
    first = client.get("/pledges/")
    seen = [p.pk for p in first.context["result"].page.object_list]
    publish(title="Newest of all")
    rest, _urls = _walk(client, _link(first, "next"), "next")
    walked = seen + [pk for page in rest for pk in page]
    assert sorted(walked) == sorted(p.pk for p in ties)


def test_the_page_says_where_it_is_and_its_links_work_without_javascript(client, ties, small_pages):
    second = client.get(_link(client.get("/pledges/?sort=title"), "next"))
    text = second.text
    assert "Page 2 of 4" in text
    assert '<ol class="results" start="3"' in text
    assert re.search(r'<a id="explorer-previous" rel="prev" href="/pledges/\?sort=title"', text)  # the first page, plainly
    assert re.search(r'<a id="explorer-next" rel="next" href="/pledges/\?sort=title&amp;after=[\w-]+"', text)
    assert "7 pledges found." in text


@pytest.mark.parametrize(
    "cursor",
    [
        "nonsense", "e30", "W10", "!!!!", "__4", "x" * 3000,
        "WyJuZXdlc3QiLCBudWxsLCAxLCAwXQ",  # ["newest", null, 1, 0]: the newest order has no missing dates
        "WyJ0aXRsZSIsICJhIiwgMSwgMF0",  # ["title", "a", 1, 0]: made for another order
        "WyJuZXdlc3QiLCAiMjAyNS0wMS0wMVQwMDowMDowMCswMDowMCIsIDEsIC0xXQ",  # a negative offset
        "WyJuZXdlc3QiLCAiMjAyNS0wMS0wMVQwMDowMDowMCswMDowMCIsIDFlKzk5LCAwXQ",  # an id of 1e99
        "WyJuZXdlc3QiLCAiMjAyNS0wMS0wMVQwMDowMDowMCswMDowMCIsIDExODA1OTE2MjA3MTc0MTEzMDM0MjQsIDBd",  # an id of 2**70
        "WyJuZXdlc3QiLCAiMjAyNS0wMS0wMSIsIDEsIDBd",  # a date without a time zone
        "WyJuZXdlc3QiLCBbMV0sIDEsIDBd",  # a list for a date
    ],
)
@pytest.mark.parametrize("direction", ["after", "before"])
def test_a_damaged_cursor_is_reported_and_the_first_page_shown(client, ties, small_pages, cursor, direction):
    response = client.get(f"/pledges/?{direction}={cursor}")
    assert response.status_code == 200
    result = response.context["result"]
    assert result.errors == ["This page link is damaged or was made for another order; showing the first page."]
    assert [p.pk for p in result.page.object_list] == _expected(client, "")[:2]


def test_a_cursor_made_for_another_order_is_not_used_for_this_one(client, ties, small_pages):
    after = re.search(r"after=([\w-]+)", _link(client.get("/pledges/?sort=title"), "next")).group(1)
    response = client.get(f"/pledges/?sort=oldest&after={after}")
    assert response.context["result"].errors == [
        "This page link is damaged or was made for another order; showing the first page."
    ]
    assert [p.pk for p in response.context["result"].page.object_list] == _expected(client, "sort=oldest")[:2]


def test_old_numbered_links_still_open_their_page(client, ties, small_pages):
    order = _expected(client, "sort=title")
    third = client.get("/pledges/?sort=title&page=3")
    assert [p.pk for p in third.context["result"].page.object_list] == order[4:6]
    assert "Page 3 of 4" in third.text
    assert [p.pk for p in client.get("/pledges/?sort=title&page=99").context["result"].page.object_list] == order[6:]
    rest, _urls = _walk(client, "/pledges/?sort=title&page=2", "next")
    assert [pk for page in rest for pk in page] == order[2:]


@pytest.mark.parametrize("page", ["0", "-1", "abc", "²", "1" * 5000, "2.5"])
def test_a_page_number_that_is_not_one_shows_the_first_page(client, ties, small_pages, page):
    response = client.get(f"/pledges/?page={page}")
    assert response.status_code == 200
    assert [p.pk for p in response.context["result"].page.object_list] == _expected(client, "")[:2]
