"""Writes for accounts: sign-up and verification, profiles, notification preferences and the
sent-notification log, access requests and API tokens.

Every service is keyword-only, runs in one transaction, checks who is acting, and raises
`PermissionDenied` or `ValidationError` keyed by the form field at fault, worded for the user.
Decisions on access requests are recorded on the request (who, when, why) and e-mailed to the
requester; the focal points they create keep their own history.
"""

import datetime
import hashlib
import logging
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.accounts import throttle
from coalition.accounts.mail import account_mail_send, mail_render, mail_send
from coalition.accounts.models import (
    ApiToken,
    Notification,
    NotificationKind,
    NotificationPreferences,
    SentNotification,
    User,
)
from coalition.accounts.roles import signed_in_check
from coalition.accounts.selectors import user_wants_email

logger = logging.getLogger(__name__)

VERIFY_SALT = "coalition.accounts.verify-email"


TOKEN_PREFIX = "coa_"


def _language_check(language: str) -> str:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"preferred_language": _("Choose one of the languages offered.")})
    return language




def user_sign_up(
    *,
    email: str,
    full_name: str,
    password: str,
    preferred_language: str,
    base_url: str = "",
    client: str | None = None,
) -> User:
    """Create an inactive account and e-mail it a verification link.

    The account cannot sign in until the link is followed (`user_verify_email`). An e-mail address
    already registered, in any letter case, is refused on the `email` field. Each attempt from a
    web page counts against its client address's e-mails (`throttle.mail_admit`), refused or not,
    so the form can neither flood mailboxes nor probe many addresses for accounts; over the limit
    it is refused above the form. `client` None: not from a web page. The count is made before the
    transaction, which a refusal rolls back.
    """
    throttle.mail_admit(client=client)
    with transaction.atomic():
        email = User.objects.normalize_email(email.strip()).lower()
        full_name = full_name.strip()
        errors: dict[str, list[str]] = {}
        if not email:
            errors["email"] = [_("Enter your e-mail address.")]
        elif User.objects.filter(email__iexact=email).exists():
            errors["email"] = [_("An account with this e-mail address already exists. Sign in or reset your password.")]
        if not full_name:
            errors["full_name"] = [_("Enter your full name.")]
        try:
            _language_check(preferred_language)
        except ValidationError as error:
            errors.update(error.message_dict)
        candidate = User(email=email, full_name=full_name)
        try:
            validate_password(password, candidate)
        except ValidationError as error:
            errors["password"] = error.messages
        if errors:
            raise ValidationError(errors)
        user = User.objects.create_user(
            email=email, password=password, full_name=full_name, preferred_language=preferred_language, is_active=False
        )
        user_verification_send(user=user, base_url=base_url)
        return user


def user_verification_token(*, user: User) -> str:
    """A signed token naming the account and its address; `user_verify_email` checks its age."""
    return signing.dumps({"user": user.pk, "email": user.email}, salt=VERIFY_SALT)


def user_verification_send(*, user: User, base_url: str = "") -> None:
    """E-mail the verification link (valid for ACCOUNT_VERIFICATION_DAYS days)."""
    path = reverse("accounts:verify", kwargs={"token": user_verification_token(user=user)})
    account_mail_send(
        user=user,
        template="verify",
        context={
            "link": (base_url or settings.COALITION_SITE_URL).rstrip("/") + path,
            "days": settings.ACCOUNT_VERIFICATION_DAYS,
        },
    )


@transaction.atomic
def user_verify_email(*, token: str) -> User:
    """Activate the account the token names. Expired, tampered or stale tokens are refused on `token`."""
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=settings.ACCOUNT_VERIFICATION_DAYS * 86400)
    except signing.SignatureExpired:
        raise ValidationError({"token": _("This link has expired. Ask for a new one below.")}) from None
    except signing.BadSignature:
        raise ValidationError({"token": _("This link is not valid. Copy the whole link from the e-mail.")}) from None
    user = User.objects.select_for_update().filter(pk=data.get("user"), email=data.get("email")).first()
    if user is None:
        raise ValidationError({"token": _("This link is not valid. Copy the whole link from the e-mail.")})
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.is_active = True
        user.save(update_fields=["email_verified_at", "is_active"])
    return user


def user_verification_resend(*, email: str, base_url: str = "", client: str | None = None) -> None:
    """Send a new link if the address belongs to an account still waiting for verification.

    Says nothing either way, so the form cannot be used to find out who has an account; nor when
    the address has had its share of links (`throttle.mail_admit`), which are then not sent.
    Raises ValidationError when the client address has asked for too many e-mails.
    """
    if not throttle.mail_admit(client=client, recipient=email):
        return
    user = _awaiting_verification(email)
    if user is not None:
        user_verification_send(user=user, base_url=base_url)


def user_awaiting_verification(*, email: str, password: str) -> bool:
    """Whether `email` and `password` are those of an account whose address is not verified yet:
    the sign-in page then says so, instead of calling the password wrong. Only someone who knows
    the password learns it."""
    user = _awaiting_verification(email)
    return user is not None and user.check_password(password)


def _awaiting_verification(email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip(), email_verified_at__isnull=True, is_active=False).first()


@transaction.atomic
def user_profile_update(*, actor, preferred_language: str, full_name: str | None = None) -> User:
    """Change the acting user's own language, and name unless it is None (the header's language
    switch changes the language alone, and also for accounts that never had a name)."""
    signed_in_check(actor)
    fields = ["preferred_language"]
    if full_name is not None:
        if not full_name.strip():
            raise ValidationError({"full_name": _("Enter your full name.")})
        actor.full_name = full_name.strip()
        fields.append("full_name")
    actor.preferred_language = _language_check(preferred_language)
    actor.save(update_fields=fields)
    return actor


@transaction.atomic
def notification_preferences_update(*, actor, user: User, **choices: bool) -> NotificationPreferences:
    """Turn e-mail notifications on or off, one keyword per NotificationKind (others unchanged).

    Only the person themselves changes their preferences.
    """
    signed_in_check(actor)
    if actor.pk != user.pk:
        raise PermissionDenied(_("You can only change your own notification preferences."))
    unknown = set(choices) - set(NotificationKind.values)
    if unknown:
        raise ValidationError({field: _("Unknown notification.") for field in sorted(unknown)})
    preferences, _created = NotificationPreferences.objects.select_for_update().get_or_create(user=user)
    for kind, wanted in choices.items():
        setattr(preferences, kind, bool(wanted))
    preferences.save()
    return preferences


def notification_claim(*, kind: str, recipient: User, object_key: str, period_key: str) -> SentNotification | None:
    """Record that this notification is being sent; None when it already was (by anyone).

    Call it inside the transaction that sends the e-mail, and send only when it returns a row:
    the unique constraint on (kind, recipient, object, period) then lets one process win,
    however many workers or reruns try, and a failed send rolls the record back for a retry.
    """
    try:
        with transaction.atomic():
            return SentNotification.objects.create(
                kind=kind, recipient=recipient, object_key=object_key, period_key=period_key
            )
    except IntegrityError:
        return None


def notification_send(
    *, recipients, kind: str, template: str, context: dict, url: str, actor=None, body: str = "",
) -> list[Notification]:
    """Tell each of `recipients` (except the actor, inactive accounts and duplicates) that
    something happened: one inbox entry each, titled with `<template>_subject.txt` rendered in
    their language, and an e-mail (`<template>_body.txt`, with `url` made absolute) when their
    preferences take this NotificationKind.

    Call it inside the transaction that made the change: the inbox entries are written with it,
    and the e-mails leave only once it commits, so a refused or rolled-back change tells nobody.
    A failed e-mail is logged, never undoes the change.
    """
    NotificationKind(kind)
    site = settings.COALITION_SITE_URL.rstrip("/")
    sent, seen = [], {getattr(actor, "pk", None)}
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        mail_context = {**context, "url": site + url, "actor": actor, "body": body,
                        "notifications_url": site + reverse("accounts:notifications")}
        title, _text = mail_render(user=user, template=template, context=mail_context, body=False)
        sent.append(Notification.objects.create(
            recipient=user, kind=kind, actor=actor, title=title[:300], body=body, url=url,
        ))
        if user_wants_email(user=user, kind=kind):
            transaction.on_commit(_mailer(user, template, mail_context))
    return sent


def _mailer(user, template: str, context: dict):
    def send() -> None:
        try:
            mail_send(user=user, template=template, context=context)
        except Exception:
            logger.exception("Notification e-mail to user %s failed", user.pk)
    return send


@transaction.atomic
def notification_open(*, actor, notification: Notification) -> Notification:
    """Mark one of the actor's notifications read (opening it); someone else's is refused."""
    signed_in_check(actor)
    if notification.recipient_id != actor.pk:
        raise PermissionDenied(_("This notification is someone else's."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_read(*, actor) -> int:
    """Mark every unread notification of the actor read; returns how many were."""
    signed_in_check(actor)
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())


def _token_hash(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, actor, name: str, scope: str = ApiToken.Scope.READ, expires_at: datetime.datetime | None = None,
) -> tuple[ApiToken, str]:
    """Create a token for the acting user; returns it with the secret, which is never stored
    (only its SHA-256, see ApiToken) and so can be shown only this once.

    `scope` "read" or "write" (write also reads); `expires_at` None for a token that lasts until
    revoked, otherwise a moment in the future. Errors on `name`, `scope` or `expires_at`.
    """
    signed_in_check(actor)
    name = name.strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Give the token a name, such as the program that will use it.")
    elif ApiToken.objects.filter(user=actor, name=name, revoked_at__isnull=True).exists():
        errors["name"] = _("You already have a token with this name.")
    if scope not in ApiToken.Scope.values:
        errors["scope"] = _("Choose read or write.")
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = _("Choose a moment in the future, or leave it empty for a token that lasts until revoked.")
    if errors:
        raise ValidationError(errors)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor, name=name, prefix=raw[:10], token_hash=_token_hash(raw), scope=scope, expires_at=expires_at,
    )
    logger.info("API token %s (%s) created by user %s", token.pk, token.prefix, actor.pk)
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke a token; it stops working at once. Its owner revokes it, or an administrator
    (a token leaked or a person gone)."""
    signed_in_check(actor)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.user_id != actor.pk and not actor.is_superuser:
        raise PermissionDenied(_("You may revoke only your own tokens."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        logger.info("API token %s (%s) revoked by user %s", token.pk, token.prefix, actor.pk)
    return token


def api_token_authenticate(raw_token: str | None) -> ApiToken | None:
    """The token a secret belongs to, with its user, if it may be used now: not revoked, not
    expired, its user active. None for anything else, malformed secrets included.

    Records when the token was last used (at most once a minute, to spare the database).
    """
    if not raw_token or not isinstance(raw_token, str) or not raw_token.startswith(TOKEN_PREFIX) or len(raw_token) > 200:
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=_token_hash(raw_token), revoked_at__isnull=True, user__is_active=True)
        .exclude(expires_at__lte=now)
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def token_user(raw_token: str | None) -> User | None:
    """The active user a usable token belongs to (`api_token_authenticate`), or None."""
    token = api_token_authenticate(raw_token)
    return token.user if token is not None else None
