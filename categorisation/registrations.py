"""What categorisation adds to the shared registries: its navigation and its section of every
school's page."""

from kernel.navigation import nav_register
from schools.extensions import school_page_part_register

from .head_response_registrations import register as head_response_register
from .head_responses import head_response_of, proposed_result_get
from .selectors import school_categorisation_history


def _school_part(*, user, school) -> dict | None:
    """The school's agreed categorisations, for those who may see its category; for its head,
    the proposed category of a run being moderated and their response."""
    if not user.has_perm("categorisation.view_school_category", school):
        return None
    proposed = proposed_result_get(user=user, school=school)
    return {
        "categorisations": school_categorisation_history(user=user, school=school),
        "proposed": proposed,
        "proposed_response": head_response_of(proposed) if proposed else None,
    }


def register() -> None:
    head_response_register()
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
