"""What categorisation adds to the shared registries: its navigation and its section of every
school's page."""

from kernel.navigation import nav_register
from schools.extensions import school_page_part_register

from .selectors import school_categorisation_history


def _school_part(*, user, school) -> dict | None:
    """The school's agreed categorisations, for those who may see its category."""
    if not user.has_perm("categorisation.view_school_category", school):
        return None
    return {"categorisations": school_categorisation_history(user=user, school=school)}


def register() -> None:
    nav_register(
        "Categorisation",
        "categorisation:summary",
        permission="categorisation.view_categories",
        order=40,
    )
    school_page_part_register(
        "categorisation",
        order=20,
        context=_school_part,
        section_template="categorisation/_school_categorisation.html",
    )
