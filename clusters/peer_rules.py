"""Who may do what with peer reviews, visit notes and self-evaluations (django-rules, on
``partnership.permissions.roles_of``). Which reports a person may *read* is decided by
``PeerReview.objects.visible_to`` and ``VisitNote.objects.visible_to``; these predicates decide
the actions."""

from __future__ import annotations

import rules

from partnership.permissions import roles_of
from partnership.rules import has_any_role, is_officer


@rules.predicate
def leads_cycle_cluster(user, cycle) -> bool:
    """The cluster lead of the cycle's cluster (an officer too, below)."""
    return cycle is not None and cycle.cluster_id in roles_of(user).cluster_ids


@rules.predicate
def may_lead_a_cycle(user) -> bool:
    roles = roles_of(user)
    return roles.is_officer or bool(roles.cluster_ids)


@rules.predicate
def heads_reviewed_school(user, review) -> bool:
    return review is not None and review.school_id in roles_of(user).school_ids


@rules.predicate
def heads_a_reviewer_school(user, review) -> bool:
    """A head of another school in the review's group (the reviewers)."""
    if review is None:
        return False
    school_ids = roles_of(user).school_ids
    if not school_ids or review.school_id in school_ids:
        return False
    return review.cycle.reviews.filter(group=review.group, school_id__in=school_ids).exists()


@rules.predicate
def leads_review_cluster(user, review) -> bool:
    return review is not None and review.cycle.cluster_id in roles_of(user).cluster_ids


@rules.predicate
def heads_school(user, school) -> bool:
    return school is not None and school.pk in roles_of(user).school_ids


@rules.predicate
def advises_school(user, school) -> bool:
    """An alliance chair whose alliance now holds the school (officers write for any school)."""
    roles = roles_of(user)
    if school is None or not roles.alliance_ids:
        return False
    return school.cluster_memberships.filter(
        ended_on__isnull=True, cluster__alliance_id__in=roles.alliance_ids
    ).exists()


@rules.predicate
def wrote_note(user, note) -> bool:
    return note is not None and note.author_id == user.pk


rules.add_perm("clusters.view_peer_cycles", has_any_role)
rules.add_perm("clusters.create_peer_cycle", may_lead_a_cycle)
rules.add_perm("clusters.manage_peer_cycle", is_officer | leads_cycle_cluster)
rules.add_perm("clusters.arrange_peer_review", is_officer | leads_review_cluster)
rules.add_perm("clusters.write_peer_findings", heads_a_reviewer_school)
rules.add_perm("clusters.share_peer_review", heads_reviewed_school)
rules.add_perm("clusters.write_visit_note", is_officer | advises_school)
rules.add_perm("clusters.correct_visit_note", is_officer | wrote_note)
rules.add_perm("clusters.respond_visit_note", heads_school)
rules.add_perm("clusters.evaluate_school", heads_school)
