"""Services that open support cases and move them along their task list.

Each task is recorded only when the task list says it can start (``case_tasks``) and the case is
open: paused and closed cases are read-only. Every change is kept in the case's history
(simple_history) and as a ``CaseEvent`` with who and when.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from clusters.models import ClusterMembership
from kernel.money import money, pounds

from .case_tasks import CANNOT_START, COMPLETED, case_task, current_engagement
from .engagements import engagement_commission
from .models import CaseEvent, Diagnosis, Engagement, StatutoryAction, SupportCase, Urgency
from .statutory import statutory_route_for

NOT_OPEN = "This case is {state}: resume it before changing it"
CANNOT_START_YET = "{title} cannot start yet: {reason}"
ALREADY_DONE = "{title} is already completed"
LIVE_CASE_EXISTS = "{school} already has an open support case"
SCHOOL_CLOSED = "{school} is closed: a support case can only be opened for an open school"
REASON_NEEDED = "Enter the reason"
OUTSIDE_LIST = "Only an LA officer can choose a provider the matching did not propose"
OUTSIDE_REASON = "Enter why you chose a provider the matching did not propose"
INACTIVE_PROVIDER = "This provider is no longer in the directory"
CHECKS_NEEDED = "Confirm both the conflict-of-interest and the due-diligence checks"
DECISION_NEEDED = (
    "The cost, {cost}, is above {limit}: enter the reference of the board's decision that agreed it"
)
STILL_COMMISSIONED = (
    "The support from {provider} is still commissioned: record its impact decision (complete "
    "or stop) on the engagement's page, which releases the money not spent, then close the case"
)

# The case's states and the actions allowed from each: anything else is refused.
STATE_TRANSITIONS = {
    (SupportCase.State.OPEN, "pause"): SupportCase.State.PAUSED,
    (SupportCase.State.OPEN, "close"): SupportCase.State.CLOSED,
    (SupportCase.State.PAUSED, "resume"): SupportCase.State.OPEN,
    (SupportCase.State.PAUSED, "close"): SupportCase.State.CLOSED,
}
STATE_VERBS = {"pause": "Paused", "resume": "Resumed", "close": "Closed"}


def commission_limit() -> Decimal:
    """Above this cost, commissioning needs the board's decision (SUPPORT_COMMISSION_LIMIT)."""
    return money(getattr(settings, "SUPPORT_COMMISSION_LIMIT", "15000"))


def event_add(*, case: SupportCase, by, kind: str, text: str) -> CaseEvent:
    """Add a line to the case's timeline."""
    return CaseEvent.objects.create(case=case, by=by, kind=kind, text=text)


def alliance_id_of(school) -> int | None:
    """The alliance of the school's current cluster, if it is in one."""
    membership = (
        ClusterMembership.objects.current().filter(school=school).values("cluster__alliance_id")
    )
    row = membership.first()
    return row["cluster__alliance_id"] if row else None


@transaction.atomic
def case_open(
    *,
    school,
    origin: str,
    by,
    description: str = "",
    areas_of_need=(),
    urgency: str = Urgency.ROUTINE,
    requested_at=None,
) -> SupportCase:
    """Open a support case for the school (refused if it already has one open or paused)."""
    if not school.is_open:
        raise ValidationError(SCHOOL_CLOSED.format(school=school.name))
    if SupportCase.objects.live().filter(school=school).exists():
        raise ValidationError(LIVE_CASE_EXISTS.format(school=school.name))
    case = SupportCase(
        school=school,
        origin=origin,
        description=(description or "").strip(),
        urgency=urgency,
        alliance_id=alliance_id_of(school),
        requested_at=requested_at or timezone.now(),
        opened_by=by,
    )
    case._history_user = by
    case.save()
    if areas_of_need:
        case.areas_of_need.set(areas_of_need)
    origin_label = SupportCase.Origin(origin).label.lower()
    event_add(case=case, by=by, kind="opened", text=f"Case opened: {origin_label}")
    return case


def _locked(case: SupportCase) -> SupportCase:
    locked = (
        SupportCase.objects.select_for_update(of=("self",))
        .select_related("school__trust")
        .get(pk=case.pk)
    )
    if locked.state != SupportCase.State.OPEN:
        raise ValidationError(NOT_OPEN.format(state=locked.get_state_display().lower()))
    return locked


def _startable(case: SupportCase, key: str) -> None:
    task = case_task(case, key)
    if task.status == CANNOT_START:
        raise ValidationError(CANNOT_START_YET.format(title=task.title, reason=task.reason))
    if task.status == COMPLETED:
        raise ValidationError(ALREADY_DONE.format(title=task.title))


def _save(case: SupportCase, fields: list[str], *, by, kind: str, text: str) -> SupportCase:
    case._change_reason, case._history_user = text[:100], by
    case.save(update_fields=fields)
    event_add(case=case, by=by, kind=kind, text=text)
    return case


@transaction.atomic
def case_eligibility_confirm(*, case: SupportCase, by, eligible: bool, note: str = ""):
    """Confirm the school is eligible for support; a school that is not closes the case."""
    case = _locked(case)
    _startable(case, "eligibility")
    if not eligible:
        if not note.strip():
            raise ValidationError(REASON_NEEDED)
        return _transition(case, "close", by=by, reason=f"Not eligible: {note.strip()}")
    case.eligibility_confirmed_at, case.eligibility_note = timezone.now(), note.strip()
    fields = ["eligibility_confirmed_at", "eligibility_note"]
    return _save(case, fields, by=by, kind="eligibility", text="Eligibility confirmed")


@transaction.atomic
def case_contact_record(*, case: SupportCase, by, note: str) -> SupportCase:
    """Record that the school (or, for an academy, its trust) was contacted, and what was said."""
    case = _locked(case)
    _startable(case, "contact")
    if not note.strip():
        raise ValidationError("Enter who you contacted and what you agreed")
    case.contacted_at, case.contact_note = timezone.now(), note.strip()
    return _save(
        case, ["contacted_at", "contact_note"], by=by, kind="contact", text="Contact recorded"
    )


@transaction.atomic
def case_diagnose(*, case: SupportCase, by, decision: str, note: str = "") -> SupportCase:
    """Record the initial diagnosis: match with a provider, review without support, or unable
    to assess."""
    case = _locked(case)
    _startable(case, "diagnosis")
    if decision not in Diagnosis.values:
        raise ValidationError("Choose the decision of the initial diagnosis")
    case.diagnosis, case.diagnosis_note = decision, note.strip()
    case.diagnosed_at = timezone.now()
    text = f"Initial diagnosis: {Diagnosis(decision).label.lower()}"
    return _save(
        case, ["diagnosis", "diagnosis_note", "diagnosed_at"], by=by, kind="diagnosis", text=text
    )


@transaction.atomic
def case_provider_choose(
    *, case: SupportCase, by, provider, proposed_ids=None, outside_reason: str = ""
) -> Engagement:
    """Choose the provider: creates the proposed engagement. A provider outside the matching's
    proposals (``proposed_ids``) needs an officer and a reason."""
    case = _locked(case)
    _startable(case, "provider")
    if not provider.active:
        raise ValidationError(INACTIVE_PROVIDER)
    outside = proposed_ids is not None and provider.pk not in set(proposed_ids)
    if outside and not by.has_perm("brokerage.choose_outside_list", case):
        raise ValidationError(OUTSIDE_LIST)
    if outside and not outside_reason.strip():
        raise ValidationError(OUTSIDE_REASON)
    engagement = Engagement(case=case, provider=provider, alliance=case.alliance)
    engagement._history_user = by
    engagement.save()
    case.matched_at = timezone.now()
    case.outside_list_reason = outside_reason.strip() if outside else ""
    text = f"Provider chosen: {provider.name}" + (" (outside the matching's list)" * outside)
    _save(case, ["matched_at", "outside_list_reason"], by=by, kind="provider", text=text)
    return engagement


@transaction.atomic
def case_checks_complete(
    *, case: SupportCase, by, conflict_checked: bool, due_diligence_checked: bool, note: str = ""
) -> SupportCase:
    """Record the conflict-of-interest and due-diligence checks on the chosen provider."""
    case = _locked(case)
    _startable(case, "checks")
    if not (conflict_checked and due_diligence_checked):
        raise ValidationError(CHECKS_NEEDED)
    case.checks_completed_at, case.checks_note = timezone.now(), note.strip()
    text = "Conflict-of-interest and due-diligence checks completed"
    return _save(case, ["checks_completed_at", "checks_note"], by=by, kind="checks", text=text)


@transaction.atomic
def case_board_decision_record(*, case: SupportCase, reference: str, by) -> SupportCase:
    """Keep the reference of the board's decision agreeing the case's support above the
    commissioning limit (written back by the board's meetings), for the commission step."""
    locked = SupportCase.objects.select_for_update(of=("self",)).get(pk=case.pk)
    locked.board_decision_reference = reference.strip()[:200]
    text = f"Board decision recorded: {locked.board_decision_reference}"
    return _save(locked, ["board_decision_reference"], by=by, kind="board_decision", text=text)


@transaction.atomic
def case_commission(*, case: SupportCase, by, decision_reference: str = "") -> Engagement:
    """Commission the case's proposed engagement: the one way to commission support, from the
    case's task list and from the engagement's page. Above ``SUPPORT_COMMISSION_LIMIT`` only
    with the reference of the board's decision agreeing the cost (kept on the case).

    ``engagement_commission`` then lets the fund commit the cost. The above-limit reference
    does not let the alliance overdraw its allocation: an overdraw is refused until the fund has
    its own approval (an officer records the board's decision on the fund's overdraw page, or
    the board's decision "approve a commitment above the limit or an overdraw" writes it)."""
    case = _locked(case)
    _startable(case, "commission")
    engagement = current_engagement(case)
    # the reference typed, else one the board's decision recorded on the case
    limit = commission_limit()
    reference = decision_reference.strip() or case.board_decision_reference
    if engagement.cost > limit and not reference:
        raise ValidationError(
            DECISION_NEEDED.format(cost=pounds(engagement.cost), limit=pounds(limit))
        )
    if engagement.alliance_id is None and case.alliance_id is not None:
        engagement.alliance_id = case.alliance_id
        engagement.save(update_fields=["alliance"])
    engagement = engagement_commission(engagement=engagement, by=by)
    case.commissioned_at, case.board_decision_reference = engagement.commissioned_at, reference
    text = "Support commissioned" + (f" (board decision {reference})" if reference else "")
    fields = ["commissioned_at", "board_decision_reference"]
    _save(case, fields, by=by, kind="commission", text=text)
    return engagement


def case_first_visit_note(*, case_id: int, on: date, by) -> bool:
    """Note a visit recorded on the case's engagement (a progress note or a review with a visit
    date): the earliest one is the case's first visit, the end of its time to support. Called
    by the engagement's services inside their transaction; True when the date changed."""
    case = SupportCase.objects.select_for_update(of=("self",)).get(pk=case_id)
    if on < timezone.localdate(case.requested_at):  # not a visit of this case's support
        return False
    if case.first_visit_on is not None and case.first_visit_on <= on:
        return False
    case.first_visit_on = on
    text = f"First visit on {on:%-d %B %Y}"
    _save(case, ["first_visit_on"], by=by, kind="first_visit", text=text)
    return True


def _transition(case: SupportCase, action: str, *, by, reason: str) -> SupportCase:
    new_state = STATE_TRANSITIONS.get((case.state, action))
    if new_state is None:
        state = case.get_state_display().lower()
        raise ValidationError(f"A case that is {state} cannot be {STATE_VERBS[action].lower()}")
    if not reason.strip():
        raise ValidationError(REASON_NEEDED)
    if new_state == SupportCase.State.CLOSED:
        running = case.engagements.filter(state=Engagement.State.COMMISSIONED)
        engagement = running.select_related("provider").first()
        if engagement is not None:
            raise ValidationError(STILL_COMMISSIONED.format(provider=engagement.provider.name))
    case.state, case.state_reason = new_state, reason.strip()
    case.closed_at = timezone.now() if new_state == SupportCase.State.CLOSED else None
    text = f"{STATE_VERBS[action]}: {reason.strip()}"
    return _save(case, ["state", "state_reason", "closed_at"], by=by, kind=action, text=text)


@transaction.atomic
def case_state_change(*, case: SupportCase, by, action: str, reason: str) -> SupportCase:
    """Pause, resume or close the case with a reason (``STATE_TRANSITIONS`` says which)."""
    if action not in STATE_VERBS:
        raise ValidationError("Choose pause, resume or close")
    locked = SupportCase.objects.select_for_update().get(pk=case.pk)
    return _transition(locked, action, by=by, reason=reason)


@transaction.atomic
def statutory_action_record(*, case: SupportCase, by, on: date, outcome: str) -> StatutoryAction:
    """Record a statutory step for the case's school on the route that applies to it (the LA's
    warning notice, or a referral to DfE's regional director)."""
    if on > timezone.localdate():
        raise ValidationError("The date must be today or in the past")
    if not outcome.strip():
        raise ValidationError("Enter the outcome")
    route = statutory_route_for(case.school)
    action = StatutoryAction(
        case=case, route=route.route, on=on, outcome=outcome.strip(), recorded_by=by
    )
    action._history_user = by
    action.save()
    event_add(case=case, by=by, kind="statutory", text=f"{route.title}: {outcome.strip()}")
    return action
