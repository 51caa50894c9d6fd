"""Who may see and change the register (django-rules; predicates from partnership/rules.py)."""

import rules

from partnership.rules import has_any_role, is_head_of, is_officer, sees_whole_partnership

from .models import School


@rules.predicate
def can_see_school(user, school) -> bool:
    if school is None:
        return False
    return School.objects.visible_to(user).filter(pk=school.pk).exists()


rules.add_perm("schools.view_register", has_any_role)
rules.add_perm("schools.view_school", can_see_school)
rules.add_perm("schools.import_register", is_officer)
rules.add_perm("schools.change_school", is_officer)
rules.add_perm("schools.export_register", has_any_role)
# Confidential school data (categories, peer reviews, support records): the partnership-wide
# roles and the school's own headteacher, never another school's. Later apps widen it per
# capability (for example the alliance chair of the school's alliance for categories).
rules.add_perm("schools.view_confidential", sees_whole_partnership | is_head_of)
