from django.apps import AppConfig


class BrokerageConfig(AppConfig):
    name = "brokerage"
    verbose_name = "Brokerage of school-to-school support"

    def ready(self) -> None:
        from . import case_rules  # noqa: F401 - declares the support cases' permissions
        from .case_registrations import register as register_cases
        from .engagement_registrations import register as register_engagements
        from .registrations import register as register_providers

        register_providers()
        register_cases()
        register_engagements()
