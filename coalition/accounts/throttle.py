"""Limits on what anyone can try from the public pages: failed sign-ins, the e-mails a visitor can
have the platform send (sign-up, password reset, a new verification link), and the documents a
visitor can have drawn on demand (a country profile's PDF).

A limit counts events per key (an account's e-mail address, a recipient address, a client
address). Each event less than the limit's window after the one before adds to the count; a
window without events starts it again. Once the count is full the key is refused until a
window after its last event, and the refusal says in how many minutes. Refusals are not events,
so waiting always ends them. Keys are counted whether or not an account uses them, so no answer
tells who has an account.

The counters live in the "throttle" cache, which every web process must share (settings.CACHES,
docs/accounts.md). Two processes counting at the same moment may each miss the other's event, so
a burst can get past a limit by at most the number of its requests in flight at once.
"""

import hashlib
import ipaddress
import logging
import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coalition.common.actors import is_system

logger = logging.getLogger(__name__)

CODE = "throttled"


@dataclass(frozen=True)
class Limit:
    name: str
    events: int
    seconds: int

    @property
    def on(self) -> bool:
        return self.events > 0 and self.seconds > 0


def _sign_in_account() -> Limit:
    return Limit(
        "sign-in-account", settings.ACCOUNT_SIGN_IN_FAILURES_PER_ACCOUNT, settings.ACCOUNT_SIGN_IN_LOCKOUT_MINUTES * 60
    )


def _sign_in_client() -> Limit:
    return Limit(
        "sign-in-client", settings.ACCOUNT_SIGN_IN_FAILURES_PER_CLIENT, settings.ACCOUNT_SIGN_IN_LOCKOUT_MINUTES * 60
    )


def _mail_recipient() -> Limit:
    return Limit("mail-recipient", settings.ACCOUNT_MAILS_PER_RECIPIENT, settings.ACCOUNT_MAIL_WINDOW_MINUTES * 60)


def _mail_client() -> Limit:
    return Limit("mail-client", settings.ACCOUNT_MAILS_PER_CLIENT, settings.ACCOUNT_MAIL_WINDOW_MINUTES * 60)


def _drawing_client() -> Limit:
    return Limit("drawing-client", settings.COALITION_PROFILE_PDFS_PER_CLIENT,
                 settings.COALITION_PROFILE_PDF_WINDOW_MINUTES * 60)


def _messages():
    # Built when a refusal is raised, in the language of the request being answered.
    return {
        "sign-in-account": lambda minutes: ngettext(
            "Too many failed sign-ins for this e-mail address. Try again in %(minutes)d minute, or choose "
            "a new password with “Forgotten your password?”.",
            "Too many failed sign-ins for this e-mail address. Try again in %(minutes)d minutes, or choose "
            "a new password with “Forgotten your password?”.",
            minutes,
        ),
        "sign-in-client": lambda minutes: ngettext(
            "Too many failed sign-ins from your network. Try again in %(minutes)d minute.",
            "Too many failed sign-ins from your network. Try again in %(minutes)d minutes.",
            minutes,
        ),
        "drawing-client": lambda minutes: ngettext(
            "Too many documents were drawn for your network. Try again in %(minutes)d minute, or download "
            "the ones already drawn.",
            "Too many documents were drawn for your network. Try again in %(minutes)d minutes, or download "
            "the ones already drawn.",
            minutes,
        ),
        "mail-client": lambda minutes: ngettext(
            "Too many e-mails were asked for from your network. Try again in %(minutes)d minute.",
            "Too many e-mails were asked for from your network. Try again in %(minutes)d minutes.",
            minutes,
        ),
    }


# --- Counting ----------------------------------------------------------------------------------


def _key(limit: Limit, key: str) -> str:
    # Hashed: cache keys stay short and valid for every backend, and no address is stored as such.
    digest = hashlib.sha256(key.encode(errors="surrogatepass")).hexdigest()[:40]
    return f"{limit.name}:{digest}"


def _read(limit: Limit, key: str) -> tuple[int, float]:
    """(events counted, moment the count lapses); (0, 0) when nothing is counted."""
    count, until = caches["throttle"].get(_key(limit, key)) or (0, 0.0)
    if time.time() >= until:
        return 0, 0.0
    return count, until


def _refused_for(limit: Limit, key: str) -> float:
    """Seconds left before `key` may try again under `limit`; 0 when it may now."""
    if not limit.on:
        return 0.0
    count, until = _read(limit, key)
    return until - time.time() if count >= limit.events else 0.0


def _check(limit: Limit, key: str) -> None:
    seconds = _refused_for(limit, key)
    if seconds > 0:
        minutes = max(1, math.ceil(seconds / 60))
        raise ValidationError(
            _messages()[limit.name](minutes), code=CODE, params={"minutes": minutes, "seconds": math.ceil(seconds)}
        )


def _count(limit: Limit, key: str, *, client: str | None = None) -> None:
    if not limit.on:
        return
    count, _until = _read(limit, key)
    count += 1
    until = time.time() + limit.seconds
    caches["throttle"].set(_key(limit, key), (count, until), timeout=limit.seconds + 60)
    if count == limit.events:
        logger.warning("Limit %s reached (%d events) for %s, from client %s", limit.name, count, key, client or key)


def _clear(limit: Limit, key: str) -> None:
    caches["throttle"].delete(_key(limit, key))


def _account(email: str) -> str:
    return email.strip().lower()


def client_address(request) -> str:
    """Who is asking, for the per-client limits: REMOTE_ADDR, or with COALITION_TRUSTED_PROXIES = n
    the address the outermost of those n proxies saw (the (n+1)-th from the right of
    X-Forwarded-For followed by REMOTE_ADDR). An IPv6 client counts as its /64 network, which one
    subscriber usually holds whole.
    """
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.COALITION_TRUSTED_PROXIES
    if proxies > 0:
        forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        chain = [*forwarded, address]
        address = chain[max(0, len(chain) - 1 - proxies)]
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address[:100]
    if parsed.version == 6 and parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


# --- Sign-in -----------------------------------------------------------------------------------


def sign_in_check(*, email: str, client: str | None) -> None:
    """Refuse (ValidationError, code "throttled") a sign-in while the account or the client
    address is locked, before any password is checked. `client` None: not a web request."""
    _check(_sign_in_account(), _account(email))
    if client is not None:
        _check(_sign_in_client(), client)


def sign_in_failed(*, email: str, client: str | None) -> None:
    """Count a failed sign-in against the account's address (known or not) and the client."""
    _count(_sign_in_account(), _account(email), client=client)
    if client is not None:
        _count(_sign_in_client(), client, client=client)


def sign_in_succeeded(*, email: str) -> None:
    """Forget the account's failures. The client's stay: signing in to an account of one's own
    must not buy more guesses at others."""
    _clear(_sign_in_account(), _account(email))


def sign_in_locked_until(*, email: str) -> datetime | None:
    """When the account's sign-in lock ends, or None when it is not locked."""
    seconds = _refused_for(_sign_in_account(), _account(email))
    return datetime.fromtimestamp(time.time() + seconds, tz=UTC) if seconds > 0 else None


# --- E-mails a visitor asks for ---------------------------------------------------------------


def mail_admit(*, client: str | None, recipient: str | None = None) -> bool:
    """Whether to send an e-mail a visitor asked for (sign-up: no recipient; password reset and
    verification link: the address typed, whether or not an account uses it).

    Raises ValidationError (code "throttled") when the client address has asked for too many.
    Otherwise counts the request against the client, and returns False when the recipient
    address has had its share: the caller then sends nothing and answers as if it had sent, so
    the page stays the same for every address.
    """
    if client is not None:
        _check(_mail_client(), client)
        _count(_mail_client(), client, client=client)
    if recipient is None:
        return True
    recipient = _account(recipient)
    if _refused_for(_mail_recipient(), recipient) > 0:
        return False
    _count(_mail_recipient(), recipient, client=client)
    return True


# --- Documents drawn on demand --------------------------------------------------------------


def drawing_admit(*, client: str | None) -> None:
    """Count a document drawn for `client` (a country profile's PDF not in the cache yet).

    Raises ValidationError (code "throttled") when the address has had too many drawn in the
    window; the caller draws nothing then. Documents served from the cache are not counted.
    """
    if client is None:
        return
    _check(_drawing_client(), client)
    _count(_drawing_client(), client, client=client)


# --- Lifting a lock ----------------------------------------------------------------------------


def throttle_clear(*, actor, account: str | None = None, client: str | None = None) -> None:
    """Lift every limit on an account's e-mail address (its sign-in lock and the e-mails it was
    sent) and/or on a client address. People who may change accounts (administrators), or
    `SYSTEM` from the command line.
    """
    if not is_system(actor) and not (
        actor is not None and actor.is_authenticated and actor.is_active and actor.has_perm("accounts.change_user")
    ):
        raise PermissionDenied(_("Only an administrator can lift a sign-in lock."))
    if account:
        _clear(_sign_in_account(), _account(account))
        _clear(_mail_recipient(), _account(account))
    if client:
        _clear(_sign_in_client(), client)
        _clear(_mail_client(), client)


def throttle_state(*, account: str | None = None, client: str | None = None) -> list[tuple[str, int, int, float]]:
    """(limit, events counted, events allowed, seconds refused) for each limit on the keys given."""
    pairs = []
    if account:
        pairs += [(_sign_in_account(), _account(account)), (_mail_recipient(), _account(account))]
    if client:
        pairs += [(_sign_in_client(), client), (_mail_client(), client)]
    return [(limit.name, _read(limit, key)[0], limit.events, _refused_for(limit, key)) for limit, key in pairs]
