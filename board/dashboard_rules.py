"""Who may see the dashboards (README, "Dashboard"): officers and the board see the board's and
every alliance's; an alliance chair their own alliance's; nobody else (headteachers, cluster
leads and providers see schools one at a time, never the partnership's figures).

Showing school names on the projector is the meeting's chair's call (``board.manage_meeting``)
and only during a confidential item (``board.dashboard_focus``).
"""

from __future__ import annotations

import rules

from partnership.permissions import roles_of
from partnership.rules import is_alliance_chair, sees_whole_partnership


@rules.predicate
def sees_alliance_dashboard(user, alliance) -> bool:
    if alliance is None:
        return False
    roles = roles_of(user)
    return roles.sees_whole_partnership or alliance.pk in roles.alliance_ids


rules.add_perm("board.view_dashboard", sees_whole_partnership | is_alliance_chair)
rules.add_perm("board.view_board_dashboard", sees_whole_partnership)
rules.add_perm("board.view_alliance_dashboard", sees_alliance_dashboard)
