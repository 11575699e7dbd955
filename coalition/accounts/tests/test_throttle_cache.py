"""CACHE_URL, and the limits holding in the shared caches it offers (the tests otherwise use memory)."""

import pytest
from django.core.management import call_command

from coalition.accounts.checks import throttle_cache_shared_check
from coalition.common.env import caches_from_url

PASSWORD = "x-Pass-123456"  # the personas' password (coalition/tests/builders.py)


def test_each_cache_url_gives_the_figures_and_the_counters_their_own_place():
    file = caches_from_url("file:///srv/coalition/var/cache")
    redis = caches_from_url("redis://127.0.0.1:6379/0")
    db = caches_from_url("db://coalition_cache")

    assert (file["default"]["LOCATION"], file["throttle"]["LOCATION"]) == (
        "/srv/coalition/var/cache/default",
        "/srv/coalition/var/cache/throttle",
    )
    assert file["throttle"]["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert redis["throttle"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert redis["default"]["KEY_PREFIX"] != redis["throttle"]["KEY_PREFIX"]
    assert (db["default"]["LOCATION"], db["throttle"]["LOCATION"]) == ("coalition_cache", "coalition_cache_throttle")
    assert caches_from_url("db://")["default"]["LOCATION"] == "coalition_cache"
    assert caches_from_url("locmem://")["throttle"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


@pytest.mark.parametrize("url", ["memcached://127.0.0.1", "file://relative/folder", "db://cache; drop", ""])
def test_an_unusable_cache_url_is_refused_with_the_variable_named(url):
    with pytest.raises(ValueError, match="CACHE_URL"):
        caches_from_url(url)


@pytest.fixture(params=["file", "db"])
def shared_cache(request, settings, tmp_path, db):
    """The shared backends CACHE_URL offers without another service (Redis: docs/accounts.md)."""
    if request.param == "file":
        settings.CACHES = caches_from_url(f"file://{tmp_path}")
    else:
        settings.CACHES = caches_from_url("db://test_throttle_cache")
        call_command("createcachetable", verbosity=0)
    return request.param


def test_the_sign_in_lock_holds_in_the_shared_caches(client, pledger_a, shared_cache):
    for n in range(10):
        client.post("/account/login/", {"username": "focal.a@example.org", "password": f"guess-{n}"})

    response = client.post("/account/login/", {"username": "focal.a@example.org", "password": PASSWORD})

    assert response.status_code == 429


def test_check_deploy_warns_when_each_process_would_count_for_itself(settings, tmp_path):
    settings.CACHES = caches_from_url("locmem://")
    assert [warning.id for warning in throttle_cache_shared_check(None)] == ["accounts.W001"]

    settings.CACHES = caches_from_url(f"file://{tmp_path}")
    assert throttle_cache_shared_check(None) == []
