"""What support cases add to the shared registries: the receiver that opens cases from the
agreed categorisation, the worklist's sources, navigation and the audit trail."""

from __future__ import annotations

from categorisation.signals import run_agreed
from kernel.audit import audit_kind_register, url_or_none
from kernel.navigation import nav_register, subnav_register
from kernel.worklist import worklist_register

from .case_selectors import worklist_support_cases
from .models import StatutoryAction, SupportCase
from .receivers import on_run_agreed


def _case_label(record) -> str:
    school = record.school.name if record.school else f"school {record.school_id}"
    return f"Support case {record.id} for {school} ({record.get_state_display().lower()})"


def _statutory_label(record) -> str:
    return f"{record.get_route_display()} on {record.on:%-d %B %Y}: {record.outcome}"


def register() -> None:
    run_agreed.connect(on_run_agreed, dispatch_uid="brokerage.open_cases_on_run_agreed")
    # One "Support" section; its pages have their own navigation (cases, engagements, providers)
    nav_register("Support", "brokerage:home", permission="brokerage.view_support", order=45)
    subnav_register(
        "brokerage:home",
        "Cases",
        "brokerage:case-list",
        permission="brokerage.view_cases",
        order=10,
    )
    subnav_register(
        "brokerage:home",
        "Time to support",
        "brokerage:case-time-to-support",
        permission="brokerage.view_time_to_support",
        order=40,
    )
    worklist_register("brokerage.support_cases", worklist_support_cases, order=20)
    audit_kind_register(
        "support_case",
        "Support cases",
        SupportCase,
        order=72,
        related=("school",),
        entry_label=_case_label,
        entry_url=lambda record: url_or_none("brokerage:case-detail", record.id),
        name_joins=("school",),
    )
    audit_kind_register(
        "statutory_action",
        "Statutory actions",
        StatutoryAction,
        order=73,
        entry_label=_statutory_label,
        entry_url=lambda record: url_or_none("brokerage:case-detail", record.case_id),
    )
