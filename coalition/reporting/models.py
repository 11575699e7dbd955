"""Yearly progress reports on published pledges, their target actuals, evidence and decisions.

Reports, actuals and evidence keep a full history (django-simple-history), like the pledges.
They are changed only through `services.py`, their status through `workflow.REPORT_WORKFLOW`. The tables keep
the names they had when they lived in the `pledges` app (`db_table`).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coalition.common.intervals import VersionInterval
from coalition.reference.models import Currency


class ReportStatus(models.TextChoices):
    """The states of a progress report; `workflow.REPORT_WORKFLOW` moves it between them."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned for changes")


class ReportAction(models.TextChoices):
    SUBMIT = "submit", _("Submit the report")
    ACCEPT = "accept", _("Accept the report")
    RETURN = "return", _("Return for changes")


class ImplementationStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    ON_TRACK = "on_track", _("On track")
    DELAYED = "delayed", _("Delayed")
    COMPLETED = "completed", _("Completed")
    DISCONTINUED = "discontinued", _("Discontinued")


class VerificationLevel(models.TextChoices):
    SELF_REPORTED = "self_reported", _("Self-reported")
    DOCUMENTED = "documented", _("Documented")
    VERIFIED = "verified", _("Verified")


# Reports are cumulative to their period end: a pledge's current report is the accepted one with the
# latest period end (ties: the later submission, then the later row). Every "latest report" of a
# pledge, in a list, a page, a figure or a file, reads reports in this order.
LATEST_FIRST = ("-period_end", "-submitted_at", "-id")
LATEST_LAST = tuple(field.removeprefix("-") for field in LATEST_FIRST)


# Money disbursed stated (amount, currency, year) whose US dollars await an exchange rate.
PENDING_DISBURSED = Q(disbursed_usd__isnull=True, disbursed_amount__isnull=False)


class ProgressReport(models.Model):
    """A pledger's report on one pledge for one reporting period (cumulative to its end)."""

    pledge = models.ForeignKey("pledges.Pledge", on_delete=models.CASCADE, related_name="progress_reports")
    period_end = models.DateField(_("period end"), help_text=_("Last day of the period the report covers."))
    year = models.PositiveSmallIntegerField(
        _("reporting year"), editable=False, db_index=True, help_text=_("The year of the period end.")
    )
    implementation_status = models.CharField(
        _("implementation status"), max_length=20, choices=ImplementationStatus.choices, blank=True
    )
    share_delivered = models.DecimalField(
        _("share delivered (%)"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    disbursed_amount = models.DecimalField(_("money disbursed"), max_digits=20, decimal_places=2, null=True, blank=True)
    disbursed_currency = models.ForeignKey(
        Currency, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("currency")
    )
    disbursed_year = models.PositiveSmallIntegerField(_("year of the amount"), null=True, blank=True)
    disbursed_usd = models.DecimalField(
        _("money disbursed (USD)"), max_digits=20, decimal_places=2, null=True, blank=True, editable=False,
        help_text=_("Derived from amount, currency and year; never typed in. Empty while no rate is stored for "
                    "that currency and year (the amount awaits a rate)."),
    )
    disbursed_usd_provisional = models.BooleanField(
        _("converted at a provisional rate"), default=False, db_default=False, editable=False,
        help_text=_("The year was not over: converted at the year-to-date average rate, recomputed when the "
                    "year's final rate is loaded."),
    )
    narrative = models.TextField(_("what was done"), blank=True)
    challenges = models.TextField(_("challenges"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT, db_index=True,
        editable=False,
    )
    verification_level = models.CharField(
        _("verification level"), max_length=20, choices=VerificationLevel.choices, blank=True, editable=False
    )
    version = models.PositiveIntegerField(
        _("version"), default=1, editable=False,
        help_text=_("Raised by every save of the content; an edit opened at an older number is refused."),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    reviewer_comment = models.TextField(_("reviewer's comment"), blank=True, editable=False)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_reports",
        editable=False, help_text=_("The reviewer in charge of this report's review."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"], table_name="pledges_historicalprogressreport", bases=[VersionInterval])

    class Meta:
        db_table = "pledges_progressreport"
        ordering = ["pledge", "-period_end", "-id"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            # One report per pledge and year, whatever its state: two people (or two tabs)
            # creating the same report at once get one report and a form error, never two.
            models.UniqueConstraint(fields=["pledge", "year"], name="one_report_per_pledge_year"),
            models.CheckConstraint(
                condition=Q(share_delivered__isnull=True) | Q(share_delivered__gte=0, share_delivered__lte=100),
                name="report_share_delivered_0_100",
            ),
        ]
        indexes = [
            models.Index(fields=["pledge", "status", "submitted_at"]),
            # The few amounts awaiting an exchange rate, or converted at a provisional one (`money`).
            models.Index(fields=["disbursed_currency", "disbursed_year"], condition=PENDING_DISBURSED,
                         name="report_disbursed_pending"),
            models.Index(fields=["disbursed_currency", "disbursed_year"], condition=Q(disbursed_usd_provisional=True),
                         name="report_disbursed_provisional"),
        ]

    def __str__(self) -> str:
        return f"{self.pledge} — {self.year}"

    @property
    def disbursed_pending(self) -> bool:
        """Money disbursed is stated but awaits an exchange rate to be counted in US dollars."""
        return self.disbursed_amount is not None and self.disbursed_usd is None

    @property
    def delivered_fraction(self):
        """The share delivered (typed as 0–100 %) as a fraction of the pledge, the unit the public
        figures' shares are written in; None when the report does not say."""
        return None if self.share_delivered is None else self.share_delivered / 100


class ProgressReportTarget(models.Model):
    """The actual value reached, to the period end, on one quantified target of the pledge."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="target_actuals")
    target = models.ForeignKey("pledges.PledgeTarget", on_delete=models.PROTECT, related_name="actuals")
    actual_value = models.DecimalField(_("actual value"), max_digits=20, decimal_places=4)

    history = HistoricalRecords(table_name="pledges_historicalprogressreporttarget")

    class Meta:
        db_table = "pledges_progressreporttarget"
        ordering = ["report", "target__order", "target_id"]
        verbose_name = _("target actual")
        constraints = [models.UniqueConstraint(fields=["report", "target"], name="one_actual_per_report_target")]

    def __str__(self) -> str:
        return f"{self.target.description}: {self.actual_value}"


class Evidence(models.Model):
    """A link or a file backing a progress report."""

    class Kind(models.TextChoices):
        LINK = "link", _("Link")
        FILE = "file", _("File")

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("link"), max_length=1000, blank=True)
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/", blank=True, max_length=300)
    size = models.PositiveIntegerField(_("size (bytes)"), null=True, blank=True, editable=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    added_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(table_name="pledges_historicalevidence")

    class Meta:
        db_table = "pledges_evidence"
        ordering = ["report", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="link") & ~Q(url="")) | (Q(kind="file") & ~Q(file="")),
                name="evidence_has_its_link_or_file",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ProgressReportTransition(models.Model):
    """One decision on a report: who moved it from which state to which, when, and why."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(max_length=20, choices=ReportAction.choices)
    from_status = models.CharField(max_length=20, choices=ReportStatus.choices)
    to_status = models.CharField(max_length=20, choices=ReportStatus.choices)
    verification_level = models.CharField(max_length=20, choices=VerificationLevel.choices, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()
    comment = models.TextField(blank=True)
    content = models.JSONField(
        null=True, blank=True, editable=False,
        help_text="On a submission: the report's content as submitted, to show reviewers what changed since.",
    )

    class Meta:
        db_table = "pledges_progressreporttransition"
        ordering = ["report", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"
