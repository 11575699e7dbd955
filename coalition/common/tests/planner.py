"""Test helpers: which tables the query planner has fresh statistics for (see `common.bulk.tables_analyze`)."""

from django.db import connection


def statistics_forget() -> None:
    """Drop SQLite's statistics, so that any found afterwards were gathered afterwards."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if cursor.fetchone():
                cursor.execute("DELETE FROM sqlite_stat1")


def tables_analyzed_since(since) -> set[str]:
    """The tables analysed since `since` (PostgreSQL), or holding statistics (SQLite, after
    `statistics_forget`)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT relname FROM pg_stat_user_tables WHERE last_analyze >= %s", [since])
        else:
            cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
        return {row[0] for row in cursor.fetchall()}
