"""History records (django-simple-history) for a set-based write, written by the database.

``QuerySet.update`` changes many rows in one statement but sends no signals, so it leaves no
history. ``history_record_rows`` then copies the rows as they now stand into the model's
historical table with one ``INSERT … SELECT``: every tracked field, and who, when and why, as
``save()`` would have recorded them one row at a time. The rows never pass through Python, so
22,000 results with their explanations take a fraction of a second (``bulk_update_with_history``
reads, updates and writes each one).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import connections, models
from django.db.models import QuerySet, Value
from simple_history.utils import get_history_model_for_model

UPDATED = "~"


def history_record_rows(
    queryset: QuerySet, *, user, date: datetime.datetime, reason: str, kind: str = UPDATED
) -> int:
    """Record the current state of every row of ``queryset`` in its model's history, as changed
    by ``user`` at ``date`` for ``reason``; returns how many records were written."""
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return 0
    history = get_history_model_for_model(queryset.model)
    tracked = [field.attname for field in history.tracked_fields]
    extra = {
        "history_date": Value(date, output_field=models.DateTimeField()),
        "history_user_id": Value(getattr(user, "pk", None), output_field=models.IntegerField()),
        "history_change_reason": Value(reason, output_field=models.CharField()),
        "history_type": Value(kind, output_field=models.CharField()),
    }
    if hasattr(history, "history_relation"):
        extra["history_relation_id"] = models.F("pk")
    aliases = {f"_history_{name}": expression for name, expression in extra.items()}
    rows = queryset.order_by().annotate(**aliases).values_list(*tracked, *aliases)
    select, params = rows.query.sql_with_params()
    connection = connections[queryset.db]
    columns = ", ".join(
        connection.ops.quote_name(history._meta.get_field(name).column)
        for name in [*tracked, *extra]
    )
    table = connection.ops.quote_name(history._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {select}", params)
        return cursor.rowcount
