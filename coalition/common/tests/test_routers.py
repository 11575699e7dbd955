"""With a read replica, the reads of safe web requests go there and everything else to the
primary; without one, nothing changes."""

import time

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from coalition.common import routers
from coalition.common.routers import PIN_COOKIE, PRIMARY, REPLICA, ReplicaReadsMiddleware, ReplicaRouter

router, requests = ReplicaRouter(), RequestFactory()
User = get_user_model()


@pytest.fixture
def replica(settings, monkeypatch):
    """A site configured with a replica (DATABASE_REPLICA_URL); no query reaches it here."""
    monkeypatch.setattr(routers, "has_replica", lambda: True)
    settings.DATABASE_REPLICA_PIN_SECONDS = 10


def _served(request, *, inside=lambda: None):
    """The database the router chose for a read while the middleware served `request`, and the response."""
    chosen = []

    def view(request):
        inside()
        chosen.append(router.db_for_read(User))
        return HttpResponse("ok")

    response = ReplicaReadsMiddleware(view)(request)
    return chosen[0], response


def test_a_safe_request_reads_the_replica(replica):
    assert _served(requests.get("/pledges/"))[0] == REPLICA
    assert _served(requests.head("/dashboard/"))[0] == REPLICA


def test_a_request_that_writes_reads_the_primary_and_pins_the_browser_there(replica):
    chosen, response = _served(requests.post("/pledges/new/"))

    assert chosen == PRIMARY
    assert float(response.cookies[PIN_COOKIE].value) > time.time() + 9
    assert response.cookies[PIN_COOKIE]["max-age"] == 10


def test_the_browser_reads_the_primary_until_its_pin_ends(replica):
    pinned = requests.get("/pledges/1/edit/basics/")
    pinned.COOKIES[PIN_COOKIE] = str(time.time() + 5)
    ended = requests.get("/pledges/")
    ended.COOKIES[PIN_COOKIE] = str(time.time() - 1)
    garbled = requests.get("/pledges/")
    garbled.COOKIES[PIN_COOKIE] = "soon"

    assert [_served(r)[0] for r in (pinned, ended, garbled)] == [PRIMARY, REPLICA, REPLICA]


@pytest.mark.django_db
def test_reads_inside_a_transaction_on_the_primary_stay_there(replica):
    chosen = []

    def inside():
        with transaction.atomic():
            chosen.append(router.db_for_read(User))

    _served(requests.get("/pledges/"), inside=inside)

    assert chosen == [PRIMARY]


def test_commands_and_tasks_outside_a_request_read_the_primary(replica):
    assert router.db_for_read(User) == PRIMARY


def test_writes_and_migrations_go_to_the_primary_only(replica):
    assert router.db_for_write(User) == PRIMARY
    assert router.allow_migrate(PRIMARY, "pledges") and not router.allow_migrate(REPLICA, "pledges")


def test_without_a_replica_nothing_changes():
    assert not routers.has_replica()
    chosen, response = _served(requests.post("/pledges/new/"))

    assert chosen == PRIMARY and PIN_COOKIE not in response.cookies
    assert _served(requests.get("/pledges/"))[0] == PRIMARY
