from django.apps import AppConfig


class BoardConfig(AppConfig):
    name = "board"
    verbose_name = "The board's view across the partnership: home, audit trail, demo"

    def ready(self) -> None:
        from kernel.navigation import nav_register

        from . import jobs, meeting_rules, meeting_sources, pack_tasks  # noqa: F401 (registers the rules)  # noqa: F401 - the board pack's job kind and task
        from .meeting_registrations import register
        from .meeting_worklist import register as worklist_register

        nav_register("Home", "home", permission=None, order=10)
        nav_register("Meetings", "board:meeting-list", permission="board.view_meetings", order=65)
        nav_register("Audit trail", "board:audit", permission="board.view_audit", order=70)
        # The API serves the register and what hangs off it: whoever may read the register.
        nav_register("API", "api-docs", permission="schools.view_register", order=80)
        meeting_sources.register()
        __import__("board.support_registrations").support_registrations.register()
        register()
        worklist_register()
        __import__("board.dashboard_registrations").dashboard_registrations.register()
