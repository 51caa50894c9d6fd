"""Who may see and do what in risk categorisation (confidential: see
``Result.objects.visible_to`` for which results each role reads)."""

import rules

from partnership.permissions import roles_of
from partnership.rules import (
    is_alliance_chair,
    is_board_chair,
    is_head_of,
    is_officer,
    sees_whole_partnership,
)


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
# The head's voice: a headteacher sees their own school's proposed result while an official run is
# moderated, and agrees or challenges it (categorisation.head_responses).
rules.add_perm("categorisation.respond_to_category", is_head_of)
rules.add_perm("categorisation.resolve_challenge", is_officer)
