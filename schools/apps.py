from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = "The register of schools and trusts"

    def ready(self) -> None:
        from . import jobs  # noqa: F401 - registers this app's kinds of job
        from .registrations import register

        register()
