"""Offline progress reporting: an XLSX template per entity (writer) and its upload (reader).

The writer lists the entity's published pledges and their quantified targets, prefilled with
the current draft or returned report. An upload is stored and imported by a background task
(`reporting.tasks.import_progress_reports`): the reader checks the workbook's size and shape
before parsing it (`common.workbooks`), validates it cell by cell, and hands each row to
`report_create` / `report_update`, whose `report_clean` holds every content rule. The upload is
all-or-nothing and recorded as an `ImportRun` (kind `progress_reports_xlsx`) with errors as
[{sheet, row, column, message}].
"""

from coalition.reporting.xlsx.reader import (
    KIND,
    report_upload,
    report_upload_entities,
    report_upload_run,
    report_upload_run_for,
    report_upload_written,
)
from coalition.reporting.xlsx.writer import ReportTemplateWriter, report_template_write

__all__ = ["KIND", "ReportTemplateWriter", "report_template_write", "report_upload", "report_upload_entities",
           "report_upload_run", "report_upload_run_for", "report_upload_written"]
