"""Stable codes for schools ("School A", "School B"…), one per school per board year, stored:
the published minutes use them where the board hides school names, and the projected dashboard
will show the same codes."""

from __future__ import annotations

import string
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Max

from .models import SchoolCode


def board_year(day: date) -> int:
    """The academic year (September to August) a day falls in, by its first calendar year."""
    return day.year if day.month >= 9 else day.year - 1


def code_label(position: int) -> str:
    """0 → "School A", 25 → "School Z", 26 → "School AA", 27 → "School AB"…"""
    letters = ""
    n = position + 1
    while n:
        n, remainder = divmod(n - 1, 26)
        letters = string.ascii_uppercase[remainder] + letters
    return f"School {letters}"


def school_codes_for(*, year: int, school_ids) -> dict[int, str]:
    """Each school's code for the year, giving the next codes to schools that have none yet
    (in the order given). A code, once given, never changes within the year."""
    wanted = list(dict.fromkeys(int(pk) for pk in school_ids))
    for _attempt in range(3):
        codes = dict(
            SchoolCode.objects.filter(year=year, school_id__in=wanted).values_list(
                "school_id", "code"
            )
        )
        missing = [pk for pk in wanted if pk not in codes]
        if not missing:
            return codes
        try:
            with transaction.atomic():
                last = SchoolCode.objects.filter(year=year).aggregate(p=Max("position"))["p"]
                start = -1 if last is None else last
                SchoolCode.objects.bulk_create(
                    SchoolCode(year=year, school_id=pk, position=p, code=code_label(p))
                    for p, pk in enumerate(missing, start + 1)
                )
        except IntegrityError:  # another request gave codes meanwhile: read them again
            continue
    raise RuntimeError("Could not give the schools their codes")  # pragma: no cover
