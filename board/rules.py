"""Who may see what spans the apps."""

import rules

from partnership.rules import is_officer

rules.add_perm("board.view_audit", is_officer)

from . import meeting_rules  # noqa: E402, F401 (the meetings' permissions)
