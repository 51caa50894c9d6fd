from django.apps import AppConfig


class CategorisationConfig(AppConfig):
    name = "categorisation"
    verbose_name = "Risk categorisation"

    def ready(self) -> None:
        from . import (
            jobs,  # noqa: F401 - registers this app's kinds of job
            receivers,  # noqa: F401 (connects the signal receivers)
        )
        from .registrations import register

        register()
