"""Personas of STYLE.md: an LA officer, a board chair and member, an alliance chair, a cluster
lead, the headteachers of school A and school B, a provider, and an anonymous visitor.

The world they live in: one partnership; alliance A holds cluster A1 (schools A and A2);
alliance B holds cluster B1 (school B); school Z is in no cluster.
"""

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client

from partnership.models import Role
from tests.factories import (
    AllianceFactory,
    ClusterFactory,
    MembershipFactory,
    PartnershipFactory,
    RoleAssignmentFactory,
    SchoolFactory,
    UserFactory,
)
from tests.workers import live_celery_worker  # noqa: F401 (a fixture)

SHARED_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """A fast hasher: the default PBKDF2 makes every persona cost a quarter of a second."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache(settings):
    """Each test starts with an empty cache of its own process, whatever CACHE_URL says (so a
    test never empties a real Redis): throttle counts (password reset) must not carry over from
    one test to the next."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield
    cache.clear()


@dataclass
class World:
    partnership: object
    alliance_a: object
    alliance_b: object
    cluster_a1: object
    cluster_b1: object
    school_a: object
    school_a2: object
    school_b: object
    school_z: object


@pytest.fixture
def world(db) -> World:
    partnership = PartnershipFactory()
    alliance_a = AllianceFactory(partnership=partnership, name="North Alliance")
    alliance_b = AllianceFactory(partnership=partnership, name="South Alliance")
    cluster_a1 = ClusterFactory(alliance=alliance_a, name="Andover Cluster")
    cluster_b1 = ClusterFactory(alliance=alliance_b, name="Bishops Waltham Cluster")
    school_a = SchoolFactory(name="Ashdown Primary School", urn=100001)
    school_a2 = SchoolFactory(name="Abbotts Ann Primary School", urn=100002)
    school_b = SchoolFactory(name="Bramley Infant School", urn=100003)
    school_z = SchoolFactory(name="Zeals Junior School", urn=100004)
    MembershipFactory(school=school_a, cluster=cluster_a1)
    MembershipFactory(school=school_a2, cluster=cluster_a1)
    MembershipFactory(school=school_b, cluster=cluster_b1)
    return World(
        partnership,
        alliance_a,
        alliance_b,
        cluster_a1,
        cluster_b1,
        school_a,
        school_a2,
        school_b,
        school_z,
    )


def _persona(email: str, role: str, **scope):
    user = UserFactory(email=email)
    RoleAssignmentFactory(user=user, role=role, **scope)
    return user


@pytest.fixture
def officer(world):
    return _persona("officer@example.org", Role.OFFICER)


@pytest.fixture
def board_chair(world):
    return _persona("chair@example.org", Role.BOARD_CHAIR)


@pytest.fixture
def board_member(world):
    return _persona("member@example.org", Role.BOARD_MEMBER)


@pytest.fixture
def alliance_chair(world):
    return _persona("alliance.chair@example.org", Role.ALLIANCE_CHAIR, alliance=world.alliance_a)


@pytest.fixture
def cluster_lead(world):
    return _persona("cluster.lead@example.org", Role.CLUSTER_LEAD, cluster=world.cluster_a1)


@pytest.fixture
def head_a(world):
    return _persona("head.a@example.org", Role.HEADTEACHER, school=world.school_a)


@pytest.fixture
def head_b(world):
    return _persona("head.b@example.org", Role.HEADTEACHER, school=world.school_b)


@pytest.fixture
def provider(world):
    return _persona("provider@example.org", Role.PROVIDER)


@pytest.fixture
def no_role(world):
    return UserFactory(email="nobody@example.org")


PERSONAS = [
    "officer",
    "board_chair",
    "board_member",
    "alliance_chair",
    "cluster_lead",
    "head_a",
    "head_b",
    "provider",
    "no_role",
]


@pytest.fixture
def as_user(request):
    """A logged-in test client for the persona fixture named in the argument."""

    def _client(name: str) -> Client:
        client = Client()
        if name != "anonymous":
            client.force_login(request.getfixturevalue(name))
        return client

    return _client


@pytest.fixture
def shared_data() -> Path:
    assert SHARED_DATA.is_dir(), f"../shared/data not found at {SHARED_DATA}"
    return SHARED_DATA
