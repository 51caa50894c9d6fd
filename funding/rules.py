"""Who may see and move the fund's money.

=====================  =======  =====  =====  ========  ====  ========
permission             officer  chair  board  alliance  head  provider
=====================  =======  =====  =====  ========  ====  ========
view_fund              yes      yes    yes    no        no    no
manage_fund            yes      no     no     no        no    no
set_tariff             yes      yes    no     no        no    no
agree_allocation       yes      yes    no     no        no    no
view_alliance (own)    yes      yes    yes    own       no    no
view_school_list       yes      yes    yes    own's     no    no
view_school (own)      yes      yes    yes    own's     own   no
=====================  =======  =====  =====  ========  ====  ========
"""

import rules

from partnership.permissions import roles_of
from partnership.rules import is_alliance_chair, is_board, is_board_chair, is_officer


@rules.predicate
def is_head(user) -> bool:
    return bool(roles_of(user).school_ids)


@rules.predicate
def chairs_alliance(user, alliance) -> bool:
    return alliance is not None and alliance.pk in roles_of(user).alliance_ids


@rules.predicate
def heads_school(user, school) -> bool:
    return school is not None and school.pk in roles_of(user).school_ids


@rules.predicate
def school_in_chaired_alliance(user, school) -> bool:
    """The school is now in a cluster of an alliance the user chairs."""
    alliances = roles_of(user).alliance_ids
    if school is None or not alliances:
        return False
    return school.cluster_memberships.filter(
        ended_on__isnull=True, cluster__alliance_id__in=alliances
    ).exists()


sees_fund = is_officer | is_board
rules.add_perm("funding.view_fund", sees_fund)
rules.add_perm("funding.manage_fund", is_officer)
rules.add_perm("funding.set_tariff", is_officer | is_board_chair)
rules.add_perm("funding.agree_allocation", is_officer | is_board_chair)
# /fund/ opens on the fund, an alliance's allocation, or a head's school's support costs.
rules.add_perm("funding.view_section", sees_fund | is_alliance_chair | is_head)
# The "Fund" navigation entry: a headteacher's only fund page is their school's costs, so
# their navigation stays Home, Schools, Structure (tests/browser/test_headteacher_walk.py).
rules.add_perm("funding.view_nav", sees_fund | is_alliance_chair)
rules.add_perm("funding.view_alliance", sees_fund | chairs_alliance)
rules.add_perm("funding.view_school_list", sees_fund | is_alliance_chair)
rules.add_perm("funding.view_school", sees_fund | heads_school | school_in_chaired_alliance)
