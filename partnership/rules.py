"""Permission predicates (django-rules) on a person's roles, built on
``partnership.permissions.roles_of``, and the permissions of people and jobs.

Each app declares its own permissions in its ``rules.py`` (``schools/rules.py``,
``clusters/rules.py``, ``categorisation/rules.py``…) from the predicates here. Names are
``<app>.<verb>_<noun>``; check with ``user.has_perm(name, obj)`` or the ``require``/``requires``
helpers in ``kernel/access.py``. The README's permission table is the plain-English version.
"""

import rules

from .models import Role
from .permissions import roles_of


@rules.predicate
def is_officer(user) -> bool:
    return roles_of(user).is_officer


@rules.predicate
def is_board(user) -> bool:
    return roles_of(user).is_board


@rules.predicate
def is_board_chair(user) -> bool:
    return Role.BOARD_CHAIR in roles_of(user).roles


@rules.predicate
def has_any_role(user) -> bool:
    return bool(roles_of(user).roles)


@rules.predicate
def sees_whole_partnership(user) -> bool:
    return roles_of(user).sees_whole_partnership


@rules.predicate
def is_alliance_chair(user) -> bool:
    return bool(roles_of(user).alliance_ids)


@rules.predicate
def is_head_of(user, school) -> bool:
    return school is not None and school.pk in roles_of(user).school_ids


# People and roles
rules.add_perm("partnership.manage_people", is_officer)
# Any job's page (a person always sees the jobs they started)
rules.add_perm("kernel.view_jobs", is_officer)
