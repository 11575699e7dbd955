"""Shared set-up of the offline-reporting tests: published pledges and workbooks built in memory."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from coalition.pledges.services import pledge_create, pledge_publish, pledge_submit
from coalition.reference.models import ImportRun
from coalition.reporting.models import ProgressReport, ProgressReportTarget
from coalition.reporting.xlsx import report_template_write

YEAR = timezone.localdate().year
PERIOD_END = datetime.date(YEAR - 1, 12, 31)  # a period that is over: reports cover those


def publish(actor, reviewer, data):
    pledge = pledge_create(actor=actor, data=data)
    pledge_submit(actor=actor, pledge=pledge)
    return pledge_publish(actor=reviewer, pledge=pledge)


@pytest.fixture(autouse=True)
def uploads_kept_in_tmp(settings, tmp_path):
    """Uploads are stored under MEDIA_ROOT until their task has read them: a test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_uploads(media) -> list:
    folder = media / "imports" / "reports"
    return sorted(folder.iterdir()) if folder.exists() else []


@pytest.fixture
def foreign_pledge(pledger_b, reviewer, pledge_data, entity_b):
    return publish(pledger_b, reviewer, {**pledge_data, "lead_entity": entity_b, "title": "Connect Telecom hotspots"})


def template(entity) -> "Workbook":  # noqa: F821
    stream = io.BytesIO()
    report_template_write(entity=entity, stream=stream, period_end=PERIOD_END)
    stream.seek(0)
    return load_workbook(stream)


def filled(entity, **overrides):
    """The entity's template with its first report row and first target filled in."""
    book = template(entity)
    reports, targets = book["Reports"], book["Targets"]
    values = {"D": "on_track", "E": 40, "F": 250000, "G": "EUR", "H": 2022,
              "I": "120 schools connected in three counties.", "J": "Rainy season delayed works."}
    values.update({key: value for key, value in overrides.items() if len(key) == 1})
    for column, value in values.items():
        reports[f"{column}2"] = value
    targets["G2"] = overrides.get("actual", 120)
    return book


def upload(book, name="reports.xlsx") -> SimpleUploadedFile:
    stream = io.BytesIO()
    book.save(stream)
    return SimpleUploadedFile(name, stream.getvalue(),
                              content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def saved() -> tuple[int, int, int]:
    """What an upload may write: reports, actuals, and their versions."""
    return (ProgressReport.objects.count(), ProgressReportTarget.objects.count(),
            ProgressReport.history.count())


def last_run() -> ImportRun:
    return ImportRun.objects.filter(kind="progress_reports_xlsx").latest("started_at")
