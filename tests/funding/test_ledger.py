"""The ledger is append-only: a posting cannot be recorded twice, corrections are reversals and
an entry is reversed at most once; money is whole pence at rest."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from funding.balances import fund_position
from funding.ledger import entry_reverse, ledger_post, new_key
from funding.models import Kind, LedgerEntry
from funding.services import income_record

D = Decimal


def _income(fund, officer, key, amount="500"):
    return income_record(
        fund=fund,
        source="external_bid",
        amount=D(amount),
        description="Bid",
        by=officer,
        idempotency_key=key,
    )


def test_posting_the_same_form_twice_records_one_entry(fund, officer):
    before = LedgerEntry.objects.count()
    first = _income(fund, officer, "form-1")
    second = _income(fund, officer, "form-1")
    assert first.pk == second.pk
    assert LedgerEntry.objects.count() == before + 1


def test_the_database_refuses_a_second_entry_with_the_same_key(fund, officer):
    _income(fund, officer, "form-2")
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry(fund=fund, kind=Kind.INCOME, amount=D(1), idempotency_key="form-2").save()


def test_a_reversal_negates_the_entry_and_restores_the_balance(fund, officer):
    before = fund_position(fund=fund).budget
    entry = _income(fund, officer, new_key(), "1234.56")
    reversal = entry_reverse(entry=entry, reason="Bid withdrawn", by=officer)
    assert reversal.amount == D("-1234.56")
    assert reversal.reverses_id == entry.pk
    assert fund_position(fund=fund).budget == before


def test_an_entry_is_reversed_at_most_once(fund, officer):
    entry = _income(fund, officer, new_key())
    entry_reverse(entry=entry, reason="Wrong", by=officer, idempotency_key="r-1")
    with pytest.raises(ValidationError, match="already been reversed"):
        entry_reverse(entry=entry, reason="Wrong again", by=officer, idempotency_key="r-2")


def test_the_database_refuses_a_second_reversal_of_one_entry(fund, officer):
    entry = _income(fund, officer, new_key())
    entry_reverse(entry=entry, reason="Wrong", by=officer)
    with pytest.raises(IntegrityError), transaction.atomic():
        ledger_post(
            idempotency_key="sneaky",
            fund=fund,
            kind=Kind.INCOME,
            amount=-entry.amount,
            reason="Again",
            reverses=entry,
        )


def test_retrying_a_reversal_gives_back_the_first(fund, officer):
    entry = _income(fund, officer, new_key())
    first = entry_reverse(entry=entry, reason="Wrong", by=officer, idempotency_key="r-3")
    again = entry_reverse(entry=entry, reason="Wrong", by=officer, idempotency_key="r-3")
    assert first.pk == again.pk


def test_a_reversal_cannot_itself_be_reversed(fund, officer):
    reversal = entry_reverse(entry=_income(fund, officer, new_key()), reason="x", by=officer)
    with pytest.raises(ValidationError, match="cannot itself be reversed"):
        entry_reverse(entry=reversal, reason="y", by=officer)


def test_allocations_cannot_be_reversed_by_hand(fund, officer):
    allocation = LedgerEntry.objects.filter(kind=Kind.ALLOCATION).first()
    with pytest.raises(ValidationError, match="cannot be reversed by hand"):
        entry_reverse(entry=allocation, reason="No", by=officer)


def test_an_entry_cannot_be_edited_or_deleted(fund, officer):
    entry = _income(fund, officer, new_key())
    entry.amount = D(1)
    with pytest.raises(ValidationError, match="cannot be changed"):
        entry.save()
    with pytest.raises(ValidationError, match="cannot be changed"):
        entry.delete()


def test_an_adjustment_needs_a_reason_in_the_database(fund):
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry(fund=fund, kind=Kind.ADJUSTMENT, amount=D(1), idempotency_key="a").save()


def test_money_is_whole_pence_at_rest(fund, officer):
    entry = _income(fund, officer, new_key(), "1234.56")
    assert LedgerEntry._meta.get_field("amount").get_internal_type() == "BigIntegerField"
    with connection.cursor() as cursor:
        cursor.execute("SELECT amount FROM funding_ledgerentry WHERE id = %s", [entry.pk])
        (stored,) = cursor.fetchone()
    assert stored == 123456
    assert isinstance(stored, int)
    entry = LedgerEntry.objects.get(pk=entry.pk)
    assert entry.amount == D("1234.56") and isinstance(entry.amount, Decimal)


def test_a_float_is_refused_as_money(fund, officer):
    with pytest.raises(ValidationError, match="cannot be a float"):
        income_record(
            fund=fund,
            source="other",
            amount=12.5,
            description="",
            by=officer,
            idempotency_key=new_key(),
        )
