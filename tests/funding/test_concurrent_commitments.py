"""Concurrent commitments can never overspend: twelve people commission support against one
allocation at the same moment, each on their own database connection; exactly as many as the
allocation affords succeed and the balance never goes below zero.

It runs on PostgreSQL (``transaction=True``, so each thread's transaction really commits and
really waits on the allocation row's lock)."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from brokerage.engagements import engagement_commission
from funding.balances import alliance_position
from funding.models import Kind, LedgerEntry

from .conftest import make_engagement

THREADS = 12
COST = Decimal("2000")  # North Alliance's £15,000 affords 7


@pytest.mark.django_db(transaction=True)
def test_concurrent_commitments_never_overspend_an_allocation(world, fund, officer):
    assert connection.vendor == "postgresql"
    engagements = [make_engagement(world.school_a, world.alliance_a, COST) for _ in range(THREADS)]
    start = threading.Barrier(THREADS)
    outcomes: list[str] = []

    def commission(engagement) -> None:
        try:
            start.wait()
            engagement_commission(engagement=engagement, by=officer)
            outcomes.append("committed")
        except ValidationError as refused:
            outcomes.append(refused.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=commission, args=(e,)) for e in engagements]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("committed") == 7
    refusals = [o for o in outcomes if o != "committed"]
    assert len(refusals) == 5
    assert all("North Alliance has £1,000.00 left" in r for r in refusals)
    position = alliance_position(fund=fund, alliance_id=world.alliance_a.pk)
    assert position.allocation_left == Decimal("1000")
    assert LedgerEntry.objects.filter(kind=Kind.COMMITMENT).count() == 7
