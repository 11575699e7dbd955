"""The header in headless Chromium: on a laptop each of its rows holds on one line (the site's name
beside its sections), in English and in French, for a visitor and for a reviewer (whose work pages
have a row of their own); on a phone it stays short; and it passes axe-core."""

import pytest

from coalition.explore.tests.test_browser_public_pages import blocking_violations, described, in_french

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, user):
    page.goto("/account/login/")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill("x-Pass-123456")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login/" not in url)


def _one_line(page, selector) -> bool:
    """Whether the items of one header row sit on one line: their boxes all overlap vertically."""
    boxes = page.eval_on_selector_all(
        selector, "items => items.map(i => { const b = i.getBoundingClientRect(); return [b.top, b.bottom]; })")
    assert len(boxes) > 1, selector
    return max(top for top, _bottom in boxes) < min(bottom for _top, bottom in boxes)


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("who", ["visitor", "reviewer"])
def test_each_row_of_the_header_holds_on_one_line_on_a_laptop(page, request, who, language):
    if who == "reviewer":
        _sign_in(page, request.getfixturevalue("reviewer"))
    page.goto("/")
    if language == "fr":
        in_french(page)

    assert _one_line(page, ".site-header__inner .brand, .site-header__inner li")  # the name and the main sections
    assert _one_line(page, ".site-header__utility li, .site-header__utility button")  # account and language
    if who == "reviewer":
        assert page.get_by_role("navigation", name="Secretariat" if language == "en" else "Secrétariat").is_visible()
        assert _one_line(page, ".site-header__work li")
    assert blocking_violations(page) == [], described(blocking_violations(page))


def test_on_a_phone_the_header_stays_short(page, reviewer):
    page.set_viewport_size({"width": 390, "height": 800})
    _sign_in(page, reviewer)
    page.goto("/")

    height = page.eval_on_selector(".site-header", "header => header.getBoundingClientRect().height")
    assert 120 < height < 260, height
    for name in ("Dashboard", "My pledges", "Review queue", "My account"):
        assert page.locator(".site-header").get_by_role("link", name=name, exact=True).is_visible(), name
