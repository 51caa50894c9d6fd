"""What the dashboards add to the service: their rules, the navigation entry and what waits
on the home page for the roles that had nothing there."""

from kernel.audit import audit_kind_register, url_or_none
from kernel.navigation import nav_register


def _focus_label(record) -> str:
    shown = "school names shown" if record.names_shown else "school names hidden"
    return f"Projector: item {record.item_id or 'none'} being taken, {shown}"


def register() -> None:
    from . import dashboard_rules  # noqa: F401 (registers the rules)
    from .dashboard_worklist import register as worklist_register
    from .models import MeetingFocus

    nav_register("Dashboard", "board:dashboard", permission="board.view_dashboard", order=15)
    worklist_register()

    # Who showed school names on the projector, and during which item, is kept.
    audit_kind_register(
        "meeting_focus",
        "Projected dashboard: items taken and school names shown",
        MeetingFocus,
        order=94,
        entry_label=_focus_label,
        entry_url=lambda record: url_or_none("board:meeting-detail", record.meeting_id),
    )
