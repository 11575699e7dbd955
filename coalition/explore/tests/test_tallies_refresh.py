"""The recount queued after a write stores today's tallies and draws today's dashboard charts in
every language, so the next visitor waits for neither."""

import pytest
from django.core.cache import cache
from django.tasks import task_backends
from django.utils import timezone

from coalition.explore import svg
from coalition.explore.models import TalliedDay
from coalition.explore.tasks import tallies_refresh
from coalition.explore.tests.places_fixtures import groups, registry  # noqa: F401 (fixtures)


@pytest.fixture
def worker_backend(settings):
    """Tasks queued for a worker, as in production (the suite otherwise runs them at once)."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    assert type(task_backends["default"]).__name__ == "DummyBackend"


def test_the_recount_stores_today_and_draws_the_dashboard_in_every_language(client, registry, worker_backend, monkeypatch):
    cache.clear()
    assert tallies_refresh.call() == 2
    assert TalliedDay.objects.filter(place="", day=timezone.localdate()).exists()

    drawn = []
    real = svg._draw
    monkeypatch.setattr(svg, "_draw", lambda *args, **kwargs: drawn.append(1) or real(*args, **kwargs))
    for address in ("/dashboard/", "/fr/dashboard/"):
        assert client.get(address).status_code == 200
    assert drawn == []
