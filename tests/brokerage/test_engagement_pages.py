"""Engagement pages, from both sides of each rule: who sees the list and an engagement, who
changes terms and objectives, commissions, logs progress, reviews and decides."""
# ruff: noqa: F811 - the fixtures imported from engagement_world are redefined as arguments

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from brokerage.models import Engagement, ProgressNote
from tests.brokerage.engagement_world import (  # noqa: F401 - fixtures
    commissioned_a,
    engagement_a,
    engagement_b,
)

pytestmark = pytest.mark.django_db


def _url(name: str, engagement, *more) -> str:
    return reverse(f"brokerage:{name}", args=[engagement.pk, *more])


@pytest.mark.parametrize(
    ("persona", "sees_a", "sees_b"),
    [
        ("officer", True, True),
        ("board_member", True, True),
        ("alliance_chair", True, False),
        ("head_a", True, False),
        ("head_b", False, True),
        ("provider", True, False),
    ],
)
def test_the_list_shows_only_the_engagements_the_role_allows(
    as_user, engagement_a, engagement_b, persona, sees_a, sees_b
):
    response = as_user(persona).get(reverse("brokerage:engagement-list"))
    assert response.status_code == 200
    listed = {e.pk for e in response.context["page"].object_list}
    assert (engagement_a.pk in listed, engagement_b.pk in listed) == (sees_a, sees_b)


@pytest.mark.parametrize("persona", ["no_role"])
def test_someone_with_no_role_cannot_see_the_list(as_user, engagement_a, persona):
    assert as_user(persona).get(reverse("brokerage:engagement-list")).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(as_user, engagement_a):
    response = as_user("anonymous").get(_url("engagement-detail", engagement_a))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("officer", 200),
        ("alliance_chair", 200),
        ("head_a", 200),
        ("provider", 200),
        ("head_b", 404),
        ("cluster_lead", 404),
        ("no_role", 404),
    ],
)
def test_an_engagement_page_is_shown_only_to_those_who_may_see_it(
    as_user, engagement_a, persona, status
):
    assert as_user(persona).get(_url("engagement-detail", engagement_a)).status_code == status


def test_a_head_reads_their_schools_objectives_and_reviews_but_has_no_actions(
    as_user, commissioned_a
):
    response = as_user("head_a").get(_url("engagement-detail", commissioned_a))
    body = response.content.decode()
    assert "Objective 1: improve KS2 reading" in body
    assert not any(
        response.context[key]
        for key in ("can_change_terms", "can_commission", "can_review", "can_decide", "can_log")
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [("officer", 200), ("alliance_chair", 200), ("head_a", 403), ("provider", 403)],
)
def test_only_the_officer_or_alliance_chair_change_terms(as_user, engagement_a, persona, status):
    assert as_user(persona).get(_url("engagement-terms", engagement_a)).status_code == status


def test_terms_accept_pounds_written_with_a_pound_sign_and_commas(as_user, engagement_a):
    response = as_user("alliance_chair").post(
        _url("engagement-terms", engagement_a),
        {"days": "12.5", "cost": "£1,250.50", "review_every_weeks": "4"},
    )
    assert response.status_code == 302
    engagement_a.refresh_from_db()
    assert (engagement_a.days, engagement_a.cost) == (Decimal("12.5"), Decimal("1250.50"))
    assert engagement_a.review_every_weeks == 4


def test_terms_with_fractions_of_a_penny_are_refused_with_an_error_summary(as_user, engagement_a):
    response = as_user("officer").post(
        _url("engagement-terms", engagement_a),
        {"days": "5", "cost": "100.005", "review_every_weeks": "6"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in body
    assert "Enter an amount in pounds and pence" in body


def test_the_alliance_chair_of_another_alliance_cannot_commission(as_user, engagement_b):
    assert (
        as_user("alliance_chair").get(_url("engagement-commission", engagement_b)).status_code
        == 404
    )


def _commission_step(engagement) -> str:
    return reverse("brokerage:case-task", args=[engagement.case_id, "commission"])


def test_the_engagement_pages_commission_button_leads_to_the_cases_one_commission_step(
    as_user, engagement_a
):
    page = as_user("officer").get(_url("engagement-detail", engagement_a)).content.decode()
    assert f'href="{_commission_step(engagement_a)}">Commission support' in page
    response = as_user("officer").get(_url("engagement-commission", engagement_a))
    assert response.status_code == 302
    assert response.url == _commission_step(engagement_a)


@pytest.mark.parametrize(
    ("persona", "status"), [("alliance_chair", 302), ("head_a", 403), ("provider", 403)]
)
def test_commissioning_is_for_the_officer_or_alliance_chair(as_user, engagement_a, persona, status):
    response = as_user(persona).post(_commission_step(engagement_a), {"decision_reference": ""})
    assert response.status_code == status
    engagement_a.refresh_from_db()
    assert (engagement_a.state == Engagement.State.COMMISSIONED) == (status == 302)
    if status == 302:
        engagement_a.case.refresh_from_db()
        assert engagement_a.case.commissioned_at == engagement_a.commissioned_at


def test_commissioning_without_an_objective_is_refused(as_user, engagement_a):
    engagement_a.objectives.all().delete()
    response = as_user("officer").post(_commission_step(engagement_a), {"decision_reference": ""})
    assert "cannot start yet: agree objectives, days and cost first" in response.content.decode()
    engagement_a.refresh_from_db()
    assert engagement_a.state == Engagement.State.PROPOSED


def test_deleting_an_objective_with_progress_shows_why_it_cannot(as_user, commissioned_a, provider):
    objective = commissioned_a.objectives.get()
    ProgressNote.objects.create(engagement=commissioned_a, objective=objective, note="Visit")
    response = as_user("officer").post(_url("objective-delete", commissioned_a, objective.pk))
    assert "cannot be deleted because progress has been recorded" in response.content.decode()
    assert commissioned_a.objectives.filter(pk=objective.pk).exists()


def test_the_alliance_chair_adds_an_objective_linked_to_nothing(as_user, engagement_a):
    response = as_user("alliance_chair").post(
        _url("objective-create", engagement_a),
        {"description": "Improve writing", "impact_measure": "Book scrutiny", "measure": ""},
    )
    assert response.status_code == 302
    assert engagement_a.objectives.filter(description="Improve writing").exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("provider", 302), ("officer", 302), ("alliance_chair", 403), ("head_a", 403)],
)
def test_the_provider_logs_progress(as_user, commissioned_a, persona, status):
    response = as_user(persona).post(
        _url("progress-create", commissioned_a),
        {"note": "Modelled guided reading in Year 5", "objective": ""},
    )
    assert response.status_code == status
    assert commissioned_a.progress_notes.exists() == (status == 302)


def _review_post(engagement) -> dict:
    today = timezone.localdate()
    data = {
        "reviewed_on_0": today.day,
        "reviewed_on_1": today.month,
        "reviewed_on_2": today.year,
        "overall": "green",
        "judgement": "On track",
        "notes": "",
    }
    for objective in engagement.objectives.all():
        data[f"rating_{objective.pk}"] = "amber"
    return data


@pytest.mark.parametrize(
    ("persona", "status"),
    [("alliance_chair", 302), ("officer", 302), ("provider", 403), ("head_a", 403)],
)
def test_the_alliance_chair_or_officer_records_a_review(as_user, commissioned_a, persona, status):
    response = as_user(persona).post(
        _url("review-create", commissioned_a), _review_post(commissioned_a)
    )
    assert response.status_code == status
    if status == 302:
        review = commissioned_a.reviews.get()
        assert list(review.ratings.values_list("rating", flat=True)) == ["amber"]


def test_a_review_without_a_rating_for_each_objective_shows_the_error(as_user, commissioned_a):
    data = _review_post(commissioned_a)
    data = {k: v for k, v in data.items() if not k.startswith("rating_")}
    response = as_user("officer").post(_url("review-create", commissioned_a), data)
    assert "Choose a rating for objective 1" in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"), [("alliance_chair", 302), ("provider", 403), ("head_a", 403)]
)
def test_the_impact_decision_is_for_the_alliance_chair_or_officer(
    as_user, commissioned_a, persona, status
):
    response = as_user(persona).post(
        _url("impact-decide", commissioned_a), {"decision": "complete", "reason": "Targets met"}
    )
    assert response.status_code == status
    commissioned_a.refresh_from_db()
    assert (commissioned_a.state == Engagement.State.COMPLETED) == (status == 302)


def test_an_impact_decision_without_a_reason_is_refused(as_user, commissioned_a):
    response = as_user("officer").post(_url("impact-decide", commissioned_a), {"decision": "stop"})
    assert "Enter the reason for the decision" in response.content.decode()


def test_email_preferences_turn_the_digest_off(as_user, officer):
    client = as_user("officer")
    assert client.get(reverse("brokerage:email-preferences")).status_code == 200
    client.post(reverse("brokerage:email-preferences"), {"weekly_digest": "no"})
    assert officer.notification_preference.weekly_digest is False


def test_the_audit_trail_shows_engagement_changes_and_reviews(as_user, commissioned_a, officer):
    from brokerage.engagement_services import progress_review_record

    progress_review_record(
        engagement=commissioned_a,
        by=officer,
        reviewed_on=timezone.localdate(),
        overall="red",
        judgement="Behind",
        ratings={o.pk: "red" for o in commissioned_a.objectives.all()},
    )
    client = as_user("officer")
    engagements = client.get(reverse("board:audit"), {"kind": "engagement"})
    assert engagements.status_code == 200
    assert f"Engagement {commissioned_a.pk}: Provider for Ashdown Primary School" in (
        engagements.content.decode()
    )
    reviews = client.get(reverse("board:audit"), {"kind": "progress_review"})
    assert f"Review of engagement {commissioned_a.pk}" in reviews.content.decode()


ACTION_PAGES = [
    "engagement-terms",
    "engagement-commission",
    "objective-create",
    "objective-edit",
    "objective-delete",
    "progress-create",
    "review-create",
    "impact-decide",
]


def _action_url(name: str, engagement) -> str:
    if name.startswith("objective-") and name != "objective-create":
        return _url(name, engagement, engagement.objectives.first().pk)
    return _url(name, engagement)


@pytest.mark.parametrize("name", ACTION_PAGES)
def test_every_action_page_is_refused_to_the_head_and_hidden_from_other_schools(
    as_user, engagement_a, commissioned_a, name
):
    assert as_user("head_a").get(_action_url(name, commissioned_a)).status_code == 403
    assert as_user("head_b").get(_action_url(name, commissioned_a)).status_code == 404


@pytest.mark.parametrize(
    ("name", "proposed", "commissioned"),
    [
        ("engagement-terms", 200, 403),
        ("engagement-commission", 302, 403),
        ("objective-create", 200, 200),
        ("review-create", 403, 200),
        ("impact-decide", 403, 200),
    ],
)
def test_the_officer_sees_each_action_only_in_the_state_it_belongs_to(
    as_user, world, officer, name, proposed, commissioned
):
    from brokerage.engagements import engagement_commission
    from tests.brokerage.engagement_world import engagement_make

    draft = engagement_make(school=world.school_a, alliance=world.alliance_a)
    running = engagement_commission(
        engagement=engagement_make(school=world.school_b, alliance=world.alliance_b), by=officer
    )
    client = as_user("officer")
    assert client.get(_action_url(name, draft)).status_code == proposed
    assert client.get(_action_url(name, running)).status_code == commissioned


def test_someone_who_keeps_a_provider_entry_sees_their_engagements_without_a_role(client, world):
    from partnership.models import User
    from tests.brokerage.engagement_world import engagement_make

    person = User.objects.create_user(email="nle@example.org", password="x")
    mine = engagement_make(school=world.school_b, alliance=world.alliance_b, person=person)
    engagement_make(school=world.school_a, alliance=world.alliance_a)
    client.force_login(person)
    response = client.get(reverse("brokerage:engagement-list"))
    assert [e.pk for e in response.context["page"].object_list] == [mine.pk]


def test_extending_on_the_page_records_the_extra_days_and_cost(as_user, commissioned_a):
    response = as_user("alliance_chair").post(
        _url("impact-decide", commissioned_a),
        {
            "decision": "extend",
            "reason": "Writing needs another term",
            "extra_days": "3",
            "extra_cost": "£1,500",
        },
    )
    assert response.status_code == 302
    commissioned_a.refresh_from_db()
    assert (commissioned_a.days, commissioned_a.cost) == (Decimal(13), Decimal("6500.00"))
    assert commissioned_a.variations.get().reason == "Writing needs another term"


def test_extending_on_the_page_without_extra_days_or_cost_says_what_to_enter(
    as_user, commissioned_a
):
    response = as_user("officer").post(
        _url("impact-decide", commissioned_a), {"decision": "extend", "reason": "More"}
    )
    assert "Enter the extra days or the extra cost of the extension" in response.content.decode()
    assert not commissioned_a.variations.exists()
