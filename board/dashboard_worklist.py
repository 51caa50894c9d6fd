"""What else waits on people's home pages, so that every role has something to act on or read
(the demo showed heads, cluster leads, providers and members with nothing):

- those who sit at a body's meetings: the next meetings whose agenda is not out yet (the agenda
  itself is ``board.meeting_worklist.agendas_to_read``'s);
- anyone who reads minutes: minutes published in the last 30 days;
- headteachers: the support brokered for their school (engagements proposed or commissioned);
  cluster leads: their cluster's open support cases;
- providers: the support brokered to them (engagements proposed or commissioned).

Each is a count and the first few, through the models' ``visible_to(user)``, asked only of the
roles it is for (an officer's home page runs none of these queries).
"""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from brokerage.models import Engagement, SupportCase
from kernel.worklist import WorkItem, worklist_register
from partnership.models import Role
from partnership.permissions import roles_of

from .meeting_rules import seats_of, sits_at_meeting
from .models import Meeting

EXAMPLES = 3
AHEAD = timedelta(days=60)
RECENT = timedelta(days=30)


def _day(moment) -> str:
    return date_format(timezone.localtime(moment), "j F")


def meetings_coming(*, user) -> list[WorkItem]:
    """Meetings in the next 60 days, agenda not yet published, for those who sit there."""
    if not (roles_of(user).is_board or seats_of(user)):
        return []
    now = timezone.now()
    coming = [
        meeting
        for meeting in Meeting.objects.visible_to(user)
        .filter(state=Meeting.State.SCHEDULED, starts_at__gte=now, starts_at__lt=now + AHEAD)
        .order_by("starts_at")[:20]
        if sits_at_meeting(user, meeting)
    ]
    examples = tuple(
        (f"{m.title}, {_day(m.starts_at)}", reverse("board:meeting-detail", args=[m.pk]))
        for m in coming[:EXAMPLES]
    )
    return [WorkItem("Meetings coming up", len(coming), reverse("board:meeting-list"), examples)]


def minutes_to_read(*, user) -> list[WorkItem]:
    """Minutes published in the last 30 days, for those who read rather than publish them."""
    if roles_of(user).is_officer:
        return []
    since = timezone.now() - RECENT
    published = (
        Meeting.objects.visible_to(user)
        .filter(minutes_published_at__gte=since)
        .order_by("-minutes_published_at")
    )
    count = published.count()
    if not count:
        return []
    examples = tuple(
        (m.title, reverse("board:meeting-minutes", args=[m.pk])) for m in published[:EXAMPLES]
    )
    return [WorkItem("Minutes published recently", count, reverse("board:meeting-list"), examples)]


def _engagement_item(label: str, engagements, href: str) -> list[WorkItem]:
    live = engagements.filter(state__in=[Engagement.State.PROPOSED, Engagement.State.COMMISSIONED])
    count = live.count()
    if not count:
        return []
    first = live.select_related("case__school").order_by("pk")[:EXAMPLES]
    examples = tuple(
        (e.case.school.name, reverse("brokerage:engagement-detail", args=[e.pk])) for e in first
    )
    return [WorkItem(label, count, href, examples)]


def support_for_my_schools(*, user) -> list[WorkItem]:
    """Support brokered for a headteacher's school; a cluster lead's cluster's open cases."""
    roles = roles_of(user)
    if roles.sees_whole_partnership or roles.alliance_ids:
        return []
    if Role.HEADTEACHER in roles.roles:
        engagements = Engagement.objects.visible_to(user).filter(
            case__school_id__in=roles.school_ids
        )
        href = reverse("brokerage:engagement-list") + "?show=active"
        return _engagement_item("Support for your school", engagements, href)
    if Role.CLUSTER_LEAD not in roles.roles:
        return []
    cases = SupportCase.objects.visible_to(user).live()
    count = cases.count()
    if not count:
        return []
    first = cases.select_related("school").order_by("requested_at", "pk")[:EXAMPLES]
    examples = tuple(
        (case.school.name, reverse("brokerage:case-detail", args=[case.pk])) for case in first
    )
    return [WorkItem("Support in your cluster", count, reverse("brokerage:case-list"), examples)]


def support_to_provide(*, user) -> list[WorkItem]:
    """Engagements brokered to the user as a provider, proposed or commissioned."""
    if Role.PROVIDER not in roles_of(user).roles:
        return []
    engagements = Engagement.objects.visible_to(user).filter(provider__person_id=user.pk)
    href = reverse("brokerage:engagement-list") + "?show=active"
    return _engagement_item("Support brokered to you", engagements, href)


def register() -> None:
    worklist_register("board_meetings_coming", meetings_coming, order=63)
    worklist_register("board_minutes_to_read", minutes_to_read, order=64)
    worklist_register("board_support_for_my_schools", support_for_my_schools, order=30)
    worklist_register("board_support_to_provide", support_to_provide, order=43)
