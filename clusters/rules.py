"""Who may see and change the structure: board, alliances, clusters, membership."""

import rules

from partnership.rules import has_any_role, is_officer

rules.add_perm("clusters.view_structure", has_any_role)
rules.add_perm("clusters.change_structure", is_officer)
