"""What the dashboards add to the service: their rules, the navigation entry and what waits
on the home page for the roles that had nothing there."""

from kernel.navigation import nav_register


def register() -> None:
    from . import dashboard_rules  # noqa: F401 (registers the rules)
    from .dashboard_worklist import register as worklist_register

    nav_register("Dashboard", "board:dashboard", permission="board.view_dashboard", order=15)
    worklist_register()
