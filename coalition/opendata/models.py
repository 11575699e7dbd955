"""Builds of the full open-data dumps and the files they wrote.

A build is asked for (queued) after changes, runs in the background, and on success records
each file it wrote with its size and SHA-256; the files a page lists and serves are the latest
of each name and language (`DumpFile` keeps only those: a build replaces the rows and files of
the names it wrote). Written only by `services`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DumpBuild(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    reason = models.CharField(_("reason"), max_length=40, help_text=_("What asked for it: changes, command, button."))
    datasets = models.JSONField(_("datasets"), default=list, blank=True, help_text=_("Empty: every dataset."))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    due_at = models.DateTimeField(_("due at"), help_text=_("The earliest moment it runs (writes close together "
                                                           "build once)."))
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    as_of = models.DateTimeField(_("data as of"), null=True, blank=True, help_text=_("The moment the files describe."))
    error = models.TextField(_("error"), blank=True)
    task_id = models.CharField(_("task"), max_length=64, blank=True, help_text=_(
        "The background task running the build; blank when a command runs it."))

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("open-data build")
        constraints = [
            # Writes that commit while a build is queued join it rather than queue another.
            models.UniqueConstraint(fields=["status"], condition=Q(status="queued"), name="one_queued_dump_build"),
        ]

    def __str__(self) -> str:
        return f"open-data build {self.pk} ({self.status})"


class DumpFile(models.Model):
    """A file of the current dumps: one per name and language."""

    build = models.ForeignKey(DumpBuild, on_delete=models.PROTECT, related_name="files")
    language = models.CharField(_("language"), max_length=10)
    name = models.CharField(_("file name"), max_length=120)
    dataset = models.CharField(_("dataset"), max_length=40, blank=True, help_text=_("Blank: the data package."))
    format = models.CharField(_("format"), max_length=40)
    table = models.CharField(_("table"), max_length=60, blank=True)
    media_type = models.CharField(_("media type"), max_length=120)
    path = models.CharField(_("path"), max_length=500, help_text=_("Relative to COALITION_OPENDATA_DIR."))
    size = models.BigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    rows = models.BigIntegerField(_("rows"), null=True, blank=True)

    class Meta:
        ordering = ["language", "dataset", "format", "table", "name"]
        verbose_name = _("open-data file")
        constraints = [models.UniqueConstraint(fields=["language", "name"], name="one_dump_file_per_name_language")]

    def __str__(self) -> str:
        return f"{self.language}/{self.name}"

    @property
    def extension(self) -> str:
        """The file's kind as people name it: CSV, XLSX, JSON, ZIP…"""
        return self.name.rsplit(".", 1)[-1].upper()
