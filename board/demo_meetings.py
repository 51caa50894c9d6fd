"""The demo board at work: members nominated by their groups, a substitute, a co-opted member and
an observer; three meetings held this term (the second and third missed by one member, so the
two-meetings flag and the chair's draft letter show) and one to come; the decision that agreed
the demo's categorisation; minutes approved at the next meeting and published with school
names replaced by codes.

Written through the same services as the pages; run once (nothing is added if the board has
meetings already).
"""

from __future__ import annotations

import io
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from categorisation.runs import run_current_agreed
from partnership.models import User
from schools.models import School

from .meeting_agenda import agenda_item_add, agenda_publish, paper_upload
from .meeting_attendance import attendance_record, declaration_record
from .meeting_decisions import decision_record
from .meeting_minutes import minutes_approve, minutes_draft, minutes_publish
from .meeting_seats import seat_add
from .meeting_services import meeting_create, meeting_hold
from .models import Attendance, BoardSeat, Decision, ExemptParagraph, GroupKind, Meeting, SeatKind

S = Attendance.Status
SEATED_FROM = date(2021, 9, 1)
LOCATION = "Elizabeth II Court, Winchester"
PAPER = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PEOPLE = {
    # email: (first, last, kind, group kind, group name)
    "substitute@example.org": ("Sunita", "Substitute", SeatKind.SUBSTITUTE, "", ""),
    "diocese@example.org": (
        "David",
        "Diocese",
        SeatKind.MEMBER,
        GroupKind.DIOCESE,
        "Diocese of Winchester",
    ),
    "trust@example.org": (
        "Tariq",
        "Trust",
        SeatKind.MEMBER,
        GroupKind.TRUST,
        "Test Valley Schools Trust",
    ),
    "hub@example.org": (
        "Helen",
        "Hub",
        SeatKind.CO_OPTED,
        GroupKind.TEACHING_SCHOOL,
        "Hampshire Teaching School Hub",
    ),
    "observer@example.org": (
        "Owen",
        "Observer",
        SeatKind.OBSERVER,
        GroupKind.LOCAL_AUTHORITY,
        "Hampshire County Council (elected member)",
    ),
}


def _person(email: str, password: str) -> User:
    first, last, *_ = PEOPLE[email]
    user, created = User.objects.get_or_create(
        email=email, defaults={"first_name": first, "last_name": last}
    )
    if created or not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def _seated(email: str) -> bool:
    return BoardSeat.objects.filter(user__email=email).exists()


def _seats(password: str) -> dict[str, BoardSeat]:
    chair = User.objects.get(email="chair@example.org")
    member = User.objects.get(email="member@example.org")
    seats = {
        "chair": seat_add(
            alliance=None,
            user=chair,
            kind=SeatKind.CHAIR,
            group_kind=GroupKind.INDEPENDENT,
            starts_on=SEATED_FROM,
            by=None,
        ),
        "member": seat_add(
            alliance=None,
            user=member,
            kind=SeatKind.MEMBER,
            group_kind=GroupKind.PHASE_ASSOCIATION,
            group_name="Hampshire Primary Headteachers' Association",
            starts_on=SEATED_FROM,
            by=None,
        ),
    }
    for email, (_, _, kind, group_kind, group_name) in PEOPLE.items():
        seats[email.split("@")[0]] = seat_add(
            alliance=None,
            user=_person(email, password),
            kind=kind,
            group_kind=group_kind,
            group_name=group_name,
            substitute_for=seats["member"] if kind == SeatKind.SUBSTITUTE else None,
            purpose="KS2 writing project" if kind == SeatKind.CO_OPTED else "",
            ends_on=date(timezone.localdate().year + 1, 7, 31)
            if kind == SeatKind.CO_OPTED
            else None,
            starts_on=SEATED_FROM,
            by=None,
        )
    return seats


def _meeting(title: str, days_ago: int, kind=Meeting.Kind.HALF_TERMLY) -> Meeting:
    """A meeting that many days ago (negative: to come), at 4pm, titled with its month."""
    day = timezone.localdate() - timedelta(days=days_ago)
    starts = timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 16, 0))
    title = f"{title}, {starts:%B %Y}"
    return meeting_create(
        alliance=None, title=title, kind=kind, starts_at=starts, location=LOCATION, by=None
    )


def _attend(meeting: Meeting, seats: dict, **statuses) -> None:
    records = {}
    for name, status in statuses.items():
        substitute = seats["substitute"] if status == S.SUBSTITUTE else None
        records[seats[name]] = (status, substitute)
    attendance_record(meeting=meeting, records=records, by=None)


def _first_agenda(officer: User, school: School | None) -> tuple[Meeting, object, object]:
    """The results meeting's agenda: the categorisation with its report, and a confidential
    item about a school in focused support."""
    meeting = _meeting("Results and priorities meeting", 95, kind=Meeting.Kind.RESULTS)
    results = agenda_item_add(
        meeting=meeting,
        title="The categorisation of schools for this year",
        by=officer,
        description="To agree the categorisation moderated by officers.",
    )
    paper_upload(
        item=results,
        title="Categorisation report",
        upload=io.BytesIO(PAPER),
        name="categorisation-report.pdf",
        size=len(PAPER),
        by=officer,
        summary="How the rules placed each school, and what officers changed.",
    )
    concern = agenda_item_add(
        meeting=meeting,
        title="A school causing concern",
        is_confidential=True,
        exempt_paragraph=ExemptParagraph.P1,
        schools=[school] if school else [],
        by=officer,
    )
    return meeting, results, concern


def _first_meeting(seats: dict, officer: User, school: School | None) -> Meeting:
    meeting, results, concern = _first_agenda(officer, school)
    agenda_publish(meeting=meeting, by=officer)
    meeting_hold(meeting=meeting, by=officer)
    everyone = {name: S.PRESENT for name in ("chair", "member", "diocese", "trust", "hub")}
    _attend(meeting, seats, observer=S.PRESENT, **everyone)
    name = school.name if school else "the school"
    minutes_draft(
        item=results,
        by=officer,
        text=(
            f"Officers presented the categorisation. {name} moves into focused support after its "
            "KS2 results; the board asked officers to broker support quickly."
        ),
    )
    minutes_draft(
        item=concern,
        by=officer,
        text=(
            f"The board discussed leadership capacity at {name}; the headteacher is on long-term "
            "leave. Officers will report back."
        ),
    )
    _agreed_run_decision(results, officer)
    return meeting


def _agreed_run_decision(item, officer: User) -> None:
    """The decision that agreed the demo's categorisation. The loader agreed the run before the
    board's meetings existed, so the decision is linked to the agreement already made (a board
    that records its decision in the product writes the agreement back through it)."""
    run = run_current_agreed()
    if run is None:
        return
    Decision.objects.create(
        item=item,
        kind="agree_run",
        text="The board agrees the categorisation of schools, as moderated by officers.",
        outcome=Decision.Outcome.CARRIED,
        subject_type=ContentType.objects.get_for_model(run),
        subject_id=run.pk,
        applied_at=run.agreed_at,
        recorded_by=officer,
    )


def _second_meeting(seats: dict, officer: User) -> Meeting:
    meeting = _meeting("Half-termly meeting", 55)
    strategy = agenda_item_add(meeting=meeting, title="KS2 writing strategy", by=officer)
    agenda_publish(meeting=meeting, by=officer)
    meeting_hold(meeting=meeting, by=officer)
    _attend(
        meeting,
        seats,
        chair=S.PRESENT,
        member=S.PRESENT,
        diocese=S.APOLOGIES,
        trust=S.PRESENT,
        hub=S.PRESENT,
        observer=S.PRESENT,
    )
    minutes_approve(item=meeting.items.get(kind="minutes"), by=officer)
    declaration_record(
        item=strategy,
        seat=seats["hub"],
        by=officer,
        interest="The hub would deliver the writing programme",
    )
    minutes_draft(
        item=strategy,
        by=officer,
        text=("The co-opted member from the hub presented the writing strategy and did not vote."),
    )
    decision_record(
        item=strategy,
        text="The board adopts the KS2 writing strategy.",
        by=officer,
        votes={seats["chair"].pk: "for", seats["member"].pk: "for", seats["trust"].pk: "abstain"},
    )
    return meeting


def _third_meeting(seats: dict, officer: User) -> Meeting:
    meeting = _meeting("Half-termly meeting", 20)
    update = agenda_item_add(meeting=meeting, title="Support for schools in focus", by=officer)
    agenda_publish(meeting=meeting, by=officer)
    meeting_hold(meeting=meeting, by=officer)
    _attend(
        meeting,
        seats,
        chair=S.PRESENT,
        member=S.SUBSTITUTE,
        diocese=S.ABSENT,
        trust=S.PRESENT,
        hub=S.PRESENT,
        observer=S.PRESENT,
    )
    minutes_approve(item=meeting.items.get(kind="minutes"), by=officer)
    minutes_draft(item=update, by=officer, text="Officers reported on the support brokered.")
    decision_record(
        item=update,
        text="The board notes the report.",
        by=officer,
        votes={seats["chair"].pk: "for", seats["substitute"].pk: "for"},
    )
    return meeting


@transaction.atomic
def demo_meetings_load(*, password: str) -> list[str]:
    """The demo board's seats and meetings (once); returns the emails of the extra demo users."""
    if not User.objects.filter(email="chair@example.org").exists():
        return []
    if Meeting.objects.exists():  # loaded before: keep the board's people's passwords current
        return [_person(email, password).email for email in PEOPLE if _seated(email)]
    officer = User.objects.get(email="officer@example.org")
    seats = _seats(password)
    run = run_current_agreed()
    focused = run.results.exclude(support_band="").select_related("school").first() if run else None
    first = _first_meeting(seats, officer, focused.school if focused else None)
    _second_meeting(seats, officer)
    minutes_publish(meeting=first, by=officer)
    _third_meeting(seats, officer)
    upcoming = _meeting("Half-termly meeting", -25)
    agenda_item_add(meeting=upcoming, title="The fund's position", by=officer)
    return list(PEOPLE)


def demo_meetings_logins(*, password: str) -> list:
    """Load the demo meetings; the logins of the board's extra people (the demo loader's)."""
    from .demo_data import DemoLogin

    emails = demo_meetings_load(password=password)
    labels = {email: PEOPLE[email][2].label for email in emails}
    return [DemoLogin(email, label, "the board's meetings") for email, label in labels.items()]
