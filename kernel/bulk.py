"""Reading and writing many rows at once on either database: PostgreSQL takes a whole column as
one array parameter; SQLite (``make run``) limits a statement's parameters, so it goes in chunks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

SQLITE_CHUNK = 900  # below SQLite's default limit of 999 parameters per statement

# PostgreSQL array types of the values a lookup may be given.
_ARRAY_TYPES = {int: "bigint[]", str: "text[]"}


def set_based() -> bool:
    """Whether whole columns go to the database in one statement (PostgreSQL), rather than
    through Django's ``bulk_create``/``bulk_update`` in chunks (SQLite)."""
    return connection.vendor == "postgresql"


def values_where_in(
    queryset: QuerySet, field: str, wanted: Sequence, *columns: str
) -> Iterable[tuple]:
    """``queryset.filter(<field>__in=wanted).values_list(*columns)``, for any number of values."""
    if not wanted:
        return []
    if set_based():
        array = _ARRAY_TYPES[type(wanted[0])]
        values = RawSQL(f"SELECT unnest(%s::{array})", [list(wanted)])
        return list(queryset.filter(**{f"{field}__in": values}).values_list(*columns))
    found = []
    for start in range(0, len(wanted), SQLITE_CHUNK):
        chunk = wanted[start : start + SQLITE_CHUNK]
        found += queryset.filter(**{f"{field}__in": chunk}).values_list(*columns)
    return found


# A write of this many rows or more has its table's foreign keys checked in one pass (below).
KEYS_CHECKED_TOGETHER_FROM = 50_000
# ... when it is also at least this share of the rows already stored: checking a key row by row
# costs about 3 µs per row written, checking it in one pass about a tenth of that per row
# stored (measured on 660,000 values written into 400,000; bench/README.md).
KEYS_CHECKED_TOGETHER_SHARE = 1 / 8


def _foreign_keys(table: str) -> list[tuple[str, str]]:
    """The table's foreign keys: each one's name and definition."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
            [table],
        )
        return cursor.fetchall()


def _keys_checked_together(table: str, rows: int) -> bool:
    if not set_based() or rows < KEYS_CHECKED_TOGETHER_FROM:
        return False
    with connection.cursor() as cursor:  # the planner's estimate: no count needed
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
        stored = max(cursor.fetchone()[0], 0)
    return rows >= stored * KEYS_CHECKED_TOGETHER_SHARE


@contextmanager
def foreign_keys_checked_together(model, *, rows: int):
    """Around a large write of ``rows`` new rows of ``model`` on PostgreSQL: its foreign keys
    are dropped, then added again in the same transaction, which checks every row of the table
    against each key in one pass, instead of each new row separately at commit.

    The keys stay the same constraints, fully checked: any row that breaks one fails the
    transaction. Altering the table locks it against reading until the transaction ends, and
    the tables the keys refer to against writing, so only large writes do it."""
    table = model._meta.db_table
    if not _keys_checked_together(table, rows):
        yield
        return
    keys = _foreign_keys(table)
    if not keys:
        yield
        return
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        # PostgreSQL alters no table with checks still queued: make them now (the few rows
        # written before, such as a release), then defer again, as Django makes its keys.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        drops = ", ".join(f"DROP CONSTRAINT {quote(name)}" for name, _ in keys)
        cursor.execute(f"ALTER TABLE {quote(table)} {drops}")
        yield
        adds = ", ".join(f"ADD CONSTRAINT {quote(name)} {definition}" for name, definition in keys)
        cursor.execute(f"ALTER TABLE {quote(table)} {adds}")
