"""Fields every app's API shares (with ``partnership.api``'s other plumbing): ids in the query
string, and the structure's names and lines of text in request bodies."""

from __future__ import annotations

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clusters.services import NAME_MAX_LENGTH, TEXT_MAX_LENGTH, name_validator, text_validator

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


@extend_schema_field({"type": "string", "minLength": 1, "maxLength": NAME_MAX_LENGTH})
class StructureNameField(serializers.CharField):
    """An alliance's or cluster's name, checked by the structure services' one rule
    (``clean_name``): the API refuses what the pages and the upload refuse, in the same words."""

    def __init__(self, *, what: str, **kwargs):
        blank = f"Enter the {what}'s name"
        kwargs["error_messages"] = {"required": blank, "blank": blank}
        super().__init__(validators=[name_validator(what)], **kwargs)


@extend_schema_field({"type": "string", "maxLength": TEXT_MAX_LENGTH})
class StructureTextField(serializers.CharField):
    """An optional line of text on a cluster, checked by the services' ``clean_text``."""

    def __init__(self, *, label: str, **kwargs):
        super().__init__(validators=[text_validator(label)], allow_blank=True, **kwargs)
