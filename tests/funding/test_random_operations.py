"""Ledger balances after random sequences of operations (income, fixed costs, adjustments,
commissioning, payments, ending support, reversals) equal a plain running total, never
overdraw an allocation, and ``fund_check`` finds nothing wrong."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brokerage.engagements import engagement_commission, engagement_end
from funding.balances import alliance_position, fund_position
from funding.checks import fund_problems
from funding.ledger import entry_reverse, new_key
from funding.services import adjustment_record, fixed_cost_record, income_record, payment_record

from .conftest import make_engagement

pennies = st.integers(1, 2_000_000).map(lambda p: Decimal(p) / 100)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("income"), pennies),
        st.tuples(st.just("fixed_cost"), pennies),
        st.tuples(st.just("adjust"), pennies, st.booleans()),
        st.tuples(st.just("commission"), pennies),
        st.tuples(st.just("pay"), st.integers(0, 9), pennies),
        st.tuples(st.just("end"), st.integers(0, 9)),
        st.tuples(
            st.just("reverse_last"),
        ),
    ),
    max_size=15,
)


class Books:
    """The plain running totals the ledger must agree with."""

    def __init__(self, budget, left):
        self.budget, self.left, self.committed, self.spent = budget, left, Decimal(0), Decimal(0)
        self.engagements, self.postings = [], []


def _apply(op, books, ctx):
    world, fund, officer = ctx
    kind, *args = op
    if kind in ("income", "fixed_cost", "adjust"):
        amount = args[0] if kind != "adjust" or args[1] else -args[0]
        if kind == "income":
            entry = income_record(
                fund=fund,
                source="other",
                amount=amount,
                description="",
                by=officer,
                idempotency_key=new_key(),
            )
        elif kind == "fixed_cost":
            entry = fixed_cost_record(
                fund=fund, amount=amount, description="Cost", by=officer, idempotency_key=new_key()
            )
            amount = -amount
        else:
            entry = adjustment_record(
                fund=fund, amount=amount, reason="Test", by=officer, idempotency_key=new_key()
            )
        books.budget += amount
        books.postings.append((entry, amount))
    elif kind == "commission":
        engagement = make_engagement(world.school_a, world.alliance_a, args[0])
        try:
            engagement_commission(engagement=engagement, by=officer)
        except ValidationError:
            assert args[0] > books.left
            return
        books.left -= args[0]
        books.committed += args[0]
        books.engagements.append([engagement, args[0], True])
    elif kind == "pay" and books.engagements:
        record = books.engagements[args[0] % len(books.engagements)]
        try:
            payment_record(
                engagement=record[0],
                net=args[1],
                vat=Decimal(0),
                by=officer,
                idempotency_key=new_key(),
            )
        except ValidationError:
            assert args[1] > record[1] or not record[2]
            return
        record[1] -= args[1]
        books.committed -= args[1]
        books.spent += args[1]
    elif kind == "end" and books.engagements:
        record = books.engagements[args[0] % len(books.engagements)]
        if record[2]:
            engagement_end(engagement=record[0], by=officer)
            books.left += record[1]
            books.committed -= record[1]
            record[1], record[2] = Decimal(0), False
    elif kind == "reverse_last" and books.postings:
        entry, amount = books.postings.pop()
        entry_reverse(entry=entry, reason="Correction", by=officer)
        books.budget -= amount


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=operations)
def test_balances_follow_any_sequence_of_operations(world, fund, officer, ops):
    with transaction.atomic():
        start = fund_position(fund=fund)
        left = alliance_position(fund=fund, alliance_id=world.alliance_a.pk).allocation_left
        books = Books(start.budget, left)
        for op in ops:
            _apply(op, books, (world, fund, officer))
            assert (
                alliance_position(fund=fund, alliance_id=world.alliance_a.pk).allocation_left >= 0
            )
        position = fund_position(fund=fund)
        alliance = alliance_position(fund=fund, alliance_id=world.alliance_a.pk)
        assert position.budget == books.budget
        assert (alliance.allocation_left, alliance.committed, alliance.spent) == (
            books.left,
            books.committed,
            books.spent,
        )
        assert position.remaining == books.budget - books.committed - books.spent
        assert fund_problems() == []
        transaction.set_rollback(True)
