"""A peer-review cycle in cluster A1 of the personas' world (tests/conftest.py): group 1 is
school A reviewed by school A2 (and A2 by A); group 2 is schools A3 and A4. Cluster A2, also in
alliance A, has a lead of its own."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from clusters.peer_review_models import PeerReview, PeerReviewCycle, Sharing
from partnership.models import Role
from tests.factories import (
    ClusterFactory,
    MembershipFactory,
    RoleAssignmentFactory,
    SchoolFactory,
    UserFactory,
)


@dataclass
class PeerWorld:
    cycle: object
    review_a: object
    review_a2: object
    review_a3: object
    school_a3: object
    school_a4: object


def persona(email: str, role: str, **scope):
    user = UserFactory(email=email)
    RoleAssignmentFactory(user=user, role=role, **scope)
    return user


@pytest.fixture
def peer(world) -> PeerWorld:
    school_a3 = SchoolFactory(name="Amport Primary School", urn=100005)
    school_a4 = SchoolFactory(name="Appleshaw Primary School", urn=100006)
    for school in (school_a3, school_a4):
        MembershipFactory(school=school, cluster=world.cluster_a1)
    cycle = PeerReviewCycle.objects.create(
        cluster=world.cluster_a1, name="Spring reviews", term="spring", year=2026
    )
    reviews = {
        school.pk: PeerReview.objects.create(cycle=cycle, school=school, group=group)
        for school, group in [
            (world.school_a, 1),
            (world.school_a2, 1),
            (school_a3, 2),
            (school_a4, 2),
        ]
    }
    reviews[world.school_a.pk].findings = "Reading is taught well."
    return PeerWorld(
        cycle,
        reviews[world.school_a.pk],
        reviews[world.school_a2.pk],
        reviews[school_a3.pk],
        school_a3,
        school_a4,
    )


@pytest.fixture
def head_a2(world):
    return persona("head.a2@example.org", Role.HEADTEACHER, school=world.school_a2)


@pytest.fixture
def head_a3(peer):
    return persona("head.a3@example.org", Role.HEADTEACHER, school=peer.school_a3)


@pytest.fixture
def other_lead(world):
    """The lead of another cluster in alliance A."""
    cluster = ClusterFactory(alliance=world.alliance_a, name="Amesbury Cluster")
    return persona("other.lead@example.org", Role.CLUSTER_LEAD, cluster=cluster)


@pytest.fixture
def chair_b(world):
    return persona("chair.b@example.org", Role.ALLIANCE_CHAIR, alliance=world.alliance_b)


def share(review, level: Sharing) -> None:
    PeerReview.objects.filter(pk=review.pk).update(sharing=level)
