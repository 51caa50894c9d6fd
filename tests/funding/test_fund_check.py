"""``python manage.py fund_check`` recomputes every balance from the ledger and fails, with a
clear report, on any difference."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from brokerage.engagements import engagement_commission, engagement_end
from funding.ledger import new_key
from funding.models import Kind, LedgerEntry
from funding.services import payment_record


@pytest.fixture
def busy_fund(world, fund, engagement, officer):
    engagement_commission(engagement=engagement, by=officer)
    payment_record(
        engagement=engagement,
        net=Decimal("1000"),
        vat=None,
        by=officer,
        idempotency_key=new_key(),
    )
    engagement_end(engagement=engagement, by=officer)
    return fund


def _raw(sql: str, params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_fund_check_passes_when_the_books_balance(busy_fund, capsys):
    call_command("fund_check")
    out = capsys.readouterr().out
    assert "The books balance" in out
    assert "budget £95,500.00" in out


def test_fund_check_fails_when_an_entry_is_changed_in_the_database(busy_fund, capsys):
    payment = LedgerEntry.objects.get(kind=Kind.PAYMENT)
    _raw("UPDATE funding_ledgerentry SET amount = amount + 1 WHERE id = %s", [payment.pk])
    with pytest.raises(CommandError, match="do not balance"):
        call_command("fund_check")
    assert f"Entry {payment.pk} (payment) was changed after it was posted" in (
        capsys.readouterr().err
    )


def test_fund_check_fails_when_a_stored_allocation_differs_from_its_entries(
    busy_fund, world, capsys
):
    _raw(
        "UPDATE funding_allocation SET amount = 9999900 WHERE alliance_id = %s",
        [world.alliance_a.pk],
    )
    with pytest.raises(CommandError):
        call_command("fund_check")
    assert "North Alliance's allocation" in capsys.readouterr().err


def test_fund_check_fails_when_an_entry_is_deleted(busy_fund, capsys):
    release = LedgerEntry.objects.get(kind=Kind.RELEASE)
    _raw("DELETE FROM funding_ledgerentry WHERE id = %s", [release.pk])
    with pytest.raises(CommandError):
        call_command("fund_check")
    assert "ended with £6,500.00 still committed" in capsys.readouterr().err
