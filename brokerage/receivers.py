"""Brokerage's answer to categorisation's ``run_agreed``: each school with a support band in
the agreed run gets one support case by itself, once.

Set-based, so that agreeing a national run (22,000 results) costs a handful of queries: one
INSERT … SELECT-like bulk create of the new cases, one of their timeline entries, one of their
history. A school whose case is still open or paused gets no second case; the database's
one-live-case-per-school constraint holds the rule even against a head's request at the same
moment (``ignore_conflicts``), so the board's agreement is never refused because of a case.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from categorisation.models import Result
from clusters.models import ClusterMembership
from kernel.history import history_record_rows
from schools.models import OPEN_STATUSES

from .models import CaseEvent, SupportCase

BATCH = 2000
OPENED = "Case opened: agreed categorisation ({band} support)"


def cases_open_for_run(*, run, by) -> int:
    """Open a case for every school with a support band in the agreed run and no live case;
    returns how many were opened."""
    live = SupportCase.objects.live().filter(school_id=OuterRef("school_id"))
    alliance = ClusterMembership.objects.filter(
        school_id=OuterRef("school_id"), ended_on__isnull=True
    ).values("cluster__alliance_id")[:1]
    rows = (
        Result.objects.filter(run=run, school__status__in=OPEN_STATUSES)
        .exclude(support_band="")
        .exclude(Exists(live))
        .annotate(alliance_id=Subquery(alliance))
        .values_list("school_id", "support_band", "alliance_id")
    )
    now = timezone.now()
    cases = [
        SupportCase(
            school_id=school_id,
            origin=SupportCase.Origin.CATEGORISATION,
            support_band=band,
            alliance_id=alliance_id,
            run=run,
            requested_at=now,
            opened_by=by,
        )
        for school_id, band, alliance_id in rows.iterator(chunk_size=BATCH)
    ]
    SupportCase.objects.bulk_create(cases, batch_size=BATCH, ignore_conflicts=True)
    opened = SupportCase.objects.filter(run=run, requested_at=now)
    events = [
        CaseEvent(case_id=pk, at=now, by=by, kind="opened", text=OPENED.format(band=band.lower()))
        for pk, band in opened.values_list("pk", "support_band").iterator(chunk_size=BATCH)
    ]
    CaseEvent.objects.bulk_create(events, batch_size=BATCH)
    history_record_rows(
        opened, user=by, date=now, reason="Opened by the agreed categorisation", kind="+"
    )
    return len(events)


def on_run_agreed(sender, *, run, by, **kwargs) -> None:
    """Receiver of ``categorisation.signals.run_agreed``: only the board's official
    categorisation opens cases, never a what-if run of draft rules."""
    if run.purpose == run.Purpose.OFFICIAL:
        cases_open_for_run(run=run, by=by)
