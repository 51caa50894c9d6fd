"""Two officers moving the same school at the same moment: the row locks make the moves run one
after the other, so neither fails and the school ends with exactly one current membership."""

import threading

import pytest
from django.db import connection

from clusters.models import ClusterMembership
from clusters.services import school_move
from tests.factories import SchoolFactory, UserFactory


@pytest.mark.django_db(transaction=True)
def test_simultaneous_moves_of_one_school_leave_one_current_membership(world):
    officers = [UserFactory(), UserFactory()]
    targets = [world.cluster_a1, world.cluster_b1]
    schools = [SchoolFactory() for _ in range(5)]
    errors = []

    def move(school, index: int, barrier: threading.Barrier) -> None:
        try:
            barrier.wait()
            school_move(school=school, cluster=targets[index], by=officers[index])
        except Exception as exc:  # noqa: BLE001 - the test reports any failure
            errors.append(exc)
        finally:
            connection.close()

    for school in schools:
        barrier = threading.Barrier(2)
        threads = [threading.Thread(target=move, args=(school, i, barrier)) for i in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert errors == []
    for school in schools:
        memberships = ClusterMembership.objects.filter(school=school)
        assert memberships.filter(ended_on__isnull=True).count() == 1
        # Either both moves happened (one ended by the other) or the second found it in place.
        assert memberships.count() in (1, 2)
