"""Database functions on JSON that Django does not have, for both databases the product runs on
(PostgreSQL, and SQLite for ``make run``)."""

from __future__ import annotations

from django.db.models import Func, IntegerField


class JSONArrayLength(Func):
    """The number of elements of a JSON array (NULL when the value is NULL), counted by the
    database, so a page that shows the first rows of a long stored table need not read it all."""

    function = "JSON_ARRAY_LENGTH"  # SQLite's
    output_field = IntegerField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSONB_ARRAY_LENGTH", **extra_context)
