"""Who may do what with an engagement (django-rules), on ``partnership.permissions.roles_of``.

Seeing an engagement is decided by ``Engagement.objects.visible_to(user)``; these predicates
decide actions on one the user can see. West Sussex: the alliance commissions support, follows
its progress and decides on its impact; the provider logs its work; the head reads it.
"""

from __future__ import annotations

import rules

from clusters.models import ClusterMembership
from partnership.permissions import roles_of
from partnership.rules import has_any_role, is_officer


def engagement_alliance_id(engagement) -> int | None:
    """The alliance that pays (once set), else the alliance of the school's current cluster."""
    if engagement.alliance_id:
        return engagement.alliance_id
    membership = (
        ClusterMembership.objects.filter(school_id=engagement.case.school_id, ended_on__isnull=True)
        .values_list("cluster__alliance_id", flat=True)
        .first()
    )
    return membership


@rules.predicate
def is_engagement_alliance_chair(user, engagement) -> bool:
    if engagement is None:
        return False
    alliance_ids = roles_of(user).alliance_ids
    return bool(alliance_ids) and engagement_alliance_id(engagement) in alliance_ids


@rules.predicate
def is_engagement_provider(user, engagement) -> bool:
    if engagement is None:
        return False
    person_id = engagement.provider.person_id
    return user.is_authenticated and person_id is not None and person_id == user.pk


@rules.predicate
def is_proposed(user, engagement) -> bool:
    return engagement is not None and engagement.state == engagement.State.PROPOSED


@rules.predicate
def is_commissioned(user, engagement) -> bool:
    return engagement is not None and engagement.state == engagement.State.COMMISSIONED


@rules.predicate
def is_not_ended(user, engagement) -> bool:
    return engagement is not None and not engagement.is_ended


@rules.predicate
def keeps_a_provider_entry(user) -> bool:
    from .models import Provider  # noqa: PLC0415 - rules load before the app registry is ready

    return user.is_authenticated and Provider.objects.filter(person=user).exists()


manages = is_officer | is_engagement_alliance_chair

# The list of engagements: anyone with a role (scoped by visible_to); the nav shows it.
rules.add_perm("brokerage.view_engagements", has_any_role | keeps_a_provider_entry)
# The Support section (/support/): whoever may see one of its pages (cases, engagements,
# providers); it opens on the first of them the person may see.
rules.add_perm("brokerage.view_support", has_any_role | keeps_a_provider_entry)
# Terms (days, cost, review schedule) while proposed
rules.add_perm("brokerage.change_engagement_terms", manages & is_proposed)
# Objectives and their impact measures, until the engagement ends
rules.add_perm("brokerage.change_objectives", manages & is_not_ended)
# Commission: the cases helper's commission step uses the same predicate
rules.add_perm("brokerage.commission_engagement", manages & is_proposed)
rules.add_perm("brokerage.record_review", manages & is_commissioned)
rules.add_perm("brokerage.decide_impact", manages & is_commissioned)
# Progress notes and visits: the provider (officers may log on their behalf)
rules.add_perm("brokerage.log_progress", (is_engagement_provider | is_officer) & is_commissioned)
