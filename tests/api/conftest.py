"""API clients for the personas of tests/conftest.py, and a register varied enough to filter."""

from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from schools.models import Phase, Status, TypeGroup
from tests.factories import TrustFactory


@pytest.fixture
def api_as(request):
    """A DRF test client signed in (by session) as the persona fixture named in the argument."""

    def _client(name: str) -> APIClient:
        client = APIClient()
        if name != "anonymous":
            client.force_login(request.getfixturevalue(name))
        return client

    return _client


@dataclass
class Trusts:
    oak: object
    elm: object
    orphan: object


@pytest.fixture
def trusts(world) -> Trusts:
    """School A in Oak Trust; school Z a closed, opted-out secondary academy in Elm Trust;
    school B in LA 936 (Surrey); and Willow Trust, with no school in the register."""
    oak = TrustFactory(name="OAK LEARNING TRUST")
    elm = TrustFactory(name="ELM ACADEMY TRUST")
    orphan = TrustFactory(name="WILLOW TRUST")
    world.school_a.trust = oak
    world.school_a.postcode = "SO21 1AA"
    world.school_a.save()
    world.school_a2.postcode = "SP11 7DX"
    world.school_a2.save()
    world.school_b.la_code, world.school_b.la_name = "936", "Surrey"
    world.school_b.save()
    z = world.school_z
    z.trust, z.phase, z.type_group, z.is_academy = elm, Phase.SECONDARY, TypeGroup.ACADEMY, True
    z.status, z.opted_out = Status.CLOSED, True
    z.save()
    return Trusts(oak, elm, orphan)
