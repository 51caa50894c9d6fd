from django.apps import AppConfig


class ClustersConfig(AppConfig):
    name = "clusters"
    verbose_name = "Family clusters and school membership"

    def ready(self) -> None:
        from . import jobs  # noqa: F401 - registers this app's kinds of job
        from .registrations import register

        register()
        from .peer_registrations import register as peer_register

        peer_register()
