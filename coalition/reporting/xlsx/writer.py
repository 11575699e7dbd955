"""The XLSX template a focal point downloads: the entity's published pledges and targets."""

import datetime
from decimal import Decimal
from typing import BinaryIO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from coalition.common.spreadsheet import xlsx_texts_as_text
from coalition.entities.models import Entity
from coalition.pledges.models import Pledge
from coalition.pledges.models import Status as PledgeStatus
from coalition.reporting.models import ImplementationStatus, ProgressReport
from coalition.reporting.selectors import reports_open
from coalition.reporting.validation import REPORT_FIELDS
from coalition.reporting.xlsx.columns import (
    HEADER_FILL,
    INFO_FILL,
    INSTRUCTIONS,
    REPORT_COLUMNS,
    REPORTS,
    REQUIRED,
    TARGET_COLUMNS,
    TARGETS,
)


def published_pledges(entity: Entity):
    return (Pledge.objects.filter(lead_entity=entity, status=PledgeStatus.PUBLISHED)
            .prefetch_related("targets").order_by("pk"))


def editable_report(pledge: Pledge) -> ProgressReport | None:
    return reports_open(pledge).select_related("disbursed_currency").prefetch_related("target_actuals").first()


class ReportTemplateWriter:
    """The XLSX template a focal point fills offline, one per entity."""

    title = gettext_lazy("Progress reports (XLSX template)")
    description = gettext_lazy(
        "Every published pledge of your entity and its quantified targets, prefilled with the current "
        "draft; fill it offline and upload it to create or update draft reports."
    )

    def write(self, *, entity: Entity, stream: BinaryIO, period_end: datetime.date) -> None:
        book = Workbook()
        reports = book.active
        reports.title = REPORTS
        targets = book.create_sheet(TARGETS)
        self._header(reports, REPORT_COLUMNS)
        self._header(targets, TARGET_COLUMNS)
        codes = DataValidation(type="list", formula1='"%s"' % ",".join(ImplementationStatus.values), allow_blank=True)
        codes.error = _("Choose one of the codes in the list.")
        reports.add_data_validation(codes)
        for pledge in published_pledges(entity):
            report = editable_report(pledge)
            actuals = {row.target_id: row.actual_value for row in report.target_actuals.all()} if report else {}
            values = {"pledge": pledge.pk, "title": pledge.title,
                      "period_end": report.period_end if report else period_end}
            if report:
                values.update({name: getattr(report, name) for name in REPORT_FIELDS if name != "period_end"})
                values["disbursed_currency"] = report.disbursed_currency.code if report.disbursed_currency else None
            self._row(reports, REPORT_COLUMNS, values)
            codes.add(f"D{reports.max_row}")
            for target in pledge.targets.all():
                self._row(targets, TARGET_COLUMNS, {
                    "pledge": pledge.pk, "target": target.pk, "description": target.description, "unit": target.unit,
                    "baseline": target.baseline_value, "target_value": target.target_value,
                    "actual_value": actuals.get(target.pk)})
        self._instructions(book.create_sheet(INSTRUCTIONS))
        book.save(stream)

    @staticmethod
    def _header(sheet, columns) -> None:
        sheet.append([column.header for column in columns])
        for index, column in enumerate(columns, start=1):
            cell = sheet.cell(row=1, column=index)
            cell.font, cell.fill = Font(bold=True, color="FFFFFF"), HEADER_FILL
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        sheet.freeze_panes = "A2"

    @staticmethod
    def _row(sheet, columns, values: dict) -> None:
        sheet.append([_cell_value(values.get(column.key)) for column in columns])
        row = sheet.max_row
        xlsx_texts_as_text(sheet[row])
        for index, column in enumerate(columns, start=1):
            cell = sheet.cell(row=row, column=index)
            if column.informational:
                cell.fill, cell.font = INFO_FILL, Font(italic=True, color="555555")
            if column.key == "period_end":
                cell.number_format = "yyyy-mm-dd"
            if column.key in ("narrative", "challenges", "title", "description"):
                cell.alignment = Alignment(wrap_text=True, vertical="top")

    def _instructions(self, sheet) -> None:
        sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 28, 100
        sheet.append([str(self.title)])
        sheet["A1"].font = Font(bold=True, size=14)
        for line in (
            self.description,
            _("Grey columns are for information and are not read. Do not add, remove or rename columns."),
            _("Implementation status codes: %(codes)s.") % {"codes": ", ".join(
                f"{code} ({label})" for code, label in ImplementationStatus.choices)},
            _("Upload the whole file: if any cell is wrong nothing is saved and every error is listed with "
              "its sheet, row and column. Formulas are refused: type values."),
            _("Files and evidence links are added on the web, as is submitting each report for review."),
        ):
            sheet.append(["", str(line)])
        sheet.append([])
        for name, columns in REQUIRED.items():
            sheet.append([_("Sheet “%(sheet)s”") % {"sheet": name}])
            sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
            for column in columns:
                sheet.append([column.header, str(column.help)])
        for row in sheet.iter_rows(min_col=2, max_col=2):
            row[0].alignment = Alignment(wrap_text=True, vertical="top")


def _cell_value(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def report_template_write(*, entity: Entity, stream: BinaryIO, period_end: datetime.date) -> None:
    """Write the entity's XLSX template to `stream` (binary); reads only."""
    ReportTemplateWriter().write(entity=entity, stream=stream, period_end=period_end)
