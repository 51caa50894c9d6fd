"""The categorisation API follows the pages' confidentiality: /api/categorisations/ (the current
agreed categorisation) and /api/schools/<urn>/categorisations/ (a school's history)."""

import pytest
from rest_framework.test import APIClient

from tests.categorisation.factories import RuleSetFactory, build_categorised, run_with_results

CURRENT = "/api/categorisations/"
ALL_URNS = [100002, 100001, 100003, 100004]  # by school name: Abbotts Ann, Ashdown, Bramley, Zeals
CURRENT_URNS = {
    "officer": ALL_URNS,
    "board_chair": ALL_URNS,
    "board_member": ALL_URNS,
    "alliance_chair": [100002, 100001],
    "head_a": [100001],
    "head_b": [100003],
    "cluster_lead": [],
    "provider": [],
    "no_role": [],
}
HISTORY_A_STATUS = {
    "officer": 200,
    "board_chair": 200,
    "board_member": 200,
    "alliance_chair": 200,
    "head_a": 200,
    "cluster_lead": 403,
    "head_b": 404,
    "provider": 404,
    "no_role": 404,
}


@pytest.fixture
def api_as(request):
    def _client(name: str) -> APIClient:
        client = APIClient()
        if name != "anonymous":
            client.force_login(request.getfixturevalue(name))
        return client

    return _client


@pytest.fixture
def categorised(world, officer):
    return build_categorised(world, officer)


@pytest.mark.parametrize("persona,urns", CURRENT_URNS.items())
def test_current_categorisation_lists_only_the_schools_each_persona_may_see(
    api_as, categorised, persona, urns
):
    response = api_as(persona).get(CURRENT)
    assert response.status_code == 200
    results = response.json()["results"]
    assert [row["urn"] for row in results] == urns
    assert {row["run"] for row in results} <= {categorised.agreed.pk}


def test_anonymous_visitor_is_refused(api_as, categorised):
    assert api_as("anonymous").get(CURRENT).status_code in (401, 403)
    assert api_as("anonymous").get("/api/schools/100001/categorisations/").status_code in (
        401,
        403,
    )


def test_a_categorisation_carries_category_band_score_and_explanation(api_as, categorised):
    row = api_as("head_a").get(f"{CURRENT}100001/").json()
    assert row["run"] == categorised.agreed.pk
    assert (row["category"], row["category_label"], row["support_band"]) == (
        "3",
        "3: Focused support",
        "medium",
    )
    assert row["score"] == "6.00" and row["moderation"] == "confirmed"
    indicators = {line["label"]: line for line in row["explanation"]["indicators"]}
    rwm = indicators["KS2 reading, writing and maths at the expected standard"]
    assert (rwm["value"], rwm["comparator"], rwm["points"]) == ("48", "England: 60", "3")
    assert row["explanation"]["triggers"] == []


@pytest.mark.parametrize(
    "persona,status", [("officer", 200), ("head_b", 200), ("head_a", 404), ("alliance_chair", 404)]
)
def test_one_school_by_urn_only_for_those_who_may_see_it(api_as, categorised, persona, status):
    response = api_as(persona).get(f"{CURRENT}100003/")
    assert response.status_code == status
    if status == 200:
        assert (response.json()["category"], response.json()["support_band"]) == ("4", "high")


@pytest.mark.parametrize(
    "query,urns",
    [
        ("category=4", [100003]),
        ("alliance={north}", [100002, 100001]),
        ("urn=100004", [100004]),
        ("support_band=medium", [100001]),
    ],
)
def test_current_categorisation_filters(api_as, categorised, world, query, urns):
    query = query.format(north=world.alliance_a.pk)
    results = api_as("board_member").get(f"{CURRENT}?{query}").json()["results"]
    assert [row["urn"] for row in results] == urns


def test_nothing_is_listed_until_the_board_agrees_a_categorisation(api_as, world):
    run_with_results({world.school_a: "3"}, rule_set=RuleSetFactory())
    assert api_as("officer").get(CURRENT).json()["results"] == []
    assert api_as("head_a").get(f"{CURRENT}100001/").status_code == 404


@pytest.mark.parametrize("persona,status", HISTORY_A_STATUS.items())
def test_school_history_follows_the_school_page_rules(api_as, categorised, persona, status):
    response = api_as(persona).get("/api/schools/100001/categorisations/")
    assert response.status_code == status
    if status == 200:
        results = response.json()["results"]
        # Agreed runs only, the current first: never the run still being moderated.
        assert [row["run"] for row in results] == [categorised.agreed.pk, categorised.previous.pk]
        assert [row["category"] for row in results] == ["3", "2"]


@pytest.mark.parametrize("persona,status", [("head_a", 404), ("alliance_chair", 404)])
def test_school_b_history_is_hidden_from_school_a_people(api_as, categorised, persona, status):
    assert api_as(persona).get("/api/schools/100003/categorisations/").status_code == status


def test_api_schema_documents_the_categorisation_endpoints(api_as, categorised):
    schema = api_as("officer").get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert "/api/categorisations/" in schema["paths"]
    assert "/api/categorisations/{urn}/" in schema["paths"]
    assert "/api/schools/{urn}/categorisations/" in schema["paths"]
