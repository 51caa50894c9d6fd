"""Permission predicates (django-rules), built on ``partnership.permissions.roles_of``.

Names are ``<app>.<verb>_<noun>``; check with ``user.has_perm(name, obj)`` or the
``require``/``requires`` helpers in ``partnership/access.py``. The README's permission table
is the plain-English version of this file.
"""

import rules

from .permissions import roles_of


@rules.predicate
def is_officer(user) -> bool:
    return roles_of(user).is_officer


@rules.predicate
def is_board(user) -> bool:
    return roles_of(user).is_board


@rules.predicate
def has_any_role(user) -> bool:
    return bool(roles_of(user).roles)


@rules.predicate
def sees_whole_partnership(user) -> bool:
    return roles_of(user).sees_whole_partnership


@rules.predicate
def can_see_school(user, school) -> bool:
    from schools.models import School

    if school is None:
        return False
    return School.objects.visible_to(user).filter(pk=school.pk).exists()


@rules.predicate
def is_head_of(user, school) -> bool:
    return school is not None and school.pk in roles_of(user).school_ids


# The register
rules.add_perm("schools.view_register", has_any_role)
rules.add_perm("schools.view_school", can_see_school)
rules.add_perm("schools.import_register", is_officer)
rules.add_perm("schools.change_school", is_officer)
rules.add_perm("schools.export_register", has_any_role)

# The structure: board, alliances, clusters, membership
rules.add_perm("clusters.view_structure", has_any_role)
rules.add_perm("clusters.change_structure", is_officer)

# People and roles
rules.add_perm("partnership.manage_people", is_officer)
rules.add_perm("partnership.view_audit", is_officer)
rules.add_perm("partnership.view_jobs", is_officer)

# Confidential school data (categories, peer reviews, support records): the partnership-wide
# roles and the school's own headteacher, never another school's. Later issues widen it per
# capability (for example the alliance chair of the school's alliance for categories).
rules.add_perm("schools.view_confidential", sees_whole_partnership | is_head_of)


# Risk categorisation (confidential: see permissions.results_visible_to)
@rules.predicate
def is_board_chair(user) -> bool:
    from .models import Role

    return Role.BOARD_CHAIR in roles_of(user).roles


@rules.predicate
def is_alliance_chair(user) -> bool:
    return bool(roles_of(user).alliance_ids)


@rules.predicate
def chairs_school_alliance(user, school) -> bool:
    alliance_ids = roles_of(user).alliance_ids
    if school is None or not alliance_ids:
        return False
    return school.cluster_memberships.filter(
        ended_on__isnull=True, cluster__alliance_id__in=alliance_ids
    ).exists()


rules.add_perm("categorisation.view_categories", sees_whole_partnership | is_alliance_chair)
rules.add_perm(
    "categorisation.view_school_category",
    sees_whole_partnership | chairs_school_alliance | is_head_of,
)
rules.add_perm("categorisation.import_data", is_officer)
rules.add_perm("categorisation.start_run", is_officer)
rules.add_perm("categorisation.moderate", is_officer)
rules.add_perm("categorisation.edit_rules", is_officer)
rules.add_perm("categorisation.view_rules", sees_whole_partnership)
# The board agrees categorisations and adopts rules; its chair, or an officer recording the
# board's decision, does it in the app.
rules.add_perm("categorisation.agree_run", is_officer | is_board_chair)
rules.add_perm("categorisation.adopt_rules", is_officer | is_board_chair)
