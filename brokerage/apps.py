from django.apps import AppConfig


class BrokerageConfig(AppConfig):
    name = "brokerage"
    verbose_name = "Brokerage of school-to-school support"

    def ready(self) -> None:
        from .registrations import register

        register()
