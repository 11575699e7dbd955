"""Links that keep their language (issue 17, part 4). A page's address names its language: English
unprefixed, French under /fr/. A French page says so (`lang="fr"`), names itself in every language
(hreflang alternates, absolute), and every link on it stays in French; the language switch goes to
the same page in the other language and remembers the choice (cookie, preferred language); the
bare address follows the choice; e-mails link to the pages in their reader's language."""

import datetime
import re
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation

from coalition.accounts.models import Notification, User
from coalition.accounts.testing import link_in
from coalition.actionplan.models import Plan
from coalition.demo.accounts import ACCOUNTS
from coalition.entities.models import FocalPoint
from coalition.knowledge.models import GoodPractice
from coalition.pledges.models import Pledge, Status
from coalition.reference.testing import load_reference_fixture
from coalition.reporting.services import report_create, report_return, report_submit

SIGN_UP = {"full_name": "Awa Ndiaye", "email": "awa@example.org", "password": "Kigali-2022-pledge",
           "password_again": "Kigali-2022-pledge", "preferred_language": "fr"}


def french(name, *args) -> str:
    with translation.override("fr"):
        return reverse(name, args=args)


# --- The address names the language --------------------------------------------------------------

def test_a_page_under_fr_is_in_french_and_says_so(client, db):
    response = client.get("/fr/pledges/")

    assert response.status_code == 200
    assert '<html lang="fr"' in response.text
    assert response["Content-Language"] == "fr"
    # The address alone decides the language: a cache need not keep a copy per Accept-Language.
    assert "Accept-Language" not in response.get("Vary", "")


def test_an_unprefixed_page_is_in_english_whatever_the_cookie_or_the_browser_asks(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    response = client.get("/pledges/", HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 200
    assert '<html lang="en"' in response.text


def test_a_french_page_leaves_no_french_behind_in_the_thread(client, db):
    client.get("/fr/pledges/")

    assert translation.get_language() == settings.LANGUAGE_CODE
    assert reverse("explore:explorer") == "/pledges/"


def test_machine_facing_addresses_stay_outside_the_prefix(db):
    assert reverse("set_language") == french("set_language") == "/i18n/setlang/"
    with pytest.raises(Resolver404):
        resolve("/fr/i18n/setlang/")


def test_the_admin_is_inside_the_prefix(administrator, client):
    client.force_login(administrator)

    response = client.get("/fr/admin/")

    assert response.status_code == 200 and '<html lang="fr"' in response.text
    # Its "View site" link leads to the home page in the admin's language.
    assert 'href="/fr/"' in response.text


# --- hreflang alternates ------------------------------------------------------------------------

def alternates(text: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', text))


def test_a_page_names_itself_in_every_language_with_absolute_addresses_and_its_query(client, db):
    expected = {
        "en": "http://testserver/pledges/?country=NPL&amp;type=financial",
        "fr": "http://testserver/fr/pledges/?country=NPL&amp;type=financial",
        "x-default": "http://testserver/pledges/?country=NPL&amp;type=financial",
    }

    assert alternates(client.get("/fr/pledges/?country=NPL&type=financial").text) == expected
    assert alternates(client.get("/pledges/?country=NPL&type=financial").text) == expected


def test_a_page_that_does_not_exist_names_no_alternates(client, db):
    response = client.get("/fr/no-such-page/")

    assert response.status_code == 404
    assert alternates(response.text) == {}


# --- The language switch ------------------------------------------------------------------------

def test_the_switch_goes_to_the_same_page_in_french_with_its_query(client, db):
    page = client.get("/pledges/?country=NPL").text
    assert 'action="/i18n/setlang/"' in page and 'name="next" value="/pledges/?country=NPL"' in page

    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/pledges/?country=NPL"})

    assert response.status_code == 302 and response["Location"] == "/fr/pledges/?country=NPL"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"


def test_the_switch_goes_back_to_the_same_page_in_english(client, published):
    response = client.post("/i18n/setlang/", {"language": "en", "next": f"/fr/pledges/{published.pk}/?as_of=2025-01-01"})

    assert response["Location"] == f"/pledges/{published.pk}/?as_of=2025-01-01"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_the_switch_without_a_next_field_returns_to_the_referring_page(client, db):
    response = client.post("/i18n/setlang/", {"language": "fr"}, HTTP_REFERER="http://testserver/countries/")

    assert response["Location"] == "http://testserver/fr/countries/"


def test_the_switch_never_sends_a_visitor_to_another_site(client, db):
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "https://elsewhere.example/pledges/"})

    assert response["Location"] == "/fr/"


def test_the_switch_refuses_a_language_the_site_does_not_speak_naming_the_field(client, db):
    response = client.post("/i18n/setlang/", {"language": "xx", "next": "/pledges/"})

    assert response.status_code == 400
    assert "“language”" in response.text
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_the_switch_is_a_form_not_a_link_that_changes_things(client, db):
    assert client.get("/i18n/setlang/?language=fr&next=/pledges/").status_code == 405


def test_the_switch_remembers_a_signed_in_persons_language_for_their_emails(client, pledger_a):
    client.force_login(pledger_a)

    client.post("/i18n/setlang/", {"language": "fr", "next": "/pledges/mine/"})

    pledger_a.refresh_from_db()
    assert pledger_a.preferred_language == "fr"


def test_the_switch_works_for_an_account_without_a_name(client, db):
    user = User.objects.create_user(email="nameless@example.org", password="x-Pass-123456")
    client.force_login(user)

    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/account/"})

    assert response["Location"] == "/fr/account/"
    user.refresh_from_db()
    assert (user.preferred_language, user.full_name) == ("fr", "")


# --- The bare address ---------------------------------------------------------------------------

def test_the_bare_address_opens_the_home_page_in_the_language_chosen_with_the_switch(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    response = client.get("/?as_of=2025-01-01")

    assert response.status_code == 302 and response["Location"] == "/fr/?as_of=2025-01-01"
    assert "Cookie" in response["Vary"]


def test_the_bare_address_follows_a_signed_in_persons_preferred_language(client, pledger_a):
    pledger_a.preferred_language = "fr"
    pledger_a.save()
    client.force_login(pledger_a)

    assert client.get("/")["Location"] == "/fr/"


def test_a_visitor_who_chose_nothing_gets_english_at_the_bare_address(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 200 and '<html lang="en"' in response.text
    assert "Cookie" in response["Vary"]


def test_other_unprefixed_addresses_stay_in_english_for_someone_who_chose_french(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    response = client.get("/countries/")

    assert response.status_code == 200 and '<html lang="en"' in response.text


# --- Signing in, the profile, the inbox -----------------------------------------------------------

def test_signing_in_leads_to_the_page_asked_for_in_the_preferred_language(client, pledger_a):
    pledger_a.preferred_language = "fr"
    pledger_a.save()

    response = client.post("/account/login/?next=/pledges/mine/",
                           {"username": pledger_a.email, "password": "x-Pass-123456"})

    assert response["Location"] == "/fr/pledges/mine/"


def test_signing_in_from_a_french_page_keeps_french_for_a_french_reader(client, pledger_a):
    pledger_a.preferred_language = "fr"
    pledger_a.save()

    response = client.post("/fr/account/login/", {"username": pledger_a.email, "password": "x-Pass-123456"})

    assert response["Location"] == "/fr/account/"


def test_choosing_english_in_the_profile_leads_to_the_english_account_page(client, pledger_a):
    pledger_a.preferred_language = "fr"
    pledger_a.save()
    client.force_login(pledger_a)

    response = client.post("/fr/account/", {"full_name": "Wanjiru Kamau", "preferred_language": "en"})

    assert response["Location"] == "/account/"
    assert "Your profile is saved." in client.get(response["Location"]).text


def test_a_notification_opens_in_the_language_of_the_inbox(client, pledger_a, published):
    notification = Notification.objects.create(recipient=pledger_a, kind="review_decision", title="Published",
                                               url=f"/pledges/{published.pk}/")
    client.force_login(pledger_a)

    response = client.get(french("accounts:inbox_open", notification.pk))

    assert response["Location"] == f"/fr/pledges/{published.pk}/"


# --- E-mails ------------------------------------------------------------------------------------

def test_signing_up_on_the_french_page_offers_french_as_the_preferred_language(client, db):
    form = client.get("/fr/account/sign-up/").context["form"]

    assert form["preferred_language"].value() == "fr"
    assert client.get("/account/sign-up/").context["form"]["preferred_language"].value() == "en"


def test_the_verification_email_of_a_french_speaker_links_to_the_french_page(client, db, mailoutbox):
    client.post("/account/sign-up/", SIGN_UP)

    assert link_in(mailoutbox[0]).startswith("/fr/account/verify/")
    assert client.get(link_in(mailoutbox[0]))["Location"] == "/fr/account/login/"


@pytest.mark.parametrize(("reader", "reviewer_reads", "prefix"), [("fr", "en", "/fr"), ("en", "fr", "")])
def test_a_notification_email_links_to_the_page_in_its_readers_language(
    reader, reviewer_reads, prefix, pledger_a, reviewer, published, mailoutbox, django_capture_on_commit_callbacks,
):
    pledger_a.preferred_language = reader
    pledger_a.save()
    report = report_submit(actor=pledger_a, report=report_create(actor=pledger_a, pledge=published, data={
        "period_end": datetime.date(timezone.localdate().year - 1, 12, 31), "implementation_status": "on_track",
        "share_delivered": "40", "narrative": "Schools connected.",
        "targets": [{"target": published.targets.get(), "actual_value": "120"}], "evidence": [],
    }))
    mailoutbox.clear()

    # The reviewer decides from a page in the other language: the link is reversed in theirs.
    with django_capture_on_commit_callbacks(execute=True), translation.override(reviewer_reads):
        report_return(actor=reviewer, report=report, comment="Add the press release.")

    [mail] = mailoutbox
    links = re.findall(r"https?://\S+", mail.body)
    assert f"{settings.COALITION_SITE_URL}{prefix}/reports/{report.pk}/" in links
    assert f"{settings.COALITION_SITE_URL}{prefix}/account/notifications/" in links


# --- A whole site in French: every link stays French --------------------------------------------

class _Links(HTMLParser):
    """Each address a page links to or sends a form to, with where it was found; the page's
    `lang` and its hreflang alternates apart."""

    ATTRIBUTES = {"href", "action", "formaction", "hx-get", "hx-post", "hx-put", "hx-patch", "hx-delete",
                  "hx-push-url"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found, self.lang, self.alternates = [], None, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag == "link" and attrs.get("rel") == "alternate" and "hreflang" in attrs:
            self.alternates[attrs["hreflang"]] = attrs["href"]
            return
        for name in self.ATTRIBUTES & set(attrs):
            if attrs[name] not in (None, "", "true", "false"):
                self.found.append((tag, name, attrs[name]))


# Addresses on the site that a French page may name without /fr/, each for a reason:
OUTSIDE_THE_PREFIX = (
    f"/{settings.STATIC_URL.strip('/')}/",  # static files (stylesheets, scripts, icons): no language
    f"/{settings.MEDIA_URL.strip('/')}/",  # uploaded files: no language
    "/api/",  # the API names its language with a parameter, never in the path
    "/i18n/setlang/",  # the language switch: the language is a field of the form it receives
)


def _kind(french_path: str) -> str:
    """The name of the view a French path leads to (resolved in French: /fr/ means nothing in English)."""
    with translation.override("fr"):
        return resolve(french_path).view_name


def _inside_the_site(page_url: str, link: str) -> str | None:
    """The path a link leads to on this site, resolved against the page; None when it leads elsewhere."""
    absolute = urlsplit(urljoin(page_url, link))
    if absolute.scheme not in ("http", "https") or absolute.netloc != "testserver":
        return None
    return absolute.path


def _checked(client: Client, url: str) -> tuple[list[str], list[str]]:
    """Whatever is wrong with one French page, and the French pages it links to."""
    response = client.get(url)
    if response.status_code in (301, 302):  # to sign in, say: the page it leads to stays French
        path = _inside_the_site("http://testserver" + url, response["Location"])
        return [] if path is None or path.startswith("/fr/") else [f"{url}: redirects to {response['Location']}"], []
    # A page someone may not use (403) is a page too, with its own links: checked the same way.
    if response.status_code not in (200, 403):
        return [f"{url}: status {response.status_code}"], []
    if not response["Content-Type"].startswith("text/html"):  # a download (CSV, PDF): no links
        return [], []
    parser = _Links()
    parser.feed(response.text)
    problems = [] if parser.lang == "fr" else [f"{url}: <html lang={parser.lang!r}>"]
    english = "http://testserver" + url.removeprefix("/fr")
    wanted = {"en": english, "fr": "http://testserver" + url, "x-default": english}
    if parser.alternates != wanted and not _kind(urlsplit(url).path).startswith("admin:"):
        problems.append(f"{url}: alternates {parser.alternates}, not {wanted}")
    onward = []
    for tag, attribute, link in parser.found:
        path = _inside_the_site("http://testserver" + url, link)
        if path is None or path.startswith(OUTSIDE_THE_PREFIX):
            continue
        if not path.startswith("/fr/"):
            problems.append(f"{url}: <{tag} {attribute}={link!r}> leaves French")
        elif tag == "a" and attribute == "href":
            onward.append(urlsplit(urljoin("http://testserver" + url, link))._replace(
                scheme="", netloc="", fragment="").geturl())
    return problems, onward


@pytest.fixture
def french_site(db, catalogue):
    """The demo's registry, action plans, meetings and good practices, with its accounts."""
    load_reference_fixture()
    call_command("demo", "generate", "--pledges", "40", "--seed", "3", stdout=StringIO())
    pledge = Pledge.objects.filter(status=Status.PUBLISHED, beneficiary_countries__isnull=False).order_by("pk").first()
    country = pledge.beneficiary_countries.order_by("iso3").first()
    users = {role: User.objects.get(email=email) for role, email, _variable, _name in ACCOUNTS}
    pledger = users["focal point"]
    assert FocalPoint.objects.filter(user=pledger).exists()
    plan = Plan.objects.order_by("pk").first()
    practice = GoodPractice.objects.filter(status="published").order_by("pk").first()
    public = [
        french("explore:home"), french("explore:dashboard"),
        french("explore:explorer") + f"?country={country.iso3}&type={pledge.pledge_type}",
        french("explore:pledge", pledge.pk), french("explore:entity", pledge.lead_entity_id),
        french("explore:country", country.iso3), french("explore:profile", country.iso3),
        french("explore:country_action_plan", "LAO"), french("explore:group", "LDC"), french("explore:gap"),
        french("actionplan:plans"), french("actionplan:plan", plan.slug), french("knowledge:library"),
        french("knowledge:practice", practice.pk), french("actionplan:calendar"),
    ]
    return {
        "anonymous": (None, public),
        "pledger": (pledger, [french("accounts:home"), french("reporting:mine"), french("accounts:inbox"),
                              french("accounts:notifications"), french("accounts:api_tokens"),
                              french("accounts:password_change")]),
        "reviewer": (users["reviewer"], [french("reporting:review_home"), french("pledges:review_queue"),
                                         french("reporting:report_review_queue"), french("reporting:followup")]),
    }


@pytest.mark.django_db
def test_every_link_on_the_french_pages_of_a_populated_site_stays_french(french_site):
    """The pages listed, as a visitor, a pledger and a reviewer, then one page of each kind they
    link to, once signed out and once signed in (the admin's own pages aside: Django writes
    them, and /fr/admin/ itself is crawled)."""
    problems, seen = [], set()
    for who, (user, pages) in french_site.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        queue = [(url, True) for url in pages]
        while queue:
            url, follow = queue.pop(0)
            found, onward = _checked(client, url)
            problems += [f"{who}: {problem}" for problem in found]
            for link in onward if follow else ():
                path = urlsplit(link).path
                kind = _kind(path)
                if (user is None, kind) not in seen and kind not in {"logout", "accounts:inbox_open"}:
                    seen.add((user is None, kind))
                    queue.append((link, not kind.startswith("admin:")))

    assert problems == [], "\n".join(problems)
    # The crawl went well past the pages listed.
    assert len({kind for _anonymous, kind in seen}) > 40, sorted(seen)
