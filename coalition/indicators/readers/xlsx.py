"""XLSX workbook: the tidy columns (country, indicator, year, value, …) on the first sheet.

Checked before it is parsed (size unpacked, rows, columns: `common.workbooks`), then read with
openpyxl in read-only mode, row by row, so a large workbook is never loaded whole. Every row of
the file is read, whatever the sheet's declared dimension says; formula cells are refused.
Row numbers are the sheet's.
"""

from pathlib import Path

from coalition.indicators.readers.base import Table, xlsx_table
from coalition.indicators.readers.tidy import TidyReader


class XlsxReader(TidyReader):
    format = "xlsx"
    title = "Excel workbook (tidy columns on the first sheet)"

    def table(self) -> Table:
        return xlsx_table(self.path, name=Path(self.name).name)
