"""Fields every app's API shares: ids in the query string, bounded to what the databases hold."""

from __future__ import annotations

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field

# The largest id a PostgreSQL bigint or an SQLite INTEGER holds: a larger one in a query is a
# database error (SQLite's OverflowError, PostgreSQL's "out of range for type bigint").
BIGINT_MAX = 2**63 - 1


class IdField(forms.IntegerField):
    """A whole number from 1 to ``BIGINT_MAX``, with one message naming the field for any other
    value (malformed, fractional, too small or too large)."""

    def __init__(self, *, label: str, **kwargs):
        message = f"{label} must be a whole number from 1 to {BIGINT_MAX}"
        kwargs["error_messages"] = dict.fromkeys(("invalid", "min_value", "max_value"), message)
        super().__init__(label=label, min_value=1, max_value=BIGINT_MAX, **kwargs)


class IdFilter(django_filters.Filter):
    """An id or URN in the query string. An out-of-range or malformed one is a 400 with the
    field's message, never a query the database cannot run; the schema documents the bounds."""

    field_class = IdField

    def __init__(self, *args, label: str, **kwargs):
        super().__init__(*args, label=label, **kwargs)
        schema = {
            "type": "integer",
            "format": "int64",
            "minimum": 1,
            "maximum": BIGINT_MAX,
            "description": label,
        }
        extend_schema_field(schema)(self)
