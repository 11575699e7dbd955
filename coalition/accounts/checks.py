"""Deployment checks of the accounts app (`coalition check --deploy`)."""

from django.conf import settings
from django.core.checks import Warning, register

PER_PROCESS = {"django.core.cache.backends.locmem.LocMemCache", "django.core.cache.backends.dummy.DummyCache"}


@register("caches", deploy=True)
def throttle_cache_shared_check(app_configs, **kwargs):
    """The limits on sign-in failures and e-mails count in the "throttle" cache, which the web
    processes must share: one per process multiplies every limit by their number."""
    backend = settings.CACHES.get("throttle", {}).get("BACKEND")
    if backend is None or backend in PER_PROCESS:
        return [
            Warning(
                "The limits on failed sign-ins and e-mails need a cache that every web process shares.",
                hint="Leave CACHE_URL unset (files under COALITION_VAR_DIR) or set it to redis://… or db://… "
                "(docs/accounts.md, “Limits on sign-in and e-mails”).",
                id="accounts.W001",
            )
        ]
    return []
