"""The providers' API: read for every role, written by officers and by each entry's keeper,
the same rules as the pages."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from brokerage.models import Provider, ProviderKind
from tests.brokerage.providers_support import (
    engagement_make,
    expertise_seeded,  # noqa: F401
    provider_make,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("expertise_seeded")]


@pytest.fixture
def api_as(request):
    def _client(name: str) -> APIClient:
        client = APIClient()
        if name != "anonymous":
            client.force_login(request.getfixturevalue(name))
        return client

    return _client


@pytest.fixture
def entries(world, provider):
    return {
        "nle": provider_make("Nadia NLE", expertise=["KS2 reading"], person=provider),
        "school_a": provider_make(
            "Ashdown Primary School", kind=ProviderKind.SCHOOL, school=world.school_a
        ),
    }


@pytest.mark.parametrize("persona", ["officer", "alliance_chair", "head_b", "provider"])
def test_every_role_lists_the_directory_with_figures(api_as, world, entries, persona):
    engagement_make(entries["nle"], world.school_b, days="3", decision="complete")

    rows = api_as(persona).get("/api/providers/").json()["results"]

    nle = next(row for row in rows if row["name"] == "Nadia NLE")
    assert (nle["spare_days"], nle["track_record"]) == ("7.0", {"good": 1, "stopped": 0})
    assert nle["expertise"] == ["KS2 reading"]


def test_a_user_without_a_role_lists_nothing(api_as, entries):
    assert api_as("no_role").get("/api/providers/").json()["results"] == []
    assert api_as("no_role").get(f"/api/providers/{entries['nle'].pk}/").status_code == 404


def test_an_anonymous_visitor_is_refused(api_as, entries):
    assert api_as("anonymous").get("/api/providers/").status_code == 403


def test_the_list_filters_by_kind_and_phase(api_as, entries):
    rows = api_as("officer").get("/api/providers/", {"kind": "school"}).json()["results"]
    assert [row["name"] for row in rows] == ["Ashdown Primary School"]
    rows = api_as("officer").get("/api/providers/", {"phase": "secondary"}).json()["results"]
    assert rows == []


def test_an_officer_adds_an_entry_for_anyone(api_as, world, provider):
    response = api_as("officer").post(
        "/api/providers/",
        {
            "name": "Hampshire maths hub",
            "kind": "subject_hub",
            "person": provider.pk,
            "expertise": ["KS2 maths"],
            "phases": ["primary", "secondary"],
            "capacity_days_per_term": 12,
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["spare_days"] == "12.0"
    assert Provider.objects.get(name="Hampshire maths hub").person == provider


def test_a_provider_adds_an_entry_it_keeps(api_as, provider):
    response = api_as("provider").post(
        "/api/providers/", {"name": "Priya SLE", "kind": "sle"}, format="json"
    )

    assert response.status_code == 201
    assert Provider.objects.get(name="Priya SLE").person == provider


def test_a_provider_cannot_name_another_person(api_as, officer):
    response = api_as("provider").post(
        "/api/providers/", {"name": "X", "kind": "sle", "person": officer.pk}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"person": "Only LA officers can set this"}


def test_a_headteacher_offers_their_own_school_but_not_another(api_as, world):
    own = api_as("head_a").post(
        "/api/providers/", {"school": world.school_a.urn, "kind": "school"}, format="json"
    )
    other = api_as("head_a").post(
        "/api/providers/", {"school": world.school_b.urn, "kind": "school"}, format="json"
    )

    assert own.status_code == 201 and own.json()["name"] == "Ashdown Primary School"
    assert other.status_code == 400  # school B is not one head A can see
    assert Provider.objects.count() == 1


def test_a_user_without_a_role_cannot_add(api_as):
    response = api_as("no_role").post("/api/providers/", {"name": "X"}, format="json")
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("persona", "entry", "status"),
    [
        ("officer", "nle", 200),
        ("provider", "nle", 200),
        ("provider", "school_a", 403),
        ("head_a", "school_a", 200),
        ("head_b", "school_a", 403),
        ("alliance_chair", "nle", 403),
    ],
)
def test_who_may_change_an_entry(api_as, entries, persona, entry, status):
    provider = entries[entry]

    response = api_as(persona).patch(
        f"/api/providers/{provider.pk}/", {"capacity_days_per_term": 3}, format="json"
    )

    provider.refresh_from_db()
    assert response.status_code == status
    assert (provider.capacity_days_per_term == 3) is (status == 200)


def test_a_service_refusal_is_a_400_with_its_message(api_as, entries):
    response = api_as("officer").patch(
        f"/api/providers/{entries['nle'].pk}/",
        {"can_be_paid": False, "vat_registered": True},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["A provider that cannot be paid cannot be VAT registered"]
    }
