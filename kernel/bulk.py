"""Reading and writing many rows at once on either database: PostgreSQL takes a whole column as
one array parameter; SQLite (``make run``) limits a statement's parameters, so it goes in chunks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
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


# A write of this many rows or more has its table's foreign keys checked in one pass (below):
# checking a key row by row costs about 3 µs per row written.
KEYS_CHECKED_TOGETHER_FROM = 50_000
NOT_VALID = " NOT VALID"


@dataclass(frozen=True)
class ForeignKey:
    name: str
    definition: str  # as PostgreSQL gives it, without NOT VALID
    column: str
    referenced_table: str  # as regclass writes it: quoted where SQL needs it
    referenced_column: str


def _foreign_keys(table: str) -> list[ForeignKey]:
    """The table's foreign keys (each of one column)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.conname, pg_get_constraintdef(c.oid), a.attname, "
            "c.confrelid::regclass::text, r.attname FROM pg_constraint AS c "
            "JOIN pg_attribute AS a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
            "JOIN pg_attribute AS r ON r.attrelid = c.confrelid AND r.attnum = c.confkey[1] "
            "WHERE c.conrelid = %s::regclass AND c.contype = 'f' ORDER BY c.conname",
            [table],
        )
        return [
            ForeignKey(name, definition.removesuffix(NOT_VALID), column, str(target), key)
            for name, definition, column, target, key in cursor.fetchall()
        ]


def _keys_checked_together(rows: int) -> bool:
    return set_based() and rows >= KEYS_CHECKED_TOGETHER_FROM


def _new_rows_check(table: str, pk: str, after: int, keys: list[ForeignKey]) -> None:
    """Raise IntegrityError, as PostgreSQL would, if a row written after ``after`` (its key
    above it) refers to a row that does not exist: one pass over the new rows only."""
    quote = connection.ops.quote_name
    missing = ", ".join(
        f"min(t.{quote(key.column)}) FILTER (WHERE t.{quote(key.column)} IS NOT NULL "
        f"AND k{number}.{quote(key.referenced_column)} IS NULL)"
        for number, key in enumerate(keys)
    )
    joins = " ".join(
        f"LEFT JOIN ONLY {key.referenced_table} AS k{number} "
        f"ON k{number}.{quote(key.referenced_column)} = t.{quote(key.column)}"
        for number, key in enumerate(keys)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {missing} FROM ONLY {quote(table)} AS t {joins} WHERE t.{quote(pk)} > %s",
            [after],
        )
        found = cursor.fetchone()
    for key, value in zip(keys, found, strict=True):
        if value is not None:
            raise IntegrityError(
                f'insert or update on table "{table}" violates foreign key constraint '
                f'"{key.name}": key ({key.column})=({value}) is not present in table '
                f'"{key.referenced_table}"'
            )


@contextmanager
def foreign_keys_checked_together(model, *, rows: int):
    """Around a large write of ``rows`` new rows of ``model`` on PostgreSQL: its foreign keys
    are dropped, the new rows are checked against them in one pass when the write is done, and
    the keys are added again ``NOT VALID`` (PostgreSQL checks no stored row): instead of each
    new row being checked separately at commit (about 3 µs a key a row).

    A row that refers to nothing fails the transaction, as the key would fail it, and the keys
    enforce every later write and deletion as before. Only the catalogue's ``convalidated``
    waits for ``foreign_keys_validate`` (every five minutes, under a lock that blocks neither
    reading nor writing). The rows written inside are those whose primary key is above the
    largest before (the table's identity counts up; nothing else writes to the table while its
    keys are altered). Altering the table locks it against reading until the transaction ends,
    and the tables the keys refer to against writing, so only large writes do it."""
    table = model._meta.db_table
    keys = _foreign_keys(table) if _keys_checked_together(rows) else []
    if not keys:
        yield
        return
    quote = connection.ops.quote_name
    pk = model._meta.pk.column
    with transaction.atomic(), connection.cursor() as cursor:
        # PostgreSQL alters no table with checks still queued: make them now (the few rows
        # written before, such as a release), then defer again, as Django makes its keys.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        drops = ", ".join(f"DROP CONSTRAINT {quote(key.name)}" for key in keys)
        cursor.execute(f"ALTER TABLE {quote(table)} {drops}")
        cursor.execute(f"SELECT coalesce(max({quote(pk)}), 0) FROM {quote(table)}")
        (after,) = cursor.fetchone()
        yield
        _new_rows_check(table, pk, after, keys)
        adds = ", ".join(
            f"ADD CONSTRAINT {quote(key.name)} {key.definition}{NOT_VALID}" for key in keys
        )
        cursor.execute(f"ALTER TABLE {quote(table)} {adds}")


def foreign_keys_validate() -> list[str]:
    """Validate every foreign key added ``NOT VALID`` (``foreign_keys_checked_together``):
    PostgreSQL checks each stored row once more and marks the key validated, under a lock that
    lets other sessions read and write the table. The keys validated (none on SQLite)."""
    if not set_based():
        return []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname FROM pg_constraint "  # regclass: quoted
            "WHERE contype = 'f' AND NOT convalidated "
            "AND connamespace = current_schema()::regnamespace ORDER BY 1, 2"
        )
        keys = cursor.fetchall()
        for table, name in keys:
            cursor.execute(f"ALTER TABLE {table} VALIDATE CONSTRAINT {quote(name)}")
    return [name for _, name in keys]
