"""Posting to the ledger: once per idempotency key, reversals once per entry."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from kernel.money import money, pounds

from .models import HAND_REVERSIBLE, LedgerEntry

ALREADY_REVERSED = "This entry has already been reversed"
NOT_A_REVERSAL_TARGET = "A reversal cannot itself be reversed: post the entry again instead"
REVERSAL_NEEDS_REASON = "Enter why this entry is being reversed"
NOT_REVERSIBLE = (
    "{kind} entries follow the support and the board's allocation: they cannot be reversed by hand"
)


def new_key() -> str:
    """A fresh idempotency key, for a form to carry from showing to posting."""
    return uuid.uuid4().hex


def ledger_post(*, idempotency_key: str, **fields) -> tuple[LedgerEntry, bool]:
    """Record an entry unless one with this idempotency key exists: a form submitted twice or
    an API call retried gives back the first entry, not a second. Returns (entry, created)."""
    existing = LedgerEntry.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing, False
    entry = LedgerEntry(idempotency_key=idempotency_key, **fields)
    entry.amount = money(entry.amount)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        # Someone posted the same key in between: theirs is the entry.
        existing = LedgerEntry.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return existing, False
    return entry, True


@transaction.atomic
def entry_reverse(
    *, entry: LedgerEntry, reason: str, by, idempotency_key: str | None = None, checked=True
) -> LedgerEntry:
    """Post the reversal of ``entry`` (its amount negated): refused if it is already reversed;
    ``checked`` limits hand reversals to income, fixed costs, payments and adjustments."""
    locked = LedgerEntry.objects.select_for_update().get(pk=entry.pk)
    if not reason.strip():
        raise ValidationError(REVERSAL_NEEDS_REASON)
    if locked.reverses_id is not None:
        raise ValidationError(NOT_A_REVERSAL_TARGET)
    if checked and locked.kind not in HAND_REVERSIBLE:
        raise ValidationError(NOT_REVERSIBLE.format(kind=locked.get_kind_display()))
    key = idempotency_key or f"reversal:{locked.pk}"
    if LedgerEntry.objects.filter(reverses=locked).exclude(idempotency_key=key).exists():
        raise ValidationError(ALREADY_REVERSED)
    reversal, _created = ledger_post(
        idempotency_key=key,
        fund_id=locked.fund_id,
        kind=locked.kind,
        source=locked.source,
        amount=-locked.amount,
        vat=-locked.vat,
        alliance_id=locked.alliance_id,
        engagement_id=locked.engagement_id,
        school_id=locked.school_id,
        description=f"Reversal of {locked.get_kind_display().lower()} {pounds(locked.amount)}",
        reason=reason.strip(),
        reverses=locked,
        recorded_by=by,
    )
    return reversal


def amount_positive(amount: Decimal, what: str) -> Decimal:
    amount = money(amount)
    if amount <= 0:
        raise ValidationError(f"Enter {what} of more than £0")
    return amount
