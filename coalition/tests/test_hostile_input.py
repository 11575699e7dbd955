"""Hostile input on every page: no server error, and a refused write leaves nothing behind.

Every page of the permission matrix, every public page and the administration's lists and
change forms are sent hostile values, one parameter at a time: oversized and malformed numbers,
dates outside the calendar, invisible and control characters, huge texts, unknown choices and
identifiers. Each form field and query parameter a page reads is found by recording what the
view asks of `request.GET` / `request.POST` while it answers a normal request, so a new field is
fuzzed without anyone listing it here. Every response must be below 500; a POST that is not
accepted (anything but a redirect) must leave the database, the outbox and the stored files
exactly as they were. Each request runs in a savepoint rolled back afterwards, so one accepted
hostile value does not change the page the next one sees.
"""

import datetime
from contextlib import contextmanager

import pytest
from django.contrib import admin
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.forms import BaseForm
from django.forms.formsets import BaseFormSet
from django.http import QueryDict
from django.template import Context
from django.test import Client
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from lxml import html

from coalition.pledges.views.pledging import STEP_SLUGS
from coalition.reference.models import Country, CountryGroup, CountryGroupMembership
from coalition.tests import permission_matrix as matrix
from coalition.tests.builders import PASSWORD
from coalition.tests.permission_matrix import PERSONAS, changed, fingerprint
from coalition.tests.test_permission_matrix_views import PAGES

shared_world, world, media = matrix.shared_world, matrix.world, matrix.media

TEXT = ["", "\u200b\u200b\u200b", "nul\x00byte", "x" * 5000, '=HYPERLINK("http://evil.example","Click")']
NUMBER = ["1e30", "-1e30", "NaN", "9" * 40, "1e-30"]
DATE = ["0001-01-01", "9999-12-31", "2024-02-30", "9" * 40]
IDENTIFIER = ["0", "-1", "9" * 40, "1e30", "nope"]
# The administration's change pages are heavy (every choice of every select): the worst of each kind.
BRIEF = {id(TEXT): ["\u200b\u200b\u200b", "x" * 5000], id(NUMBER): ["1e30", "NaN"], id(DATE): ["9999-12-31", "9" * 40],
         id(IDENTIFIER): ["9" * 40, "nope"]}
# A query parameter's type is unknown: a little of every kind.
QUERY = ["", "nul\x00byte", "x" * 5000, "-1", "9" * 40, "1e30", "NaN", "0001-01-01", "9999-12-31", "nope"]


def _kind(value) -> list[str]:
    """Hostile values fit for a field whose acceptable value is `value`."""
    text = str(value)
    if isinstance(value, int) or text.isdigit():
        return IDENTIFIER
    try:
        float(text)
    except ValueError:
        pass
    else:
        return NUMBER
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return TEXT
    return DATE


@contextmanager
def recorded_keys():
    """The keys a view reads from request.GET and request.POST."""
    keys: set[str] = set()
    originals = {name: getattr(MultiValueDict, name) for name in ("get", "getlist", "__getitem__", "__contains__")}

    def spy(name):
        original = originals[name]

        def read(self, key, *args, **kwargs):
            if isinstance(self, QueryDict) and isinstance(key, str):
                keys.add(key)
            return original(self, key, *args, **kwargs)
        return read

    for name in originals:
        setattr(MultiValueDict, name, spy(name))
    try:
        yield keys
    finally:
        for name, original in originals.items():
            setattr(MultiValueDict, name, original)


# Keys Django and the forms read that are not the page's own input.
_NOT_INPUT = {"csrfmiddlewaretoken", "HTTP_HOST", "_popup", "_to_field", "_changelist_filters", "e", "_save",
              "_continue", "_addanother", "_saveasnew"}


def _forms_in(response):
    # One template rendered gives its Context, several a list of them (the e-mails a
    # notification renders count too).
    layers = response.context or []
    for layer in [layers] if isinstance(layers, Context) else layers:
        for values in layer.dicts:
            for value in values.values():
                value = getattr(value, "form", value)  # the admin wraps its form
                if isinstance(value, (BaseForm, BaseFormSet)) and value.is_bound:
                    yield value


def _refused(response) -> bool:
    """Whether the page said no: an error status, or a form shown again with its errors."""
    if response.status_code >= 400:
        return True
    return any(not form.is_valid() for form in _forms_in(response))


def _drain(response) -> None:
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)


def _send(client, method, url, data):
    """One request whose writes to the database are rolled back afterwards."""
    mail.outbox.clear()
    with transaction.atomic():
        response = client.post(url, data) if method == "POST" else client.get(url, data)
        _drain(response)
        transaction.set_rollback(True)
    return response


def _files(media_root) -> list[str]:
    return sorted(str(p) for p in media_root.rglob("*") if p.is_file()) if media_root else []


def _shown(value: str) -> str:
    return repr(value if len(value) < 30 else value[:12] + f"…({len(value)} chars)")


def _failure(response, what: str, *, before, media_root, files) -> str | None:
    if response.status_code >= 500:
        error = getattr(response, "exc_info", None)
        return f"{what}: {response.status_code} {error[1]!r}" if error else f"{what}: {response.status_code}"
    if before is None or not _refused(response):
        return None
    after = fingerprint()
    wrote = changed(before, after) + (["stored files"] if _files(media_root) != files else [])
    return f"{what}: refused ({response.status_code}) but wrote {wrote}" if wrote else None


def _fuzz(client, method: str, url: str, baseline: dict, *, media_root=None) -> list[str]:
    """Send `baseline` with each of its keys (and each key the view reads) made hostile in turn;
    return what went wrong."""
    with recorded_keys() as keys:
        response = _send(client, method, url, baseline)
    failures = [_failure(response, f"{method} {url} as given", before=None, media_root=None, files=None)]
    mail.outbox.clear()
    before = fingerprint() if method == "POST" else None
    fields = {key: baseline.get(key, "") for key in sorted(keys - _NOT_INPUT)}
    fields.update(baseline)
    for key, value in fields.items():
        if isinstance(value, SimpleUploadedFile):
            continue
        kinds = QUERY if method == "GET" else _kind(value[0] if isinstance(value, list) and value else value)
        if url.startswith("/admin/") and method == "POST":
            kinds = BRIEF[id(kinds)]
        for hostile in kinds:
            files = _files(media_root)
            response = _send(client, method, url, {**baseline, key: hostile})
            failures.append(_failure(response, f"{key}={_shown(hostile)}", before=before, media_root=media_root,
                                     files=files))
    return [failure for failure in failures if failure]


def _first_allowed(page) -> str:
    return next(persona for persona in PERSONAS if persona in page.allowed and persona != "anonymous")


PRIVATE = [page for page in PAGES if page.allowed - {"anonymous"}]


@pytest.mark.parametrize("page", PRIVATE, ids=str)
def test_a_private_page_answers_hostile_input_without_a_server_error_or_a_partial_write(world, media, page):
    client = Client(raise_request_exception=False)
    client.force_login(world.persona(_first_allowed(page)))
    baseline = page.data(world) if page.data else {}
    url = reverse(page.url_name, args=page.args(world))

    failures = _fuzz(client, page.method, url, baseline, media_root=media)

    assert not failures, "\n".join(failures)


def _form_values(page: bytes, form_xpath: str) -> dict:
    """What a browser would send back from the page's form (the first `form_xpath` finds), untouched."""
    form = html.fromstring(page).xpath(form_xpath)[0]
    values: dict = {}
    for name, value in form.form_values():
        values.setdefault(name, []).append(value)
    return {name: items[0] if len(items) == 1 else items for name, items in values.items()}


@pytest.mark.parametrize("step", STEP_SLUGS)
def test_every_step_of_the_pledge_form_answers_hostile_input_without_a_server_error_or_a_partial_write(
        world, media, step):
    client = Client(raise_request_exception=False)
    client.force_login(world.personas["pledger_a"])
    url = reverse("pledges:edit", args=[world.draft.pk, step])
    baseline = _form_values(client.get(url).content, '//form[contains(@class, "stacked-form")]')

    failures = _fuzz(client, "POST", url, baseline, media_root=media)

    assert not failures, "\n".join(failures)


# --- Public pages --------------------------------------------------------------------------------

@pytest.fixture
def group(world):
    group = CountryGroup.objects.create(code="LDC", kind=CountryGroup.Kind.DEVELOPMENT,
                                        name_en="Least developed countries", name_fr="Pays les moins avancés")
    CountryGroupMembership.objects.create(group=group, country=Country.objects.get(iso3="KEN"))
    return group


def _reset_link(w):
    user = w.personas["pledger_a"]
    return [urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)]


PUBLIC = [
    ("GET", "explore:home", lambda w: [], {}),
    ("GET", "explore:dashboard", lambda w: [], {"as_of": "2025-06-30"}),
    ("GET", "explore:dashboard_csv", lambda w: ["countries"], {"as_of": "2025-06-30"}),
    ("GET", "explore:dashboard_csv", lambda w: ["no-such-chart"], {}),
    ("GET", "explore:explorer", lambda w: [], {"q": "schools", "country": "KEN"}),
    ("GET", "explore:pledge", lambda w: [w.published.pk], {}),
    ("GET", "explore:entity", lambda w: [w.entity_a.pk], {"as_of": "2025-06-30"}),
    ("GET", "explore:countries", lambda w: [], {}),
    ("GET", "explore:country", lambda w: ["KEN"], {"as_of": "2025-06-30"}),
    ("GET", "explore:country", lambda w: ["nope"], {}),
    ("GET", "explore:groups", lambda w: [], {}),
    ("GET", "explore:group", lambda w: ["LDC"], {"as_of": "2025-06-30"}),
    ("GET", "explore:compare", lambda w: [], {"c": ["KEN", "NPL"]}),
    ("GET", "explore:profile", lambda w: ["KEN"], {}),
    ("GET", "explore:gap", lambda w: [], {"group": "LDC"}),
    ("GET", "explore:gap_csv", lambda w: [], {"group": "LDC"}),
    ("GET", "accounts:sign_up", lambda w: [], {}),
    ("POST", "accounts:sign_up", lambda w: [], {
        "full_name": "Leila Haddad", "email": "leila@example.org", "password": "A-long-pass-2026",
        "password_again": "A-long-pass-2026", "preferred_language": "en"}),
    ("POST", "accounts:verification_resend", lambda w: [], {"email": "focal.a@example.org"}),
    ("GET", "accounts:verify", lambda w: ["not-a-token"], {}),
    ("POST", "accounts:login", lambda w: [], {"username": "focal.a@example.org", "password": PASSWORD}),
    ("POST", "accounts:password_reset", lambda w: [], {"email": "focal.a@example.org"}),
    ("GET", "accounts:password_reset_confirm", _reset_link, {}),
]


@pytest.mark.parametrize(("method", "url_name", "args", "data"), PUBLIC,
                         ids=[f"{method} {name} {i}" for i, (method, name, _a, _d) in enumerate(PUBLIC)])
def test_a_public_page_answers_hostile_input_without_a_server_error_or_a_partial_write(
        world, media, group, catalogue, method, url_name, args, data):
    url = reverse(url_name, args=args(world))

    failures = _fuzz(Client(raise_request_exception=False), method, url, data, media_root=media)

    assert not failures, "\n".join(failures)


# --- The administration --------------------------------------------------------------------------

ADMIN_MODELS = sorted(f"{model._meta.app_label}.{model._meta.model_name}" for model in admin.site._registry)


def _filter_keys(page: bytes) -> set[str]:
    """The query parameters the change list's filters and search use."""
    tree = html.fromstring(page)
    keys = {"q", "o", "p", "all"}
    for link in tree.xpath('//*[@id="changelist-filter"]//a/@href'):
        if link.startswith("?"):
            keys.update(part.split("=", 1)[0] for part in link[1:].split("&") if part)
    return keys


@pytest.mark.parametrize("label", ADMIN_MODELS)
def test_an_administration_list_answers_hostile_filters_without_a_server_error(world, media, group, label):
    client = Client(raise_request_exception=False)
    client.force_login(world.personas["administrator"])
    app_label, model_name = label.split(".")
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    keys = _filter_keys(client.get(url).content)

    failures = _fuzz(client, "GET", url, dict.fromkeys(keys, ""))

    assert not failures, "\n".join(failures)


# The change forms of the workflow objects (the entity's is in the permission matrix's pages);
# reference tables are loaded from files.
CHANGE_FORMS = [
    ("pledges", "pledge", "draft"),
    ("pledges", "pledge", "published"),
    ("reporting", "progressreport", "report_draft"),
]


@pytest.mark.parametrize(("app_label", "model_name", "name"), CHANGE_FORMS)
def test_an_administration_change_form_answers_hostile_input_without_a_server_error_or_a_partial_write(
        world, media, app_label, model_name, name):
    client = Client(raise_request_exception=False)
    client.force_login(world.personas["administrator"])
    url = reverse(f"admin:{app_label}_{model_name}_change", args=[getattr(world, name).pk])
    baseline = _form_values(client.get(url).content, f'//form[@id="{model_name}_form"]')

    failures = _fuzz(client, "POST", url, baseline, media_root=media)

    assert not failures, "\n".join(failures)
