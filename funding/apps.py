from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = "The improvement fund"

    def ready(self) -> None:
        from .registrations import register

        register()
