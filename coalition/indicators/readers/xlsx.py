"""XLSX workbook: the tidy columns (country, indicator, year, value, …) on the first sheet.

Read with openpyxl in read-only mode, row by row, so a large workbook is never loaded whole.
Row numbers are the sheet's.
"""

from coalition.indicators.readers.base import Table, xlsx_table
from coalition.indicators.readers.tidy import TidyReader


class XlsxReader(TidyReader):
    format = "xlsx"
    title = "Excel workbook (tidy columns on the first sheet)"

    def table(self) -> Table:
        return xlsx_table(self.path)
