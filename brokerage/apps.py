from django.apps import AppConfig


class BrokerageConfig(AppConfig):
    name = "brokerage"
    verbose_name = "Brokerage of school-to-school support"

    def ready(self) -> None:
        from .engagement_registrations import register as register_engagements

        register_engagements()
