"""Account forms: they parse and label input; the rules live in services.py."""

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from coalition.accounts import throttle
from coalition.accounts.models import ApiToken
from coalition.accounts.services import user_awaiting_verification
from coalition.common.forms import Form
from coalition.common.versions import EditConflict


def form_errors_apply(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the visible field it names, else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        shown = field in form.fields and not form.fields[field].widget.is_hidden
        form.add_error(field if shown else None, errors)


def form_save_versioned(form: forms.Form, *, version: int, save) -> tuple[bool, int]:
    """Run `save()` (a service writing a bound, valid form opened at `version`). On a
    ValidationError its messages go on the form's fields and nothing is saved; returns whether it
    saved and the version the re-shown form must carry (after an edit conflict, the newer one, so
    that saving again keeps this person's input deliberately)."""
    try:
        save()
    except ValidationError as error:
        form_errors_apply(form, error)
        return False, error.version if isinstance(error, EditConflict) else version
    return True, version


class ThrottledSignIn:
    """Django's sign-in check within the limits of `throttle`: a locked account or client address
    is refused before any password is checked, and each failure is counted."""

    def clean(self):
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if email is not None and password:
            client = throttle.client_address(self.request) if self.request is not None else None
            throttle.sign_in_check(email=email, client=client)
            self.user_cache = authenticate(self.request, username=email, password=password)
            if self.user_cache is None and user_awaiting_verification(email=email, password=password):
                raise ValidationError(self.error_messages["inactive"], code="inactive")
            if self.user_cache is None:
                throttle.sign_in_failed(email=email, client=client)
                raise self.get_invalid_login_error()
            throttle.sign_in_succeeded(email=email)
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class AdminSignInForm(ThrottledSignIn, AdminAuthenticationForm):
    """The admin's sign-in page, within the same limits as the site's."""


class SignInForm(ThrottledSignIn, AuthenticationForm):
    """Django's sign-in form, telling an unverified account what to do."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The e-mail address or password is not right. Both are case-sensitive for the password."),
        "inactive": _("This account is not verified yet: follow the link we e-mailed you, or ask for a new one."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("E-mail address")
        self.fields["username"].widget.attrs["autocomplete"] = "email"


class SignUpForm(Form):
    full_name = forms.CharField(
        label=_("Full name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits, and not a common password."),
    )
    password_again = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password_again") and data["password"] != data["password_again"]:
            self.add_error("password_again", _("The two passwords differ: type the same password twice."))
        return data


class ResendVerificationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class ProfileForm(Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)


class NotificationPreferencesForm(forms.Form):
    report_reminder = forms.BooleanField(label=_("Progress-report reminders (due and overdue)"), required=False)
    review_decision = forms.BooleanField(label=_("Review decisions on my pledges and reports"), required=False)
    access_request = forms.BooleanField(label=_("Access requests waiting for my decision"), required=False)
    review_work = forms.BooleanField(label=_("Pledges and reports sent back to me for review"), required=False)
    comment = forms.BooleanField(label=_("Comments on pledges and reports I take part in"), required=False)


class ApiTokenForm(Form):
    name = forms.CharField(
        label=_("Token name"), max_length=100, help_text=_("What will use it, e.g. “Ministry data pipeline”.")
    )
    scope = forms.ChoiceField(
        label=_("What it may do"), choices=ApiToken.Scope.choices, initial=ApiToken.Scope.READ, required=False,
        widget=forms.RadioSelect,
        help_text=_("Read: public data, under the token's own rate limit. Read and write: also draft "
                    "and submit pledges and progress reports as you."),
    )
    expires_on = forms.DateField(
        label=_("Expires on"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Optional. The token stops working at the start of that day."),
    )


class ResetForm(PasswordResetForm):
    """Django's password-reset form, writing each e-mail (and its link) in the language the
    account chose rather than the language of the page the request came from."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        with translation.override(context["user"].preferred_language or settings.LANGUAGE_CODE):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)
