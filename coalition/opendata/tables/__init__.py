"""Every public table, by name: the one column dictionary the files, the dictionary page and the
data package are written from (`columns` says what a table and a column hold)."""

from coalition.opendata.tables.columns import Column, ForeignKey, Scope, Table
from coalition.opendata.tables.pledges import PLEDGE_TABLES
from coalition.opendata.tables.reference import INDICATOR_TABLES, REFERENCE_TABLES

TABLES: dict[str, Table] = {table.name: table for table in (*PLEDGE_TABLES, *REFERENCE_TABLES, *INDICATOR_TABLES)}

__all__ = ["TABLES", "Column", "ForeignKey", "Scope", "Table"]
