"""Who may raise, see and work support cases (django-rules predicates on the one permission
layer, ``partnership.permissions.roles_of``)."""

from __future__ import annotations

import rules

from partnership.permissions import roles_of
from partnership.rules import has_any_role, is_officer, sees_whole_partnership


@rules.predicate
def is_alliance_chair_of_case(user, case) -> bool:
    """The chair of the alliance the case belongs to (any alliance chair when no case is
    given, so that the page can be offered)."""
    alliance_ids = roles_of(user).alliance_ids
    if case is None:
        return bool(alliance_ids)
    return case.alliance_id is not None and case.alliance_id in alliance_ids


@rules.predicate
def is_head_of_school(user, school) -> bool:
    """A headteacher of the school (of any school when none is given)."""
    school_ids = roles_of(user).school_ids
    if school is None:
        return bool(school_ids)
    return school.pk in school_ids


@rules.predicate
def is_alliance_chair(user) -> bool:
    return bool(roles_of(user).alliance_ids)


# Every role reads the cases it may see (scoped by SupportCase.objects.visible_to).
rules.add_perm("brokerage.view_cases", has_any_role)
# Officers (the LA's advisers) raise a case for any school; a head for their own school.
rules.add_perm("brokerage.raise_case", is_officer | is_head_of_school)
# The task list: officers, and the chair of the case's alliance.
rules.add_perm("brokerage.work_case", is_officer | is_alliance_chair_of_case)
# Commissioning is the engagement's rule, brokerage.commission_engagement (engagement_rules).
rules.add_perm("brokerage.change_case_state", is_officer | is_alliance_chair_of_case)
# Only an officer chooses a provider the matching did not propose (with a reason).
rules.add_perm("brokerage.choose_outside_list", is_officer)
# The statutory route is the LA's: officers record it.
rules.add_perm("brokerage.record_statutory", is_officer)
# The first visit is the first visit recorded on the case's engagement (progress or review).
# Time to support: the board and officers for all alliances, alliance chairs for their own.
rules.add_perm("brokerage.view_time_to_support", sees_whole_partnership | is_alliance_chair)
