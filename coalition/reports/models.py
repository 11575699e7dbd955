"""Report builds: a report of one kind, language and as-of date, built in the background, its
outputs frozen, and published to the public archive by the secretariat.

The outputs (PDF, data JSON, HTML) are kept in the database (`ReportOutput`), not as files under
MEDIA_ROOT: a build writes them and its "done" status in one transaction, so a failed or
interrupted build leaves nothing half-written; they travel with the database in backups and
replicas (every web process serves them, nothing to share between machines); and a report is a
few hundred kilobytes to a few megabytes, which a database holds well. Each output carries its
SHA-256 and size, printed beside its download link so a reader can check a copy.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BuildStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Building")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ReportBuild(models.Model):
    """One build of a report. Frozen once done: the services only publish or withdraw it."""

    kind = models.CharField(max_length=30, help_text="A key of reports.builders.KINDS")
    language = models.CharField(max_length=10)
    as_of = models.DateField()
    params = models.JSONField(default=dict, blank=True)
    title = models.CharField(max_length=300, blank=True, help_text="The built report's title")
    is_demo = models.BooleanField(default=False, help_text="Built from a registry holding demo pledges")
    status = models.CharField(max_length=10, choices=BuildStatus.choices, default=BuildStatus.QUEUED, db_index=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    progress_step = models.CharField(max_length=300, blank=True)
    error = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True, help_text=(
        "The background task that will run or runs the build; blank when a command runs it"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.language} {self.as_of} #{self.pk}"

    @property
    def kind_label(self) -> str:
        from coalition.reports.builders import KINDS

        kind = KINDS.get(self.kind)
        return str(kind.label) if kind else self.kind

    @property
    def is_published(self) -> bool:
        return self.published_at is not None and self.withdrawn_at is None

    @property
    def is_finished(self) -> bool:
        return self.status in (BuildStatus.DONE, BuildStatus.FAILED)

    @property
    def progress_share(self) -> float:
        """How far the build has got, between 0 and 1."""
        if self.status == BuildStatus.DONE:
            return 1.0
        return self.progress_done / self.progress_total if self.progress_total else 0.0


class OutputFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    JSON = "json", "JSON"
    HTML = "html", "HTML"


class ReportOutput(models.Model):
    """One rendering of a build, as bytes, with its SHA-256 and size."""

    build = models.ForeignKey(ReportBuild, on_delete=models.CASCADE, related_name="outputs")
    format = models.CharField(max_length=10, choices=OutputFormat.choices)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["build", "format"], name="one_output_per_format")]

    def __str__(self) -> str:
        return f"{self.build_id} {self.format}"
