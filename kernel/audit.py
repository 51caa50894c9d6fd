"""The kinds of record the audit trail shows: each app registers its own historical models.

A kind names a model kept by django-simple-history, the foreign keys its entries need
(``related``), how an entry is labelled and linked, and how an object of the model is named when
another record's foreign key points at it. The audit trail page (``board``) reads only this.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class AuditKind:
    key: str
    label: str
    model: type[models.Model]
    order: int
    related: tuple[str, ...] = ()  # foreign keys an entry's label needs
    entry_label: Callable | None = None  # historical record -> text; default str(record.name)
    entry_url: Callable | None = None  # historical record -> URL or None
    name_joins: tuple[str, ...] = ()  # joins needed to name a live object of the model
    name: Callable = str  # live object -> text, when another record points at it


AUDIT_KINDS: dict[str, AuditKind] = {}


def audit_kind_register(key: str, label: str, model: type[models.Model], **options) -> None:
    """Show the model's history in the audit trail as the kind ``key``."""
    AUDIT_KINDS[key] = AuditKind(key, label, model, **options)


def audit_kinds() -> dict[str, AuditKind]:
    """The registered kinds in the order the filter lists them."""
    return dict(sorted(AUDIT_KINDS.items(), key=lambda item: item[1].order))


def audit_kind_for_model(model: type[models.Model]) -> AuditKind | None:
    return next((kind for kind in AUDIT_KINDS.values() if kind.model is model), None)


def url_or_none(name: str, *args) -> str | None:
    """The page's address; None if another app's page is renamed or not installed."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None
