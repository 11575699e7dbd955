"""Reads to a replica, when the site has one (`DATABASE_REPLICA_URL`).

Only the reads of safe web requests (GET, HEAD, OPTIONS) go to the replica: the public pages,
the explorer and the downloads, which are most of the traffic. Everything else reads the primary,
where its writes are: requests that write (POST…) and, for a few seconds after one, the same
browser's next requests (so "Draft saved" is followed by the draft as saved, whatever the
replica's lag); anything inside a transaction on the primary (a service that locks a row and
reads it back); and all commands and background tasks. Writes and migrations always go to the
primary.
"""

import contextvars
import time

from django.conf import settings
from django.db import connections

PRIMARY, REPLICA = "default", "replica"
PIN_COOKIE = "coalition_primary"

# Off by default: a command or a task run outside a web request reads the primary.
_replica_allowed = contextvars.ContextVar("coalition_replica_allowed", default=False)


def has_replica() -> bool:
    return REPLICA in connections.settings


class ReplicaRouter:
    """Django database router: see the module's docstring."""

    def db_for_read(self, model, **hints):
        if _replica_allowed.get() and not connections[PRIMARY].in_atomic_block:
            return REPLICA
        return PRIMARY

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the primary's rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


class ReplicaReadsMiddleware:
    """Lets the router send a safe request's reads to the replica, unless this browser wrote
    less than `DATABASE_REPLICA_PIN_SECONDS` ago (a cookie says until when)."""

    SAFE = frozenset({"GET", "HEAD", "OPTIONS"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        safe = request.method in self.SAFE and not self._pinned(request)
        token = _replica_allowed.set(safe and has_replica())
        try:
            response = self.get_response(request)
        finally:
            _replica_allowed.reset(token)
        if request.method not in self.SAFE and has_replica():
            seconds = settings.DATABASE_REPLICA_PIN_SECONDS
            response.set_cookie(PIN_COOKIE, f"{time.time() + seconds:.0f}", max_age=seconds, httponly=True,
                                samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
        return response

    @staticmethod
    def _pinned(request) -> bool:
        try:
            return float(request.COOKIES.get(PIN_COOKIE, "0")) > time.time()
        except ValueError:
            return False
