"""The platform's e-mails: rendered from templates in the recipient's language, sent through Django's mail."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation


def mail_render(*, user, template: str, context: dict, body: bool = True) -> tuple[str, str]:
    """`<template>_subject.txt` on one line and `<template>_body.txt` (full template paths),
    rendered in the user's preferred language; the body is left empty when `body` is False."""
    language = user.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {"user": user, **context}
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}_body.txt", context) if body else ""
    return subject, text


def mail_send(*, user, template: str, context: dict) -> None:
    """Send `<template>_subject.txt` and `<template>_body.txt` (full template paths) to the user,
    rendered in their preferred language.
    """
    subject, body = mail_render(user=user, template=template, context=context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def account_mail_send(*, user, template: str, context: dict) -> None:
    """Send `accounts/email/<template>_subject.txt` and `_body.txt` to the user, in their language."""
    mail_send(user=user, template=f"accounts/email/{template}", context=context)
