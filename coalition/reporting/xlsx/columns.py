"""The sheets and columns of the offline-reporting template, shared by its writer and reader."""

import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy
from openpyxl.styles import PatternFill

KIND = "progress_reports_xlsx"
REPORTS, TARGETS, INSTRUCTIONS = "Reports", "Targets", "Instructions"


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # fixed English header: the reader matches on it whatever the site's language (and case)
    width: int
    informational: bool
    help: Any


REPORT_COLUMNS = (
    Column("pledge", "Pledge ID", 10, True, gettext_lazy("The pledge's number on the platform. Do not change it.")),
    Column("title", "Pledge title", 45, True, gettext_lazy("For information; changes here are ignored.")),
    Column("period_end", "Period end", 14, False,
           gettext_lazy("Last day of the period the report covers, as a date (YYYY-MM-DD).")),
    Column("implementation_status", "Implementation status", 22, False,
           gettext_lazy("One of the codes in the list, or its label in any of the platform's languages.")),
    Column("share_delivered", "Share delivered (%)", 18, False,
           gettext_lazy("A percentage from 0 to 100, typed as a number (40) or in a cell formatted as a "
                        "percentage: your estimate of the share of the pledge delivered.")),
    Column("disbursed_amount", "Money disbursed", 18, False,
           gettext_lazy("A number, 0 or more. Give it with its currency and year, or leave all three empty.")),
    Column("disbursed_currency", "Currency", 10, False, gettext_lazy("The ISO 4217 code, e.g. USD, EUR.")),
    Column("disbursed_year", "Year of the amount", 16, False, gettext_lazy("The year the amount is expressed in.")),
    Column("narrative", "What was done", 60, False, gettext_lazy("Text: what was delivered so far.")),
    Column("challenges", "Challenges", 45, False, gettext_lazy("Text: what got in the way (optional).")),
)
TARGET_COLUMNS = (
    Column("pledge", "Pledge ID", 10, True, gettext_lazy("The pledge the target belongs to. Do not change it.")),
    Column("target", "Target ID", 10, True, gettext_lazy("The target's number on the platform. Do not change it.")),
    Column("description", "Description", 45, True, gettext_lazy("For information.")),
    Column("unit", "Unit", 18, True, gettext_lazy("For information.")),
    Column("baseline", "Baseline", 14, True, gettext_lazy("For information.")),
    Column("target_value", "Target value", 14, True, gettext_lazy("For information.")),
    Column("actual_value", "Actual value", 14, False,
           gettext_lazy("A number, 0 or more: the value reached by the period end. Empty: not reported.")),
)
REQUIRED = {REPORTS: REPORT_COLUMNS, TARGETS: TARGET_COLUMNS}
# Columns shown for information and never read: whatever a cell holds there (even text that looks
# like a formula, such as a pledge titled "=…") changes nothing.
IGNORED = frozenset({"title", "description", "unit", "baseline", "target_value"})
# Columns the pledger fills in; a Reports row where all of them (and its actuals) are empty is skipped.
CONTENT_KEYS = ("implementation_status", "share_delivered", "disbursed_amount", "disbursed_currency",
                "disbursed_year", "narrative", "challenges")

INFO_FILL = PatternFill("solid", fgColor="E7E6E6")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
# Text a spreadsheet would run as a formula: =…, @…, or +/- followed by a function call or cell
# reference. A plain negative number typed as a number is a number cell and never matches.
FORMULA = re.compile(r"^[\s]*(?:[=@]|[+\-]\s*(?:[=@]|[A-Za-z_][\w.]*\s*\(|\$?[A-Za-z]{1,3}\$?\d+))")
