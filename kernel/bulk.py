"""Reading and writing many rows at once on either database: PostgreSQL takes a whole column as
one array parameter; SQLite (``make run``) limits a statement's parameters, so it goes in chunks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection
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
