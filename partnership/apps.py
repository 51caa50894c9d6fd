from django.apps import AppConfig


class PartnershipConfig(AppConfig):
    name = "partnership"
    verbose_name = "People, roles, the strategic board and its alliances"

    def ready(self) -> None:
        from .registrations import register

        register()
