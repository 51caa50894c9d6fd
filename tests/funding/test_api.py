"""The fund in the API: the position for each role, the ledger for officers only."""

import pytest
from rest_framework.test import APIClient

from brokerage.engagements import engagement_commission


@pytest.fixture
def api_as(request):
    def _client(name: str) -> APIClient:
        client = APIClient()
        if name != "anonymous":
            client.force_login(request.getfixturevalue(name))
        return client

    return _client


@pytest.fixture
def committed(world, fund, engagement, officer):
    engagement_commission(engagement=engagement, by=officer)
    return engagement


def _levels(response) -> list[tuple[str, str]]:
    return [(row["level"], row["name"]) for row in response.json()]


def test_officers_and_the_board_read_the_fund_and_every_alliance(api_as, committed, fund):
    rows = api_as("board_member").get("/api/fund/position/").json()
    assert [(r["level"], r["name"]) for r in rows] == [
        ("fund", f"Improvement fund {fund.name}"),
        ("alliance", "North Alliance"),
        ("alliance", "South Alliance"),
    ]
    assert rows[0]["budget"] == "95500.00" and rows[0]["committed"] == "7500.00"
    assert rows[1]["remaining"] == "7500.00"


def test_an_alliance_chair_reads_only_their_alliance(api_as, committed):
    assert _levels(api_as("alliance_chair").get("/api/fund/position/")) == [
        ("alliance", "North Alliance")
    ]


def test_a_headteacher_reads_only_their_schools_support_costs(api_as, committed):
    assert _levels(api_as("head_a").get("/api/fund/position/")) == [
        ("school", "Ashdown Primary School")
    ]
    assert _levels(api_as("head_b").get("/api/fund/position/")) == []


@pytest.mark.parametrize("persona", ["provider", "cluster_lead", "no_role"])
def test_people_without_a_part_in_the_fund_read_nothing(api_as, committed, persona):
    assert api_as(persona).get("/api/fund/position/").json() == []


def test_only_officers_read_the_ledger(api_as, committed, fund):
    entries = api_as("officer").get("/api/fund/ledger/").json()["results"]
    assert {e["kind"] for e in entries} == {"income", "fixed_cost", "allocation", "commitment"}
    entry = fund.entries.first()
    for persona in ("board_chair", "alliance_chair", "head_a", "provider"):
        assert api_as(persona).get("/api/fund/ledger/").json()["results"] == []
        assert api_as(persona).get(f"/api/fund/ledger/{entry.pk}/").status_code == 404


def test_the_fund_api_needs_a_signed_in_user(api_as, committed):
    assert api_as("anonymous").get("/api/fund/position/").status_code in (401, 403)
    assert api_as("anonymous").get("/api/fund/ledger/").status_code in (401, 403)


def test_the_fund_api_is_read_only(api_as, committed):
    assert api_as("officer").post("/api/fund/position/", {}).status_code == 405
    assert api_as("officer").post("/api/fund/ledger/", {}).status_code == 405
