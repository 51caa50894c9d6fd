"""The demo's support cases: moved along the task list through the services, once."""

from __future__ import annotations

import pytest

from board.demo_cases import PLAN, demo_cases_load
from brokerage.models import SupportCase
from partnership.models import Role
from tests.brokerage.test_case_receiver import agree
from tests.factories import MembershipFactory, RoleAssignmentFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_demo_moves_cases_to_different_steps_and_adds_a_heads_request(world, officer):
    schools = SchoolFactory.create_batch(len(PLAN))
    for school in schools:
        MembershipFactory(school=school, cluster=world.cluster_a1)
    head = UserFactory(email="head@example.org")
    RoleAssignmentFactory(user=head, role=Role.HEADTEACHER, school=world.school_z)
    agree({school: ("3", "medium") for school in schools}, officer)

    assert demo_cases_load() == len(PLAN)

    cases = SupportCase.objects.all()
    assert cases.filter(commissioned_at__isnull=False, first_visit_on__isnull=False).count() == 2
    assert cases.filter(state="paused").count() == 1
    assert cases.filter(diagnosis="review").count() == 1
    assert cases.get(school=world.school_z).origin == SupportCase.Origin.REQUEST
    assert demo_cases_load() == 0
    assert SupportCase.objects.count() == len(PLAN) + 1
