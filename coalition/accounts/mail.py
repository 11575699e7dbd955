"""The platform's e-mails: rendered from templates in the recipient's language, sent through Django's mail."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from coalition.common.i18n import url_in_language


def mail_render(*, user, template: str, context: dict, body: bool = True) -> tuple[str, str]:
    """`<template>_subject.txt` on one line and `<template>_body.txt` (full template paths),
    rendered in the user's preferred language; the body is left empty when `body` is False.

    The site's links in the context — the values of `url`, `link` and `*_url`, absolute or not —
    lead to the pages in that language too (/fr/… for a French reader), wherever and in whichever
    language the sender reversed them: in a reviewer's French request, in a task."""
    language = user.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {"user": user, **{key: _link_in(language, key, value) for key, value in context.items()}}
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}_body.txt", context) if body else ""
    return subject, text


def _link_in(language: str, key: str, value):
    if isinstance(value, str) and (key in ("url", "link") or key.endswith("_url")):
        return url_in_language(value, language)
    return value


def mail_send(*, user, template: str, context: dict) -> None:
    """Send `<template>_subject.txt` and `<template>_body.txt` (full template paths) to the user,
    rendered in their preferred language.
    """
    subject, body = mail_render(user=user, template=template, context=context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def account_mail_send(*, user, template: str, context: dict) -> None:
    """Send `accounts/email/<template>_subject.txt` and `_body.txt` to the user, in their language."""
    mail_send(user=user, template=f"accounts/email/{template}", context=context)
