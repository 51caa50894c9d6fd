"""What the dashboards add to the service: their rules and the navigation entry."""

from kernel.navigation import nav_register


def register() -> None:
    from . import dashboard_rules  # noqa: F401 (registers the rules)

    nav_register("Dashboard", "board:dashboard", permission="board.view_dashboard", order=15)
