"""Who may do what in brokerage (django-rules), from the roles of ``partnership.permissions``.

Each part of brokerage declares its permissions under its own heading. The README's permission
table is the plain-English version.
"""

from __future__ import annotations

import rules

from clusters.models import ClusterMembership
from partnership.models import Role
from partnership.permissions import roles_of
from partnership.rules import has_any_role, is_officer

# Providers ------------------------------------------------------------------------------------


@rules.predicate
def is_provider(user) -> bool:
    return Role.PROVIDER in roles_of(user).roles


@rules.predicate
def is_headteacher(user) -> bool:
    return bool(roles_of(user).school_ids)


@rules.predicate
def keeps_provider_entry(user, provider) -> bool:
    """The entry's own person, or the headteacher of the school a school entry offers."""
    if provider is None:
        return False
    if provider.person_id is not None and provider.person_id == user.pk:
        return True
    return provider.kind == "school" and provider.school_id in roles_of(user).school_ids


@rules.predicate
def chairs_alliance_of(user, school) -> bool:
    """An alliance chair; for a school, the chair of the alliance its cluster is in now."""
    alliance_ids = roles_of(user).alliance_ids
    if school is None or not alliance_ids:
        return bool(alliance_ids)
    memberships = ClusterMembership.objects.filter(school_id=school.pk, ended_on__isnull=True)
    return memberships.filter(cluster__alliance_id__in=alliance_ids).exists()


# Everyone with a role reads the directory; it shows no school's category.
rules.add_perm("brokerage.view_providers", has_any_role)
# Officers add any entry; providers add their own; headteachers offer their school's strengths.
rules.add_perm("brokerage.add_provider", is_officer | is_provider | is_headteacher)
rules.add_perm("brokerage.change_provider", is_officer | keeps_provider_entry)
rules.add_perm("brokerage.declare_conflict", is_officer | keeps_provider_entry)
# A provider declares its own conflicts but never withdraws one: only officers do.
rules.add_perm("brokerage.withdraw_conflict", is_officer)
rules.add_perm("brokerage.change_expertise", is_officer)
# Matching names schools in focused support: officers, and alliance chairs for their schools.
rules.add_perm("brokerage.match_providers", is_officer | chairs_alliance_of)
