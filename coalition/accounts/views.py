"""Account pages: parse the form, call the service, show the result. No rules decided here."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coalition.accounts import forms, selectors, services, throttle
from coalition.accounts.models import ApiToken, Notification
from coalition.accounts.sections import account_sections
from coalition.common.i18n import url_in_language


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _throttled_status(response, form):
    """429 Too Many Requests, with Retry-After, when a limit of `throttle` refused the form."""
    for error in form.non_field_errors().as_data():
        if error.code == throttle.CODE:
            response.status_code = 429
            response["Retry-After"] = str(error.params["seconds"])
    return response


def sign_up(request):
    if request.user.is_authenticated:
        return redirect("accounts:home")
    # The language of the page someone signs up on is the one they most likely read.
    form = forms.SignUpForm(request.POST or None, initial={"preferred_language": translation.get_language()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_sign_up(
                email=data["email"],
                full_name=data["full_name"],
                password=data["password"],
                preferred_language=data["preferred_language"],
                base_url=_base_url(request),
                client=throttle.client_address(request),
            )
        except ValidationError as error:
            forms.form_errors_apply(form, error)
        else:
            return render(request, "accounts/sign_up_done.html", {"email": data["email"]})
    return _throttled_status(render(request, "accounts/sign_up.html", {"form": form}), form)


def verify(request, token: str):
    try:
        services.user_verify_email(token=token)
    except ValidationError as error:
        return render(
            request,
            "accounts/verify_failed.html",
            {"message": error.message_dict["token"][0], "form": forms.ResendVerificationForm()},
            status=400,
        )
    messages.success(request, _("Your e-mail address is verified. You can sign in now."))
    return redirect("accounts:login")


def verification_resend(request):
    form = forms.ResendVerificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_verification_resend(
                email=form.cleaned_data["email"], base_url=_base_url(request), client=throttle.client_address(request)
            )
        except ValidationError as error:
            forms.form_errors_apply(form, error)
        else:
            return render(request, "accounts/sign_up_done.html", {"email": form.cleaned_data["email"], "resent": True})
    return _throttled_status(render(request, "accounts/verification_resend.html", {"form": form}), form)


def _language_cookie(response, language: str) -> None:
    """Remember the person's language as Django's language cookie does (Secure in production)."""
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite=settings.LANGUAGE_COOKIE_SAMESITE or "Lax",
                        secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY)


@require_POST
def language_set(request):
    """The header's language switch: back to the same page (its query string kept) in the chosen
    language, which the site remembers — in the language cookie, which sends a visit to the
    bare address to the home page in that language, and, for a signed-in person, as the preferred
    language their e-mails are written in."""
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        return HttpResponseBadRequest(
            _("The parameter “language” must be one of: %(codes)s.") % {"codes": ", ".join(dict(settings.LANGUAGES))},
            content_type="text/plain; charset=utf-8",
        )
    here = request.POST.get("next") or request.headers.get("referer") or "/"
    if not url_has_allowed_host_and_scheme(here, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        here = "/"
    if request.user.is_authenticated and request.user.preferred_language != language:
        services.user_profile_update(actor=request.user, preferred_language=language)
    response = HttpResponseRedirect(url_in_language(here, language))
    _language_cookie(response, language)
    return response


class SignInView(auth_views.LoginView):
    """Django's sign-in; afterwards the site speaks the user's preferred language: the page they
    go on to is the same page in that language."""

    template_name = "accounts/sign_in.html"
    authentication_form = forms.SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        language = form.get_user().preferred_language
        response = super().form_valid(form)
        response["Location"] = url_in_language(response["Location"], language)
        _language_cookie(response, language)
        return response

    def form_invalid(self, form):
        return _throttled_status(super().form_invalid(form), form)


@login_required
def home(request):
    user = request.user
    form = forms.ProfileForm(
        request.POST or None, initial={"full_name": user.full_name, "preferred_language": user.preferred_language}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.user_profile_update(actor=user, **form.cleaned_data)
        except ValidationError as error:
            forms.form_errors_apply(form, error)
        else:
            with translation.override(user.preferred_language):
                messages.success(request, _("Your profile is saved."))
                response = redirect("accounts:home")  # the account page in the language just chosen
            _language_cookie(response, user.preferred_language)
            return response
    return render(
        request,
        "accounts/home.html",
        {"form": form, "sections": account_sections.render(user=user)},
    )


@login_required
def notifications(request):
    preferences = selectors.notification_preferences_of(user=request.user)
    initial = {field: getattr(preferences, field) for field in forms.NotificationPreferencesForm.base_fields}
    form = forms.NotificationPreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.notification_preferences_update(actor=request.user, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            forms.form_errors_apply(form, error)
        else:
            messages.success(request, _("Your notification preferences are saved."))
            return redirect("accounts:notifications")
    return render(request, "accounts/notifications.html", {"form": form})


@login_required
def inbox(request):
    if request.method == "POST":
        count = services.notifications_mark_read(actor=request.user)
        messages.success(request, _("Marked %(count)s notifications read.") % {"count": count})
        return redirect("accounts:inbox")
    page = Paginator(selectors.notifications_of(user=request.user), 25).get_page(request.GET.get("page"))
    return render(request, "accounts/inbox.html", {"page": page, "preferences_url": reverse("accounts:notifications")})


@login_required
def inbox_open(request, pk: int):
    """Open one notification: it is marked read and the person lands where to act on it."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.notification_open(actor=request.user, notification=notification)
    if not url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect("accounts:inbox")
    return redirect(url_in_language(notification.url, translation.get_language()))  # in the inbox's language


@login_required
def api_tokens(request):
    form = forms.ApiTokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            expires_on = form.cleaned_data["expires_on"]
            expires_at = None if expires_on is None else timezone.make_aware(
                datetime.datetime.combine(expires_on, datetime.time.min))
            token, raw = services.api_token_create(
                actor=request.user, name=form.cleaned_data["name"], scope=form.cleaned_data["scope"] or ApiToken.Scope.READ,
                expires_at=expires_at,
            )
        except ValidationError as error:
            if "expires_at" in getattr(error, "error_dict", {}):
                error = ValidationError({"expires_on": error.error_dict.pop("expires_at"), **error.error_dict})
            forms.form_errors_apply(form, error)
        else:
            created = {"token": token, "raw": raw}
            form = forms.ApiTokenForm()
    response = render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "created": created, "tokens": selectors.api_tokens_of(user=request.user)},
        status=400 if form.errors else 200,
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def api_token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts:api_tokens")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, where a wrong current password counts as a failed sign-in of
    the account and its client address (`throttle`): someone at a signed-in browser cannot guess
    the password faster than at the sign-in page, and the lock is the same."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        email, client = request.user.email, throttle.client_address(request)
        try:
            throttle.sign_in_check(email=email, client=client)
        except ValidationError as error:
            forms.form_errors_apply(form, error)
            return _throttled_status(self.form_invalid(form), form)
        if form.is_valid():
            return self.form_valid(form)
        if "old_password" in form.errors:
            throttle.sign_in_failed(email=email, client=client)
        return self.form_invalid(form)


password_change = PasswordChangeView.as_view()


password_change_done = auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html")


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, within the e-mail limits of `throttle`. A recipient address that
    had its share of links gets none, and the same answer as any other address. The e-mail is in
    the account's own language (`forms.ResetForm`)."""

    form_class = forms.ResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset_body.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        try:
            send = throttle.mail_admit(
                client=throttle.client_address(self.request), recipient=form.cleaned_data["email"]
            )
        except ValidationError as error:
            forms.form_errors_apply(form, error)
            return _throttled_status(self.form_invalid(form), form)
        if not send:
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


password_reset = PasswordResetView.as_view()


password_reset_done = auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever reads the account's mail chose this password: the lock that an attacker's
        # guesses put on the account no longer keeps its owner out.
        throttle.sign_in_succeeded(email=form.user.email)
        return response


password_reset_confirm = PasswordResetConfirmView.as_view()


password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)


sign_out = auth_views.LogoutView.as_view()
