"""The load benchmark's support, money and meetings at national scale (issue 12, "Speed"):
2,000 support cases, an engagement for most of those that reached a provider, a year of the
fund's ledger, and the board's meeting in progress, for the dashboard, its projector panels and
the meeting page.

Written with bulk operations (a few dozen statements, not one per row), as an installation's
years of work would have left them; the fund is opened and its allocation agreed by the app's
own services. Deterministic: the same database gives the same data.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

CASES = 2000
PROVIDERS = 40
SEED = 12


def _schools_with_alliance() -> list[tuple[int, int]]:
    """(school id, alliance id) of CASES open schools spread over every cluster, leaving out
    those the agreed run already opened a case for (one live case per school)."""
    from brokerage.models import SupportCase
    from clusters.models import ClusterMembership

    live = SupportCase.objects.exclude(state="closed").values("school_id")
    rows = list(
        ClusterMembership.objects.filter(ended_on__isnull=True)
        .exclude(school_id__in=live)
        .order_by("school_id")
        .values_list("school_id", "cluster__alliance_id")
    )
    step = max(1, len(rows) // CASES)
    return rows[::step][:CASES]


def _providers() -> list:
    from brokerage.models import Provider

    kinds = [value for value, _ in Provider._meta.get_field("kind").choices]
    Provider.objects.bulk_create(
        Provider(name=f"Benchmark provider {n + 1}", kind=kinds[n % len(kinds)])
        for n in range(PROVIDERS)
    )
    return list(Provider.objects.order_by("pk"))


# The case's task list: each step's days after the request, in order; the commission's days
# are drawn for each case.
STEP_DAYS = (
    ("eligibility_confirmed_at", 2),
    ("contacted_at", 5),
    ("diagnosed_at", 9),
    ("matched_at", 16),
    ("checks_completed_at", 23),
)


def _cases(rng: random.Random, now) -> list:
    """CASES cases over the last year at every step of the task list, some paused or closed;
    about a third commissioned (between 20 and 60 days after the request)."""
    from brokerage.models import SupportCase

    cases = []
    for school_id, alliance_id in _schools_with_alliance():
        requested = now - timedelta(days=rng.randint(61, 365), hours=rng.randint(0, 23))
        reached = rng.randint(0, len(STEP_DAYS) + 2)  # the steps done; beyond them, commissioned
        dates = {field: requested + timedelta(days=days) for field, days in STEP_DAYS[:reached]}
        if reached > len(STEP_DAYS):
            dates["commissioned_at"] = requested + timedelta(days=rng.randint(20, 60))
        roll = rng.random()
        state = "closed" if roll < 0.15 else "paused" if roll < 0.2 else "open"
        cases.append(
            SupportCase(
                school_id=school_id,
                alliance_id=alliance_id,
                origin=SupportCase.Origin.CATEGORISATION,
                state=state,
                requested_at=requested,
                diagnosis="match" if "diagnosed_at" in dates else "",
                closed_at=now if state == "closed" else None,
                **dates,
            )
        )
    return SupportCase.objects.bulk_create(cases, batch_size=500)


def _engagements(rng: random.Random, cases: list, providers: list, today) -> list:
    from brokerage.models import Engagement, ImpactDecision

    decisions = [""] * 5 + list(ImpactDecision.values)
    engagements = []
    for case in cases:
        if case.commissioned_at is None:
            continue
        ended = case.state == "closed"
        engagements.append(
            Engagement(
                case=case,
                provider=rng.choice(providers),
                alliance_id=case.alliance_id,
                days=Decimal(rng.randint(3, 20)),
                cost=Decimal(rng.randint(10, 120) * 100),
                state=rng.choice(["completed", "stopped"]) if ended else "commissioned",
                commissioned_at=case.commissioned_at,
                next_review_due=None if ended else today + timedelta(days=rng.randint(-40, 40)),
                impact_decision=rng.choice(decisions),
                impact_decision_due=rng.random() < 0.1,
            )
        )
    return Engagement.objects.bulk_create(engagements, batch_size=500)


def _fund(officer, now):
    """The fund for this financial year with its income and the chair's fixed cost, and the
    allocation agreed on the current agreed categorisation (the app's services)."""
    from django.utils import timezone

    from funding.allocation import allocation_agree
    from funding.ledger import new_key
    from funding.models import Fund, financial_year_of
    from funding.services import fixed_cost_record, fund_create, income_record
    from partnership.models import Partnership

    partnership = Partnership.objects.get()
    fund = fund_create(
        partnership=partnership, year=financial_year_of(timezone.localdate()), by=officer
    )
    for source, amount in (("la_grant", "4000000"), ("de_delegation", "3000000")):
        income_record(
            fund=fund,
            source=source,
            amount=Decimal(amount),
            description="Benchmark income",
            by=officer,
            idempotency_key=new_key(),
        )
    fixed_cost_record(
        fund=fund,
        amount=Decimal("4500"),
        description="Independent chair",
        by=officer,
        idempotency_key=new_key(),
    )
    return allocation_agree(
        fund=fund, rule=Fund.Rule.PRO_RATA, by=officer, idempotency_key=new_key()
    )


def _ledger(rng: random.Random, fund, engagements: list, officer, now) -> int:
    """A year of commitments, monthly payments and releases of what ended unspent."""
    from funding.models import LedgerEntry

    entries = []

    def entry(kind: str, engagement, amount: Decimal, days_ago: int) -> None:
        row = LedgerEntry(
            fund=fund,
            kind=kind,
            amount=amount,
            alliance_id=engagement.alliance_id,
            engagement=engagement,
            school_id=engagement.case.school_id,
            description=f"Benchmark {kind}",
            idempotency_key=f"bench:{kind}:{engagement.pk}:{len(entries)}",
            recorded_at=now - timedelta(days=days_ago),
            recorded_by=officer,
        )
        row.digest = row.compute_digest()
        entries.append(row)

    for engagement in engagements:
        started = rng.randint(30, 365)
        entry("commitment", engagement, engagement.cost, started)
        # Monthly payments since the commitment, a twelfth of the cost each.
        paid, months = Decimal(0), rng.randint(0, min(11, started // 30))
        part = (engagement.cost / 12).quantize(Decimal("0.01"))
        for month in range(months):
            entry("payment", engagement, part, started - 30 * (month + 1))
            paid += part
        if engagement.state != "commissioned" and engagement.cost > paid:
            entry("release", engagement, engagement.cost - paid, 0)
    LedgerEntry.objects.bulk_create(entries, batch_size=1000)
    return len(entries)


def _meeting(officer, now):
    """The board's meeting in progress today: agenda published with its standing items built
    from the data, and a confidential item."""
    from board.meeting_agenda import agenda_item_add, agenda_publish
    from board.meeting_services import meeting_create

    meeting = meeting_create(
        alliance=None, title="Board meeting (benchmark)", starts_at=now, by=officer
    )
    agenda_item_add(meeting=meeting, title="Fund position and commitments", by=officer)
    agenda_item_add(
        meeting=meeting,
        title="Schools causing concern",
        is_confidential=True,
        exempt_paragraph="1",
        by=officer,
    )
    return agenda_publish(meeting=meeting, by=officer)


def build() -> dict:
    """Add support cases, engagements, a year of the fund's ledger and the board's meeting."""
    from django.db import transaction
    from django.utils import timezone

    from partnership.models import User

    rng = random.Random(SEED)
    now = timezone.now()
    officer = User.objects.get(email="officer0@bench.example.org")
    with transaction.atomic():
        providers = _providers()
        cases = _cases(rng, now)
        engagements = _engagements(rng, cases, providers, timezone.localdate())
        fund = _fund(officer, now)
        entries = _ledger(rng, fund, engagements, officer, now)
    meeting = _meeting(officer, now)
    return {
        "cases": len(cases),
        "engagements": len(engagements),
        "ledger_entries": entries,
        "meeting": meeting.pk,
    }


def pack_build() -> dict:
    """The board meeting's members' pack, built by its job as an officer would ask for it (in
    this process: no broker is set), unless a built one is still kept: its seconds and pages.
    Every standing item prints every row, so a national board's pack runs to hundreds of pages;
    the pack's page and its download join the pages under load."""
    import time

    from django.core.files.storage import default_storage

    from board.models import Meeting
    from board.pack import MEMBERS, pack_current, pack_request
    from partnership.models import User

    meeting = Meeting.objects.filter(alliance__isnull=True).order_by("pk").first()
    built = pack_current(meeting=meeting, audience=MEMBERS)
    if built is not None and default_storage.exists(built.result["file"]):
        return {"pack_pages": built.result["pages"], "pack_seconds": None}
    officer = User.objects.get(email="officer0@bench.example.org")
    started = time.perf_counter()
    job = pack_request(meeting=meeting, audience=MEMBERS, by=officer)
    job.refresh_from_db()
    if job.state != job.State.SUCCEEDED:
        raise RuntimeError(f"The board pack's job is {job.state}, not succeeded: {job.error}")
    seconds = round(time.perf_counter() - started, 1)
    return {"pack_pages": job.result["pages"], "pack_seconds": seconds}
