"""Time to support: calendar days from the request to the diagnosis, the match, the commission
and the first visit, per case, per alliance and by month; cases past the board's target flagged.

Delay is what erodes schools' trust in brokering (Isos, condition 2), so the board sets a target
(``SUPPORT_TARGET_DAYS``, 30 calendar days by default) from the request to the commission: a
case not commissioned within it, or commissioned after it, is past the target.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import (
    Avg,
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import TruncDate, TruncMonth
from django.db.models.lookups import GreaterThan, LessThan
from django.utils import timezone

# (key, label, the step's date): each measured from the request's date.
STEPS = (
    ("diagnosis", "To diagnosis", "diagnosed_at"),
    ("match", "To match", "matched_at"),
    ("commission", "To commission", "commissioned_at"),
    ("first_visit", "To first visit", "first_visit_on"),
)


def target_days() -> int:
    """The board's target, in calendar days from request to commission."""
    return int(getattr(settings, "SUPPORT_TARGET_DAYS", 30))


def days_between(start, end) -> int | None:
    """Whole calendar days from ``start`` to ``end`` (dates or datetimes), None if not yet."""
    if start is None or end is None:
        return None
    start = timezone.localdate(start) if hasattr(start, "hour") else start
    end = timezone.localdate(end) if hasattr(end, "hour") else end
    return (end - start).days


def case_days(case) -> dict[str, int | None]:
    """Days from the case's request to each step it has reached."""
    return {key: days_between(case.requested_at, getattr(case, field)) for key, _, field in STEPS}


def is_overdue(case, *, today: date | None = None) -> bool:
    """Past the target: commissioned after it, or still not commissioned (and not closed)."""
    today = today or timezone.localdate()
    limit = target_days()
    if case.commissioned_at:
        return days_between(case.requested_at, case.commissioned_at) > limit
    return case.state != "closed" and days_between(case.requested_at, today) > limit


def overdue_q(*, today: date | None = None) -> Q:
    """The same rule as ``is_overdue``, for a queryset of cases (calendar days, as there)."""
    today = today or timezone.localdate()
    target = timedelta(days=target_days())
    requested_on = TruncDate("requested_at")
    waiting_too_long = Q(LessThan(requested_on, Value(today - target, DateField())))
    deadline = ExpressionWrapper(requested_on + target, output_field=DateField())
    commissioned_late = Q(GreaterThan(TruncDate("commissioned_at"), deadline))
    return (Q(commissioned_at__isnull=True) & ~Q(state="closed") & waiting_too_long) | (
        Q(commissioned_at__isnull=False) & commissioned_late
    )


def _durations() -> dict:
    requested = TruncDate("requested_at")
    durations = {}
    for key, _, field in STEPS:
        reached = F(field) if field.endswith("_on") else TruncDate(field)
        durations[key] = Avg(
            ExpressionWrapper(
                ExpressionWrapper(reached, output_field=DateField())
                - ExpressionWrapper(requested, output_field=DateField()),
                output_field=DurationField(),
            )
        )
    return durations


@dataclass(frozen=True)
class Row:
    label: str
    cases: int
    overdue: int
    averages: dict  # step key -> average days (one decimal) or None

    @property
    def values(self) -> list:
        return [self.averages[key] for key, _, _ in STEPS]


def _rows(grouped: QuerySet, label) -> list[Row]:
    rows = []
    for row in grouped:
        averages = {
            key: round(row[key].total_seconds() / 86400, 1) if row[key] is not None else None
            for key, _, _ in STEPS
        }
        rows.append(Row(label(row), row["cases"], row["overdue"], averages))
    return rows


def _aggregate(cases: QuerySet, by: str) -> QuerySet:
    return (
        cases.order_by()
        .values(by)
        .annotate(cases=Count("pk"), overdue=Count("pk", filter=overdue_q()), **_durations())
        .order_by(by)
    )


def time_to_support_by_alliance(*, cases: QuerySet) -> list[Row]:
    """Average days to each step and the cases past target, per alliance (one query)."""
    grouped = _aggregate(cases.annotate(alliance_label=F("alliance__name")), "alliance_label")
    return _rows(grouped, lambda row: row["alliance_label"] or "No alliance")


def time_to_support_by_month(*, cases: QuerySet) -> list[Row]:
    """Average days to each step and the cases past target, by the month of the request."""
    grouped = _aggregate(cases.annotate(month=TruncMonth("requested_at")), "month")
    return _rows(grouped, lambda row: f"{row['month']:%B %Y}")
