"""Who may reach each support case page and endpoint: every rule from both sides."""

from __future__ import annotations

import pytest

from brokerage.models import Engagement, Provider, SupportCase
from tests.brokerage.case_helpers import case_open

pytestmark = pytest.mark.django_db

EVERYONE = [
    "officer",
    "board_chair",
    "board_member",
    "alliance_chair",
    "cluster_lead",
    "head_a",
    "head_b",
    "provider",
]


@pytest.fixture
def cases(world, officer, provider):
    """Case A (school A, North Alliance) with an engagement brokered to the provider persona;
    case B (school B, South Alliance)."""
    case_a = case_open(world.school_a, officer)
    entry = Provider.objects.create(name="Priya's practice", kind="sle", person=provider)
    Engagement.objects.create(case=case_a, provider=entry)
    case_b = case_open(world.school_b, officer)
    return case_a, case_b


SEES_A = [
    "officer",
    "board_chair",
    "board_member",
    "alliance_chair",
    "cluster_lead",
    "head_a",
    "provider",
]
SEES_B = ["officer", "board_chair", "board_member", "head_b"]


def expected_cases(persona: str, case_a, case_b) -> set[int]:
    return {case.pk for case, sees in ((case_a, SEES_A), (case_b, SEES_B)) if persona in sees}


@pytest.mark.parametrize("persona", EVERYONE)
def test_each_role_sees_only_the_cases_in_its_scope_on_the_list(cases, as_user, persona):
    case_a, case_b = cases
    response = as_user(persona).get("/support/cases/")
    assert response.status_code == 200
    shown = {case.pk for case in response.context["page"]}
    expected = expected_cases(persona, case_a, case_b)
    assert shown == expected


@pytest.mark.parametrize("persona", EVERYONE)
def test_a_case_page_is_found_only_in_scope(cases, as_user, persona):
    case_a, case_b = cases
    client = as_user(persona)
    assert client.get(f"/support/cases/{case_a.pk}/").status_code == (
        200 if persona in SEES_A else 404
    )
    assert client.get(f"/support/cases/{case_b.pk}/").status_code == (
        200 if persona in SEES_B else 404
    )


@pytest.mark.parametrize("persona", EVERYONE)
def test_the_api_lists_and_retrieves_the_same_cases_as_the_pages(cases, as_user, persona):
    case_a, case_b = cases
    client = as_user(persona)
    listed = {row["id"] for row in client.get("/api/cases/").json()["results"]}
    expected = expected_cases(persona, case_a, case_b)
    assert listed == expected
    status = client.get(f"/api/cases/{case_b.pk}/").status_code
    assert status == (200 if persona in SEES_B else 404)


def test_a_user_with_no_role_sees_no_case_page(cases, as_user):
    assert as_user("no_role").get("/support/cases/").status_code == 403
    assert as_user("no_role").get("/api/cases/").json()["results"] == []


@pytest.mark.parametrize(
    "page",
    [
        "/support/cases/",
        "/support/cases/new/",
        "/support/cases/time-to-support/",
        "/support/cases/{a}/",
        "/support/cases/{a}/tasks/eligibility/",
    ],
)
def test_anonymous_visitor_is_sent_to_sign_in(cases, client, page):
    response = client.get(page.format(a=cases[0].pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_anonymous_visitor_gets_no_cases_from_the_api(cases, client):
    assert client.get("/api/cases/").status_code in (401, 403)


WORKERS = ["officer", "alliance_chair"]
TASK_PAGES = [
    "tasks/eligibility/",
    "tasks/commission/",
    "state/pause/",
]


@pytest.mark.parametrize("page", TASK_PAGES)
@pytest.mark.parametrize("persona", EVERYONE)
def test_only_officers_and_the_cases_alliance_chair_work_on_a_case(cases, as_user, persona, page):
    case_a = cases[0]
    status = as_user(persona).get(f"/support/cases/{case_a.pk}/{page}").status_code
    expected = 200 if persona in WORKERS else (404 if persona not in SEES_A else 403)
    assert status == expected


def test_the_chair_of_another_alliance_cannot_work_on_a_case(cases, as_user):
    case_b = cases[1]
    assert (
        as_user("alliance_chair").get(f"/support/cases/{case_b.pk}/tasks/contact/").status_code
        == 404
    )


@pytest.mark.parametrize("persona", EVERYONE)
def test_only_officers_record_the_statutory_route(cases, as_user, persona):
    status = as_user(persona).get(f"/support/cases/{cases[0].pk}/statutory/new/").status_code
    assert status == (200 if persona == "officer" else 404 if persona not in SEES_A else 403)


@pytest.mark.parametrize("persona", EVERYONE)
def test_officers_and_heads_raise_requests(cases, as_user, persona):
    status = as_user(persona).get("/support/cases/new/").status_code
    assert status == (200 if persona in ("officer", "head_a", "head_b") else 403)


@pytest.mark.parametrize("persona", EVERYONE)
def test_time_to_support_is_for_the_board_officers_and_alliance_chairs(cases, as_user, persona):
    status = as_user(persona).get("/support/cases/time-to-support/").status_code
    allowed = ("officer", "board_chair", "board_member", "alliance_chair")
    assert status == (200 if persona in allowed else 403)


def test_an_alliance_chairs_time_to_support_counts_only_their_alliance(cases, as_user):
    response = as_user("alliance_chair").get("/support/cases/time-to-support/")
    by_alliance = response.context["tables"][0][1]
    assert [(row.label, row.cases) for row in by_alliance] == [("North Alliance", 1)]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("head_a", 201),
        ("head_b", 400),
        ("officer", 201),
        ("board_member", 403),
        ("alliance_chair", 403),
        ("provider", 403),
    ],
)
def test_a_head_raises_a_case_through_the_api_for_their_own_school_only(
    world, as_user, persona, status
):
    response = as_user(persona).post(
        "/api/cases/",
        {"school": world.school_a.urn, "description": "Writing in year 6", "urgency": "soon"},
        content_type="application/json",
    )
    assert response.status_code == status, response.content
    if status == 201:
        case = SupportCase.objects.get(pk=response.json()["id"])
        assert case.school == world.school_a
        assert case.origin == SupportCase.Origin.REQUEST


def test_an_officer_raises_an_advisers_case_through_the_api(world, as_user):
    response = as_user("officer").post(
        "/api/cases/",
        {"school": world.school_b.urn, "description": "Maths", "origin": "adviser"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["origin"] == "adviser"
    assert response.json()["alliance_name"] == "South Alliance"


def test_the_api_refuses_a_second_live_case_with_the_services_message(cases, as_user, world):
    response = as_user("officer").post(
        "/api/cases/",
        {"school": world.school_a.urn, "description": "Again"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "already has an open support case" in str(response.json())


POSTS = [
    ("tasks/eligibility/", {"eligible": "yes"}),
    ("state/close/", {"reason": "Not needed"}),
    ("statutory/new/", {"on_0": "5", "on_1": "1", "on_2": "2026", "outcome": "Issued"}),
]


@pytest.mark.parametrize(("page", "data"), POSTS)
@pytest.mark.parametrize("persona", ["board_chair", "cluster_lead", "head_a", "provider"])
def test_a_role_without_the_permission_cannot_post_to_a_case(cases, as_user, persona, page, data):
    case_a = cases[0]
    response = as_user(persona).post(f"/support/cases/{case_a.pk}/{page}", data)
    assert response.status_code == 403
    case_a.refresh_from_db()
    assert case_a.state == "open"
    assert case_a.eligibility_confirmed_at is None
    assert not case_a.statutory.exists()


@pytest.mark.parametrize(
    "url", ["/api/cases/?alliance=1000000000000000000000", f"/api/cases/{10**30}/"]
)
def test_the_api_answers_out_of_range_ids_without_a_server_error(cases, as_user, url):
    assert as_user("officer").get(url).status_code in (400, 404)


def test_the_api_refuses_unknown_areas_of_need(world, as_user):
    response = as_user("head_a").post(
        "/api/cases/",
        {"school": world.school_a.urn, "description": "x", "areas_of_need": [2**70]},
        content_type="application/json",
    )
    assert response.status_code == 400
