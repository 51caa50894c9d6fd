from django.apps import AppConfig


class CategorisationConfig(AppConfig):
    name = "categorisation"
    verbose_name = "Risk categorisation"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 (connects the signal receivers)
