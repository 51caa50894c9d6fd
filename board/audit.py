"""The audit trail: who changed what, and when, on every kind of record an app registered
(``kernel.audit``): schools, the structure, roles, rule sets…

It reads django-simple-history's historical tables. A page costs a fixed number of queries
whatever its length: the newest rows of each table (with the person who made the change), one
query per table for the previous versions of the rows on the page, and one per related model
for the names behind changed foreign keys.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice

from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils.formats import date_format
from django.utils.text import capfirst

from kernel.audit import AuditKind, audit_kind_for_model, audit_kinds

PAGE_SIZE = 50
MAX_PAGES = 50
ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}
NOBODY = "System"


@dataclass
class FieldChange:
    field: str
    old: str
    new: str


@dataclass
class AuditEntry:
    when: datetime
    who: object | None  # the user, or None for the system and imports
    who_label: str
    reason: str
    kind: str
    kind_label: str
    action: str
    object_label: str
    object_url: str | None
    changes: list[FieldChange] = field(default_factory=list)


@dataclass
class AuditPage:
    entries: list[AuditEntry]
    number: int
    has_previous: bool
    has_next: bool
    at_limit: bool  # the last page we show: older changes need a narrower filter


def _newest(kind: AuditKind, *, person, limit: int) -> list:
    rows = kind.model.history.select_related("history_user", *kind.related)
    if person == "system":
        rows = rows.filter(history_user__isnull=True)
    elif person is not None:
        rows = rows.filter(history_user=person)
    return list(rows.order_by("-history_date", "-history_id")[:limit])


def _previous_versions(history_model, records: list) -> dict[int, object]:
    """The version before each record, for all records of one table in one query."""
    earlier = (
        history_model.objects.filter(id=OuterRef("id"))
        .filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
        )
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    wanted = (
        history_model.objects.filter(history_id__in=[r.history_id for r in records])
        .annotate(previous_id=Subquery(earlier))
        .values("previous_id")
    )
    by_object = defaultdict(list)
    for version in history_model.objects.filter(history_id__in=wanted):
        by_object[version.id].append(version)
    previous = {}
    for record in records:
        # Every fetched version is the immediate predecessor of some record, so the latest one
        # before this record is this record's own predecessor.
        candidates = [
            v
            for v in by_object[record.id]
            if (v.history_date, v.history_id) < (record.history_date, record.history_id)
        ]
        if candidates:
            previous[record.history_id] = max(
                candidates, key=lambda v: (v.history_date, v.history_id)
            )
    return previous


def _name_of(obj) -> str:
    kind = audit_kind_for_model(type(obj))
    return kind.name(obj) if kind else str(obj)


def _related_names(pending: dict[type, set]) -> dict[tuple[type, object], str]:
    names = {}
    for model, pks in pending.items():
        kind = audit_kind_for_model(model)
        queryset = model._base_manager.select_related(*(kind.name_joins if kind else ()))
        for pk, obj in queryset.in_bulk(list(pks)).items():
            names[(model, pk)] = _name_of(obj)
    return names


def _display(model_field, value, names: dict) -> str:
    if value in (None, "", []):
        return "–"
    if isinstance(model_field, models.ForeignKey):
        related = model_field.related_model
        return names.get((related, value), f"{related._meta.verbose_name} {value} (deleted)")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return date_format(value, "DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value)
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def _field_changes(kind: AuditKind, deltas: dict[int, list], names: dict, record) -> list:
    changes = []
    for change in deltas.get((kind.model, record.history_id), []):
        model_field = kind.model._meta.get_field(change.field)
        changes.append(
            FieldChange(
                field=capfirst(model_field.verbose_name),
                old=_display(model_field, change.old, names),
                new=_display(model_field, change.new, names),
            )
        )
    return changes


def _object_url(kind: AuditKind, record) -> str | None:
    if record.history_type == "-" or kind.entry_url is None:
        return None
    return kind.entry_url(record)


def _object_label(kind: AuditKind, record) -> str:
    return kind.entry_label(record) if kind.entry_label else record.name


def _deltas_and_names(page: list[tuple[str, object]]) -> tuple[dict, dict]:
    """Diff each changed record against its previous version; name the foreign keys."""
    by_table = defaultdict(list)
    for key, record in page:
        if record.history_type == "~":
            by_table[key].append(record)
    deltas: dict[tuple[type, int], list] = {}
    pending: dict[type, set] = defaultdict(set)
    for key, records in by_table.items():
        model = audit_kinds()[key].model
        previous = _previous_versions(model.history.model, records)
        for record in records:
            if record.history_id not in previous:
                continue
            delta = record.diff_against(previous[record.history_id])
            deltas[(model, record.history_id)] = delta.changes
            for change in delta.changes:
                model_field = model._meta.get_field(change.field)
                if isinstance(model_field, models.ForeignKey):
                    pending[model_field.related_model].update(
                        v for v in (change.old, change.new) if v is not None
                    )
    return deltas, _related_names(pending)


def _entry(key: str, record, deltas: dict, names: dict) -> AuditEntry:
    kind = audit_kinds()[key]
    user = record.history_user
    reason = record.history_change_reason or ""
    return AuditEntry(
        when=record.history_date,
        who=user,
        who_label=str(user) if user else (reason or NOBODY),
        reason=reason,
        kind=key,
        kind_label=kind.model._meta.verbose_name.capitalize(),
        action=ACTIONS.get(record.history_type, record.history_type),
        object_label=_object_label(kind, record),
        object_url=_object_url(kind, record),
        changes=_field_changes(kind, deltas, names, record),
    )


def audit_trail(*, kind: str | None = None, person=None, page: int = 1) -> AuditPage:
    """One page of changes, newest first, optionally of one kind of record or by one person.

    ``person`` is a user, ``"system"`` for changes made by no one signed in (imports, jobs), or
    None for everyone.
    """
    page = max(1, min(page, MAX_PAGES))
    kinds = audit_kinds()
    keys = [kind] if kind in kinds else list(kinds)
    limit = page * PAGE_SIZE + 1
    # Each table's newest rows, merged: the first `limit` of the merge are exactly the newest
    # `limit` changes overall.
    streams = [
        [(key, record) for record in _newest(kinds[key], person=person, limit=limit)]
        for key in keys
    ]
    merged = heapq.merge(
        *streams, key=lambda item: (item[1].history_date, item[1].history_id), reverse=True
    )
    newest = list(islice(merged, limit))
    window = newest[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    deltas, names = _deltas_and_names(window)
    return AuditPage(
        entries=[_entry(key, record, deltas, names) for key, record in window],
        number=page,
        has_previous=page > 1,
        has_next=len(newest) > page * PAGE_SIZE and page < MAX_PAGES,
        at_limit=page == MAX_PAGES and len(newest) > page * PAGE_SIZE,
    )
