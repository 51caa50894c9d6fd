"""The demo's directory on the demo register (Hampshire's open schools, GIAS April 2022)."""

from __future__ import annotations

import pytest

from board.demo_data import GIAS_FILE, load_people, load_structure
from board.demo_providers import demo_providers_load
from brokerage.matching import providers_match
from brokerage.models import ConflictDeclaration, Expertise, Provider, ProviderKind
from partnership.models import Partnership, RoleAssignment
from schools.gias_import import gias_import
from tests.brokerage.providers_support import expertise_seeded  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("expertise_seeded")]


@pytest.fixture
def demo():
    gias_import(data=GIAS_FILE.read_bytes(), by=None)
    partnership = Partnership.objects.create(
        name="Hampshire School Improvement Partnership", la_codes=["850"]
    )
    load_structure(partnership=partnership)
    load_people(password="demo password for tests")
    return partnership


def test_the_demo_directory_has_every_kind_of_provider(demo):
    added = demo_providers_load(partnership=demo)

    kinds = set(Provider.objects.values_list("kind", flat=True))
    assert 14 <= added == Provider.objects.count() <= 18
    assert {
        ProviderKind.SCHOOL,
        ProviderKind.LA_ADVISER,
        ProviderKind.TEACHING_SCHOOL_HUB,
        ProviderKind.MAT,
        ProviderKind.NLE,
    } <= kinds
    assert Provider.objects.get(person__email="provider@example.org").kind == ProviderKind.NLE
    assert Provider.objects.filter(active=False).count() == 1
    assert ConflictDeclaration.objects.count() == 1


def test_the_demo_headteachers_school_offers_its_strengths(demo):
    demo_providers_load(partnership=demo)

    offer = Provider.objects.get(school__urn=_head_school_urn())
    assert offer.kind == ProviderKind.SCHOOL and offer.person is None


def _head_school_urn() -> int:
    return RoleAssignment.objects.get(user__email="head@example.org").school.urn


def test_loading_the_demo_directory_twice_adds_nothing(demo):
    demo_providers_load(partnership=demo)
    assert demo_providers_load(partnership=demo) == 0


def test_matching_on_the_demo_ranks_with_reasons_and_leaves_out_the_conflict(demo):
    demo_providers_load(partnership=demo)
    conflict = ConflictDeclaration.objects.select_related("school", "provider").get()
    needs = Expertise.objects.filter(name__in=["KS2 reading", "KS2 maths", "Leadership"])

    result = providers_match(school=conflict.school, expertise_ids=[e.pk for e in needs])

    assert result.matches and all(len(m.reasons) == 6 for m in result.matches)
    assert any(m.distance_km is not None for m in result.matches)
    reasons = {e.name: e.reason for e in result.excluded}
    assert reasons[conflict.provider.name].startswith("Declared conflict of interest")
