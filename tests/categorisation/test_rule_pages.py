"""The rule set pages: who may see them, the plain-English reading, copy, adopt and what-if."""

import pytest
from django.utils import timezone

from categorisation import rule_views
from categorisation.default_rules import default_definition
from categorisation.measures import measures_ensure
from categorisation.models import (
    DataRelease,
    Measure,
    MeasureValue,
    RuleSet,
    RuleSetStatus,
    Run,
    Source,
)

BOARD_AND_OFFICERS = ["officer", "board_chair", "board_member"]
NOT_BOARD = ["alliance_chair", "cluster_lead", "head_a", "head_b", "provider", "no_role"]

DEFINITION = {
    "categories": [
        {"code": "1", "label": "Universal support", "min_score": 0, "focused": False},
        {"code": "2", "label": "Monitor", "min_score": 3, "focused": False},
        {"code": "3", "label": "Focused support", "min_score": 6, "focused": True},
        {"code": "4", "label": "Intensive support", "min_score": 10, "focused": True},
    ],
    "support_bands": [
        {"band": "low", "min_score": 0},
        {"band": "medium", "min_score": 9},
        {"band": "high", "min_score": 12},
    ],
    "min_cohort": 11,
    "year_weights": [3, 2, 1],
    "min_indicators": 2,
    "indicators": [
        {
            "code": "ks2_rwm",
            "label": "KS2 reading, writing and maths at the expected standard",
            "measure": "KS2_PTRWM_EXP",
            "comparison": "threshold",
            "bands": [
                {"below": 65, "points": 3, "label": "Below the former floor (65%)"},
                {"below": 85, "points": 1, "label": "Below the former coasting level (85%)"},
            ],
        }
    ],
    "triggers": [
        {
            "code": "ofsted_inadequate",
            "label": "Inadequate at the latest graded inspection",
            "all_of": [[{"measure": "OFSTED_OE", "op": "eq", "value": 4}]],
            "min_category": "4",
            "support_band": "high",
        }
    ],
}


def rule_sets_create(*, by) -> tuple[RuleSet, RuleSet]:
    """Version 1 adopted and version 2, a draft copied from it, straight into the database."""
    measures_ensure()
    adopted = RuleSet.objects.create(
        name="Partnership default rules",
        version=1,
        status=RuleSetStatus.ADOPTED,
        definition=DEFINITION,
        created_by=by,
        adopted_by=by,
        adopted_at=timezone.now(),
    )
    draft = RuleSet.objects.create(
        name="Partnership default rules",
        version=2,
        definition=DEFINITION,
        based_on=adopted,
        created_by=by,
    )
    return adopted, draft


@pytest.fixture
def rule_sets(world, officer):
    return rule_sets_create(by=officer)


@pytest.fixture
def adopted(rule_sets):
    return rule_sets[0]


@pytest.fixture
def draft(rule_sets):
    return rule_sets[1]


@pytest.mark.parametrize("persona", BOARD_AND_OFFICERS)
def test_officers_and_the_board_see_every_version_of_the_rules(
    as_user, persona, draft, django_assert_max_num_queries
):
    client = as_user(persona)
    with django_assert_max_num_queries(12):
        response = client.get("/categorisation/rules/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Version 1" in page and "Version 2" in page
    assert "Adopted" in page and "Draft" in page
    assert str(draft.created_by) in page


@pytest.mark.parametrize("persona", BOARD_AND_OFFICERS)
def test_officers_and_the_board_can_read_a_rule_set(as_user, persona, adopted):
    response = as_user(persona).get(f"/categorisation/rules/{adopted.pk}/")
    assert response.status_code == 200


@pytest.mark.parametrize("persona", NOT_BOARD)
def test_other_roles_cannot_see_the_rules(as_user, persona, draft):
    client = as_user(persona)
    assert client.get("/categorisation/rules/").status_code == 403
    assert client.get(f"/categorisation/rules/{draft.pk}/").status_code == 403
    assert client.get(f"/categorisation/rules/{draft.pk}/settings/").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, draft):
    response = client.get(f"/categorisation/rules/{draft.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_rule_set_reads_in_plain_english(as_user, adopted):
    page = as_user("board_member").get(f"/categorisation/rules/{adopted.pk}/").content.decode()
    assert (
        "KS2 reading, writing and maths at the expected standard (KS2_PTRWM_EXP) compared with "
        "a fixed threshold: below 65% 3 points; below 85% 1 point"
    ) in page
    assert (
        "If Ofsted overall effectiveness at the latest graded inspection (OFSTED_OE) is 4, "
        "at least category 4 (Intensive support, high support)"
    ) in page
    assert "Score 6 to under 10" in page and "Score 10 or more" in page
    assert "3, 2, 1, newest first" in page
    assert "fewer than 11 eligible pupils" in page


def test_officer_on_a_draft_can_try_copy_change_and_adopt(as_user, draft):
    page = as_user("officer").get(f"/categorisation/rules/{draft.pk}/").content.decode()
    for action in ["Try it: what-if run", "Copy to a new draft", "Adopt", "Add an indicator"]:
        assert action in page
    assert f"/categorisation/rules/{draft.pk}/settings/" in page


def test_board_member_reads_a_draft_without_any_actions(as_user, draft):
    page = as_user("board_member").get(f"/categorisation/rules/{draft.pk}/").content.decode()
    for action in ["Try it: what-if run", "Copy to a new draft", ">Adopt<", "Add an indicator"]:
        assert action not in page


def test_board_chair_is_offered_adopt_but_not_edit(as_user, draft):
    page = as_user("board_chair").get(f"/categorisation/rules/{draft.pk}/").content.decode()
    assert f"/categorisation/rules/{draft.pk}/adopt/" in page
    assert "Add an indicator" not in page and "Copy to a new draft" not in page


def test_an_adopted_rule_set_offers_only_a_copy(as_user, adopted):
    page = as_user("officer").get(f"/categorisation/rules/{adopted.pk}/").content.decode()
    assert "Copy to a new draft" in page
    assert "Try it: what-if run" not in page and "Add an indicator" not in page
    assert f"/categorisation/rules/{adopted.pk}/adopt/" not in page
    assert "so it cannot be changed" in page


# Copy --------------------------------------------------------------------------------------------


def test_officer_copies_a_rule_set_to_the_next_version_as_a_draft(as_user, officer, draft):
    response = as_user("officer").post(f"/categorisation/rules/{draft.pk}/copy/")
    copy = RuleSet.objects.get(version=3)
    assert response.status_code == 302
    assert response["Location"] == f"/categorisation/rules/{copy.pk}/"
    assert copy.status == RuleSetStatus.DRAFT
    assert copy.based_on == draft
    assert copy.definition == draft.definition
    assert copy.created_by == officer


@pytest.mark.parametrize("persona", ["board_chair", "board_member", "head_a"])
def test_only_officers_can_copy_a_rule_set(as_user, persona, draft):
    assert as_user(persona).post(f"/categorisation/rules/{draft.pk}/copy/").status_code == 403
    assert not RuleSet.objects.filter(version=3).exists()


def test_copy_needs_a_post(as_user, draft):
    assert as_user("officer").get(f"/categorisation/rules/{draft.pk}/copy/").status_code == 405


# Adopt -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["officer", "board_chair"])
def test_adopting_asks_first_and_warns_it_retires_the_current_rules(as_user, persona, draft):
    response = as_user(persona).get(f"/categorisation/rules/{draft.pk}/adopt/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Adopt version 2?" in page
    assert "This retires version 1" in page
    assert "starts a categorisation run" in page
    draft.refresh_from_db()
    assert draft.status == RuleSetStatus.DRAFT


@pytest.mark.parametrize("persona", ["officer", "board_chair"])
def test_officer_or_board_chair_adopts_a_draft(as_user, persona, adopted, draft, request):
    response = as_user(persona).post(f"/categorisation/rules/{draft.pk}/adopt/")
    assert response.status_code == 302
    draft.refresh_from_db()
    adopted.refresh_from_db()
    assert draft.status == RuleSetStatus.ADOPTED
    assert draft.adopted_by == request.getfixturevalue(persona)
    assert adopted.status == RuleSetStatus.RETIRED
    assert Run.objects.filter(rule_set=draft, purpose=Run.Purpose.OFFICIAL).exists()


@pytest.mark.parametrize("persona", ["board_member", "alliance_chair", "head_a"])
def test_others_cannot_adopt_rules(as_user, persona, adopted, draft):
    client = as_user(persona)
    assert client.get(f"/categorisation/rules/{draft.pk}/adopt/").status_code == 403
    assert client.post(f"/categorisation/rules/{draft.pk}/adopt/").status_code == 403
    draft.refresh_from_db()
    adopted.refresh_from_db()
    assert draft.status == RuleSetStatus.DRAFT
    assert adopted.status == RuleSetStatus.ADOPTED
    assert not Run.objects.exists()


def test_an_adopted_rule_set_cannot_be_adopted_again(as_user, adopted):
    response = as_user("officer").post(f"/categorisation/rules/{adopted.pk}/adopt/")
    assert response.status_code == 403
    assert "Only a draft can be adopted" in response.content.decode()
    assert not Run.objects.exists()


def test_a_draft_with_problems_cannot_be_adopted(as_user, adopted, draft):
    draft.definition = {**DEFINITION, "categories": []}
    draft.save()
    response = as_user("officer").post(f"/categorisation/rules/{draft.pk}/adopt/")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("Add at least one category") >= 1
    assert "<title>Error: " in page
    draft.refresh_from_db()
    assert draft.status == RuleSetStatus.DRAFT
    assert not Run.objects.exists()


# What-if -----------------------------------------------------------------------------------------


def test_officer_tries_a_draft_in_a_what_if_run(as_user, officer, draft):
    response = as_user("officer").post(f"/categorisation/rules/{draft.pk}/what-if/")
    run = Run.objects.get(rule_set=draft)
    assert run.purpose == Run.Purpose.WHAT_IF
    assert run.created_by == officer
    assert response.status_code == 302
    assert response["Location"] == f"/categorisation/runs/{run.pk}/"
    draft.refresh_from_db()
    assert draft.status == RuleSetStatus.DRAFT


@pytest.mark.parametrize("persona", ["board_chair", "board_member", "alliance_chair"])
def test_only_officers_start_what_if_runs(as_user, persona, draft):
    assert as_user(persona).post(f"/categorisation/rules/{draft.pk}/what-if/").status_code == 403
    assert not Run.objects.exists()


def test_an_adopted_rule_set_is_not_tried_in_a_what_if_run(as_user, adopted):
    assert (
        as_user("officer").post(f"/categorisation/rules/{adopted.pk}/what-if/").status_code == 403
    )
    assert not Run.objects.exists()


@pytest.mark.parametrize("status", [RuleSetStatus.ADOPTED, RuleSetStatus.RETIRED])
def test_the_page_says_only_a_draft_can_be_tried_in_a_what_if_run(as_user, rule_sets, status):
    adopted, draft = rule_sets
    if status == RuleSetStatus.RETIRED:
        RuleSet.objects.filter(pk=adopted.pk).update(status=RuleSetStatus.RETIRED)
    response = as_user("officer").post(f"/categorisation/rules/{adopted.pk}/what-if/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "Version 1 cannot be tried in a what-if run" in page
    assert (
        f"Version 1 is {status.label.lower()}. Only a draft can be tried in a what-if run." in page
    )
    assert not Run.objects.exists()


def test_a_draft_adopted_after_its_page_was_loaded_is_not_tried(as_user, rule_sets, monkeypatch):
    """The service decides under the row lock, not the status the view loaded."""
    adopted, draft = rule_sets
    loaded = rule_views.rule_set_or_404

    def load_then_adopt(pk):
        rule_set = loaded(pk)
        RuleSet.objects.filter(pk=adopted.pk).update(status=RuleSetStatus.RETIRED)
        RuleSet.objects.filter(pk=draft.pk).update(status=RuleSetStatus.ADOPTED)
        return rule_set

    monkeypatch.setattr(rule_views, "rule_set_or_404", load_then_adopt)
    response = as_user("officer").post(f"/categorisation/rules/{draft.pk}/what-if/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "Version 2 is adopted. Only a draft can be tried in a what-if run." in page
    assert not Run.objects.exists()


def test_a_draft_with_problems_is_not_tried(as_user, draft):
    draft.definition = {**DEFINITION, "indicators": [], "triggers": []}
    draft.save()
    response = as_user("officer").post(f"/categorisation/rules/{draft.pk}/what-if/", follow=True)
    page = response.content.decode()
    assert "Fix the problems with this draft before you try it" in page
    assert "Add at least one indicator or trigger" in page
    assert not Run.objects.exists()


def _values(world) -> None:
    """School A under the former floor in KS2; school B inadequate at its latest inspection."""
    ks2 = DataRelease.objects.create(source=Source.KS2, academic_year="2018-2019", checksum="a")
    ofsted = DataRelease.objects.create(source=Source.OFSTED, checksum="b")
    measures = {m.code: m for m in Measure.objects.filter(code__in=["KS2_PTRWM_EXP", "OFSTED_OE"])}
    MeasureValue.objects.create(
        school=world.school_a,
        measure=measures["KS2_PTRWM_EXP"],
        academic_year="2018-2019",
        release=ks2,
        value=60,
    )
    MeasureValue.objects.create(
        school=world.school_b,
        measure=measures["OFSTED_OE"],
        academic_year="2025-2026",
        release=ofsted,
        value=4,
    )


def test_a_what_if_run_categorises_with_the_draft_and_leaves_the_adopted_rules(
    as_user, world, adopted, draft, django_capture_on_commit_callbacks
):
    _values(world)
    with django_capture_on_commit_callbacks(execute=True):
        as_user("officer").post(f"/categorisation/rules/{draft.pk}/what-if/")
    run = Run.objects.get(rule_set=draft)
    assert run.state == Run.State.SUCCEEDED, run.error
    inadequate = run.results.get(school=world.school_b)
    assert (inadequate.computed_category, inadequate.computed_support_band) == ("4", "high")
    adopted.refresh_from_db()
    assert adopted.status == RuleSetStatus.ADOPTED


def test_adopting_takes_the_user_to_the_new_categorisation_run(as_user, draft):
    response = as_user("board_chair").post(f"/categorisation/rules/{draft.pk}/adopt/")
    run = Run.objects.get(rule_set=draft)
    assert response["Location"] == f"/categorisation/runs/{run.pk}/"
    assert run.purpose == Run.Purpose.OFFICIAL


# Starting from the default rules -----------------------------------------------------------------


def test_officer_starts_a_draft_from_the_default_rules(as_user, officer, adopted, draft):
    response = as_user("officer").post("/categorisation/rules/new/")
    new = RuleSet.objects.get(version=3)
    assert response["Location"] == f"/categorisation/rules/{new.pk}/"
    assert new.status == RuleSetStatus.DRAFT and new.based_on is None
    assert new.definition == default_definition()


@pytest.mark.parametrize("persona", ["board_chair", "board_member"])
def test_only_officers_start_a_draft_from_the_default_rules(as_user, persona, draft):
    assert as_user(persona).post("/categorisation/rules/new/").status_code == 403
    assert not RuleSet.objects.filter(version=3).exists()
