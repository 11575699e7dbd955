"""People who sign in, the roles they ask for, and their API tokens.

E-mail is the login. Roles: entity focal point (`entities.FocalPoint`), member-state focal point
(`CountryFocalPoint`), reviewer (the "Secretariat reviewers" group) and administrator (superuser).
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("email: an e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    email = models.EmailField("e-mail address", unique=True)
    full_name = models.CharField(max_length=200, blank=True)
    preferred_language = models.CharField(max_length=10, default="en")
    email_verified_at = models.DateTimeField(
        null=True, blank=True, help_text="When the person followed the verification link; empty until then."
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.email


class CountryFocalPoint(models.Model):
    """A member-state focal point: the account acts for a country, once the secretariat approved it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="country_focal_points")
    country = models.ForeignKey("reference.Country", on_delete=models.PROTECT, related_name="focal_points")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField()

    class Meta:
        ordering = ["country", "user"]
        constraints = [models.UniqueConstraint(fields=["user", "country"], name="country_focal_point_once")]
        verbose_name = _("member-state focal point")

    def __str__(self) -> str:
        return f"{self.user} for {self.country}"


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 hash is stored; the token is shown once, at creation.

    The secret is 256 random bits, so a fast hash is enough: a slow one (PBKDF2, Argon2) protects
    guessable passwords against a stolen table, and would cost its work on every API request.
    """

    class Scope(models.TextChoices):
        READ = "read", _("Read")
        WRITE = "write", _("Read and write")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, help_text="The token's first characters, to recognise it.")
    token_hash = models.CharField(max_length=64, unique=True)
    scope = models.CharField(
        _("scope"), max_length=10, choices=Scope.choices, default=Scope.READ,
        help_text=_("Read: the public reads, under the token's own rate limit. Write: also your drafts and reports."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class NotificationKind(models.TextChoices):
    """The e-mails a person may turn off, one preference each."""

    REPORT_REMINDER = "report_reminder", _("Progress-report reminders (due and overdue)")
    REVIEW_DECISION = "review_decision", _("Review decisions on my pledges and reports")
    ACCESS_REQUEST = "access_request", _("Access requests waiting for my decision")
    REVIEW_WORK = "review_work", _("Pledges and reports sent back to me for review")
    COMMENT = "comment", _("Comments on pledges and reports I take part in")


class NotificationPreferences(models.Model):
    """Which notifications a person receives by e-mail. No row means every one is on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    report_reminder = models.BooleanField(_("progress-report reminders (due and overdue)"), default=True)
    review_decision = models.BooleanField(_("review decisions on my pledges and reports"), default=True)
    access_request = models.BooleanField(_("access requests waiting for my decision"), default=True)
    review_work = models.BooleanField(_("pledges and reports sent back to me for review"), default=True)
    comment = models.BooleanField(_("comments on pledges and reports I take part in"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preferences")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"Notifications of {self.user}"


class SentNotification(models.Model):
    """One notification e-mailed to one person about one object for one period.

    The unique constraint is what keeps a reminder to one per period whatever the number of
    workers or reruns: the row is inserted before the e-mail is sent, in the same transaction,
    and only the process whose insert succeeded sends.
    """

    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sent_notifications"
    )
    object_key = models.CharField(max_length=100, help_text="What it is about, e.g. pledge:12.")
    period_key = models.CharField(max_length=100, help_text="Which period it is for, e.g. due:2025-03-01.")
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "recipient", "object_key", "period_key"], name="sent_notification_once"
            )
        ]
        indexes = [models.Index(fields=["kind", "object_key"])]
        verbose_name = _("sent notification")

    def __str__(self) -> str:
        return f"{self.kind} {self.object_key} {self.period_key} to {self.recipient}"


class Notification(models.Model):
    """One thing that happened that a person should know: a decision on their pledge, a comment,
    work coming back to them. Listed in the account's inbox whatever the e-mail preferences; the
    title is written in the recipient's language when it is recorded."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True, help_text="What the actor wrote, such as the reviewer's comment.")
    url = models.CharField(max_length=500, help_text="Where to act on it, a path on this site.")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]
        verbose_name = _("notification")

    def __str__(self) -> str:
        return f"{self.title} → {self.recipient}"
