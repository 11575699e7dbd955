"""Typed readers for settings taken from environment variables."""

import os


def envstr(name: str, default: str = "") -> str:
    """The variable's value; an empty value counts as unset."""
    return os.environ.get(name) or default


def envbool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {value!r}") from None


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def caches_from_url(url: str, *, name: str = "CACHE_URL") -> dict:
    """Django's CACHES from one URL: the cache of figures ("default") and the counters of the
    sign-in and e-mail limits ("throttle"), side by side in one store.

    `file:///absolute/folder` (a sub-folder each), `redis://host:6379/0` or `rediss://…` (one key
    prefix each), `db://table` (tables `table` and `table_throttle`, made by `createcachetable`),
    `locmem://` (this process only: development and tests). The counters get room for many
    entries, so that a flood of keys does not cull the counters it is meant to be held back by.
    """
    scheme, _, rest = url.partition("://")
    throttle_options = {"MAX_ENTRIES": 10_000}
    if scheme == "file" and rest.startswith("/"):
        folder = rest.rstrip("/") or "/"
        backend = "django.core.cache.backends.filebased.FileBasedCache"
        default = {"BACKEND": backend, "LOCATION": f"{folder}/default"}
        throttle = {"BACKEND": backend, "LOCATION": f"{folder}/throttle", "OPTIONS": throttle_options}
    elif scheme in {"redis", "rediss"} and rest:
        backend = "django.core.cache.backends.redis.RedisCache"
        default = {"BACKEND": backend, "LOCATION": url, "KEY_PREFIX": "coalition"}
        throttle = {"BACKEND": backend, "LOCATION": url, "KEY_PREFIX": "coalition-throttle"}
    elif scheme == "db":
        table = rest.strip("/") or "coalition_cache"
        if not table.replace("_", "").isalnum():
            raise ValueError(f"{name}: the table name in db://{rest} may hold only letters, digits and _")
        backend = "django.core.cache.backends.db.DatabaseCache"
        default = {"BACKEND": backend, "LOCATION": table}
        throttle = {"BACKEND": backend, "LOCATION": f"{table}_throttle", "OPTIONS": throttle_options}
    elif scheme == "locmem":
        backend = "django.core.cache.backends.locmem.LocMemCache"
        default = {"BACKEND": backend, "LOCATION": "default"}
        throttle = {"BACKEND": backend, "LOCATION": "throttle", "OPTIONS": throttle_options}
    else:
        raise ValueError(
            f"{name} must be file:///absolute/folder, redis://host:port/db, rediss://…, db://table or "
            f"locmem://, not {url!r}"
        )
    return {"default": default, "throttle": throttle}
