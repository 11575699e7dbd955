"""Schemathesis over the API's own OpenAPI document, in process (the WSGI application, no
server): every operation, called with a pledger's write token, answers without a server error,
with a status the document lists and a body its schema allows. Examples are bounded so the run
stays within the suite's budget."""

import pytest
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import openapi
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from coalition.accounts.models import ApiToken
from coalition.accounts.services import api_token_create

schema = openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def connection_kept():
    """The WSGI handler closes the database connection after each request; inside a test's
    transaction it must stay open (Django's test client does the same)."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def token(published, pledger_a, country_groups, settings, connection_kept):
    settings.API_RATE_PER_TOKEN = settings.API_RATE_PER_ADDRESS = "0/min"
    _token, raw = api_token_create(actor=pledger_a, name="schemathesis", scope=ApiToken.Scope.WRITE)
    return raw


@pytest.mark.django_db(transaction=False)
@schema.parametrize()
@settings(max_examples=6, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_every_operation_keeps_to_its_schema(case, token):
    response = case.call(headers={"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"})

    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance, status_code_conformance])
