"""The support case pages at work: the task list, each task's form, a head's request, the
list's filters, the worklist, and a bounded number of queries at 20 and 2,000 cases."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from brokerage.models import Expertise, SupportCase
from kernel.worklist import worklist_for
from schools.models import School
from tests.brokerage.case_helpers import advance, backdate, case_open, provider_create
from tests.factories import SchoolFactory, TrustFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world, officer):
    provider_create()
    return case_open(world.school_a, officer)


def test_the_case_page_is_a_task_list_that_says_why_tasks_cannot_start(case, as_user):
    page = as_user("alliance_chair").get(f"/support/cases/{case.pk}/").content.decode()
    assert 'class="govuk-task-list"' in page
    assert "Not started" in page
    assert "Cannot start yet" in page
    assert "Confirm eligibility first" in page
    assert f'href="/support/cases/{case.pk}/tasks/eligibility/"' in page
    assert f'href="/support/cases/{case.pk}/tasks/contact/"' not in page


def test_a_head_sees_the_task_list_without_links_to_work_on_it(case, as_user):
    page = as_user("head_a").get(f"/support/cases/{case.pk}/").content.decode()
    assert "Confirm eligibility" in page
    assert f"/support/cases/{case.pk}/tasks/" not in page


def test_an_alliance_chair_confirms_eligibility_on_its_page(case, as_user):
    client = as_user("alliance_chair")
    response = client.post(f"/support/cases/{case.pk}/tasks/eligibility/", {"eligible": "yes"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.eligibility_confirmed_at is not None


def test_an_invalid_task_form_shows_the_error_summary(case, as_user):
    client = as_user("officer")
    client.post(f"/support/cases/{case.pk}/tasks/eligibility/", {"eligible": "yes"})
    response = client.post(f"/support/cases/{case.pk}/tasks/contact/", {"note": ""})
    page = response.content.decode()
    assert "<title>Error: " in page
    assert "govuk-error-summary" in page


def test_a_task_that_cannot_start_yet_shows_why_instead_of_a_form(case, as_user):
    response = as_user("officer").get(f"/support/cases/{case.pk}/tasks/checks/")
    assert "This task cannot start yet: choose the provider first." in response.content.decode()
    assert response.context["form"] is None


def test_posting_a_task_that_cannot_start_changes_nothing(case, as_user):
    as_user("officer").post(f"/support/cases/{case.pk}/tasks/contact/", {"note": "Rang"})
    case.refresh_from_db()
    assert case.contacted_at is None


def test_a_paused_case_is_read_only_on_its_pages(case, as_user):
    client = as_user("officer")
    client.post(f"/support/cases/{case.pk}/state/pause/", {"reason": "Head on leave"})
    case.refresh_from_db()
    assert case.state == SupportCase.State.PAUSED
    page = client.get(f"/support/cases/{case.pk}/").content.decode()
    assert "It cannot be changed until it is resumed" in page
    assert "/tasks/eligibility/" not in page
    client.post(f"/support/cases/{case.pk}/tasks/eligibility/", {"eligible": "yes"})
    case.refresh_from_db()
    assert case.eligibility_confirmed_at is None


def test_the_contact_page_names_the_academys_trust(world, officer, as_user):
    trust = TrustFactory(name="Test Valley Learning Trust")
    academy = SchoolFactory(is_academy=True, type_group="academy", trust=trust)
    case = case_open(academy, officer)
    advance(case, "eligibility", officer)
    page = as_user("officer").get(f"/support/cases/{case.pk}/tasks/contact/").content.decode()
    assert "contact its trust, <strong>Test Valley Learning Trust</strong>" in page


def test_the_case_page_shows_the_statutory_route_and_timeline(case, as_user):
    page = as_user("officer").get(f"/support/cases/{case.pk}/").content.decode()
    assert "The local authority&#x27;s warning notice" in page or "warning notice" in page
    assert "Case opened: adviser" in page


def test_an_officer_records_a_statutory_action_from_the_case(case, as_user):
    today = timezone.localdate()
    response = as_user("officer").post(
        f"/support/cases/{case.pk}/statutory/new/",
        {"on_0": today.day, "on_1": today.month, "on_2": today.year, "outcome": "Issued"},
    )
    assert response.status_code == 302
    assert case.statutory.get().outcome == "Issued"


def test_a_head_raises_a_request_for_their_own_school(world, as_user):
    reading = Expertise.objects.get_or_create(name="KS2 reading")[0]
    response = as_user("head_a").post(
        "/support/cases/new/",
        {
            "school": world.school_a.pk,
            "areas_of_need": [reading.pk],
            "description": "Reading results fell",
            "urgency": "soon",
        },
    )
    assert response.status_code == 302
    case = SupportCase.objects.get(school=world.school_a)
    assert case.origin == SupportCase.Origin.REQUEST
    assert list(case.areas_of_need.all()) == [reading]
    assert case.alliance == world.alliance_a


def test_a_head_cannot_raise_a_request_for_another_school(world, as_user):
    reading = Expertise.objects.get_or_create(name="KS2 reading")[0]
    response = as_user("head_a").post(
        "/support/cases/new/",
        {
            "school": world.school_b.pk,
            "areas_of_need": [reading.pk],
            "description": "x",
            "urgency": "soon",
        },
    )
    assert response.status_code == 200
    assert "Error: " in response.content.decode()
    assert not SupportCase.objects.exists()


def test_the_list_filters_by_step_and_past_target(world, officer, as_user):
    provider_create()
    late, early = case_open(world.school_a, officer), case_open(world.school_b, officer)
    backdate(late, 40)
    advance(early, "contact", officer)
    client = as_user("officer")
    by_step = client.get("/support/cases/?step=diagnosis").context["page"]
    assert [c.pk for c in by_step] == [early.pk]
    overdue = client.get("/support/cases/?overdue=1").context["page"]
    assert [c.pk for c in overdue] == [late.pk]
    assert "Past target" in client.get("/support/cases/").content.decode()


def test_the_worklist_shows_cases_to_diagnose_and_past_target_to_their_alliance_chair(
    world, officer, alliance_chair, head_a
):
    backdate(case_open(world.school_a, officer), 40)
    case_open(world.school_b, officer)
    items = {item.label: item for item in worklist_for(user=alliance_chair)}
    assert items["Support cases to diagnose"].count == 1
    assert items["Support cases past the target"].overdue == 1
    assert worklist_for(user=head_a) == []


def test_the_home_page_lists_cases_waiting_for_an_officer(world, officer, as_user):
    case_open(world.school_a, officer)
    page = as_user("officer").get("/").content.decode()
    assert "Support cases to diagnose" in page


def bulk_cases(count: int, alliance_school) -> None:
    schools = School.objects.bulk_create(SchoolFactory.build_batch(count))
    now = timezone.now()
    SupportCase.objects.bulk_create(
        SupportCase(
            school=school,
            origin="categorisation",
            alliance_id=alliance_school.pk,
            requested_at=now - timedelta(days=(i * 7) % 60),
        )
        for i, school in enumerate(schools)
    )


@pytest.mark.parametrize("count", [20, 2000])
@pytest.mark.parametrize("persona", ["officer", "alliance_chair"])
def test_the_case_list_runs_a_fixed_number_of_queries(
    world, as_user, django_assert_max_num_queries, count, persona
):
    bulk_cases(count, world.alliance_a)
    client = as_user(persona)
    with django_assert_max_num_queries(12):
        response = client.get("/support/cases/?overdue=1&state=open")
    assert response.context["page"].paginator.count > 0


@pytest.mark.parametrize("count", [20, 2000])
def test_the_api_list_time_to_support_and_worklist_run_a_fixed_number_of_queries(
    world, as_user, officer, django_assert_max_num_queries, count
):
    bulk_cases(count, world.alliance_a)
    client = as_user("officer")
    with django_assert_max_num_queries(12):
        assert client.get("/api/cases/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/support/cases/time-to-support/").status_code == 200
    # every app's sources together (cases, engagements, the fund, meetings), whatever the count
    with django_assert_max_num_queries(17):
        worklist_for(user=officer)


def test_the_commission_page_asks_for_the_boards_decision_above_the_limit(case, officer, as_user):
    from decimal import Decimal

    advance(case, "terms", officer, cost=Decimal("18000"))
    client = as_user("alliance_chair")
    response = client.post(f"/support/cases/{case.pk}/tasks/commission/", {})
    page = response.content.decode()
    assert "The cost, £18,000.00, is above £15,000.00" in page
    assert "<title>Error: " in page
    response = client.post(
        f"/support/cases/{case.pk}/tasks/commission/", {"decision_reference": "SSIB 2026/3"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.commissioned_at is not None


def test_an_officer_chooses_a_provider_outside_the_list_on_the_page(case, officer, as_user):
    advance(case, "diagnosis", officer)
    other = provider_create("Outside Provider")
    response = as_user("officer").post(
        f"/support/cases/{case.pk}/tasks/provider/", {"other": other.pk, "reason": "Local expert"}
    )
    assert response.status_code == 302
    assert case.engagements.get().provider == other
