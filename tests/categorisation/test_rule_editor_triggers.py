"""The form editor for draft rules, triggers; and the rules of editing: only drafts change, only
officers change them, a page saved unchanged changes nothing, and a stale page cannot undo
someone else's change."""

import copy

import pytest

from categorisation.measures import measures_ensure
from categorisation.models import RuleSet
from categorisation.runs import rule_set_create_draft
from tests.categorisation.test_rule_editor import definition_of, error_summary, page_form
from tests.categorisation.test_rule_pages import DEFINITION, rule_sets_create


@pytest.fixture
def rule_sets(world, officer):
    return rule_sets_create(by=officer)


@pytest.fixture
def adopted(rule_sets):
    return rule_sets[0]


@pytest.fixture
def draft(rule_sets):
    return rule_sets[1]


# Triggers ----------------------------------------------------------------------------------------


def test_officer_writes_a_trigger_with_alternatives_and_a_second_group(as_user, draft):
    client = as_user("officer")
    url = f"/categorisation/rules/{draft.pk}/triggers/add/"
    data = page_form(client, url)
    data.update(
        {
            "code": "stuck",
            "label": "Below good twice",
            "min_category": "3",
            "support_band": "medium",
            "conditions-0-group": "1",
            "conditions-0-measure": "OFSTED_OE",
            "conditions-0-op": "gte",
            "conditions-0-value": "3",
            "conditions-1-group": "1",
            "conditions-1-measure": "OFSTED_CONCERN",
            "conditions-1-op": "in",
            "conditions-1-texts": "Serious weaknesses; Special measures",
            "conditions-2-group": "2",
            "conditions-2-measure": "OFSTED_OE_PREVIOUS",
            "conditions-2-op": "gte",
            "conditions-2-value": "3",
        }
    )
    assert client.post(url, data).status_code == 302
    trigger = definition_of(draft)["triggers"][1]
    assert trigger == {
        "code": "stuck",
        "label": "Below good twice",
        "min_category": "3",
        "support_band": "medium",
        "all_of": [
            [
                {"measure": "OFSTED_OE", "op": "gte", "value": 3},
                {
                    "measure": "OFSTED_CONCERN",
                    "op": "in",
                    "value": ["Serious weaknesses", "Special measures"],
                },
            ],
            [{"measure": "OFSTED_OE_PREVIOUS", "op": "gte", "value": 3}],
        ],
    }
    page = client.get(f"/categorisation/rules/{draft.pk}/").content.decode()
    assert (
        "If (Ofsted overall effectiveness at the latest graded inspection (OFSTED_OE) is at least 3"
        " or In an Ofsted category of concern (OFSTED_CONCERN) is “Serious weaknesses” or "
        "“Special measures”) and Ofsted overall effectiveness at the graded inspection before "
        "the latest (OFSTED_OE_PREVIOUS) is at least 3, at least category 3 (Focused support, "
        "medium support)"
    ) in page


def test_a_condition_without_its_number_is_refused(as_user, draft):
    client = as_user("officer")
    url = f"/categorisation/rules/{draft.pk}/triggers/1/"
    data = page_form(client, url)
    assert data["conditions-0-measure"] == "OFSTED_OE" and data["conditions-0-value"] == "4"
    data["conditions-0-value"] = ""
    page = client.post(url, data).content.decode()
    assert "Condition 1: Enter the number to compare the measure with" in page
    assert definition_of(draft) == DEFINITION


def test_a_trigger_naming_a_missing_category_shows_the_problem(as_user, draft):
    broken = copy.deepcopy(DEFINITION)
    broken["triggers"][0]["min_category"] = "9"
    draft.definition = broken
    draft.save()
    client = as_user("officer")
    url = f"/categorisation/rules/{draft.pk}/triggers/1/"
    data = page_form(client, url)
    assert data["min_category"] == "9"
    data["label"] = "Changed"
    page = client.post(url, data).content.decode()
    assert "the minimum category &#x27;9&#x27; is not one of the categories" in page
    assert definition_of(draft) == broken


def test_a_support_band_on_a_category_without_focused_support_is_refused(as_user, draft):
    client = as_user("officer")
    url = f"/categorisation/rules/{draft.pk}/triggers/1/"
    data = page_form(client, url)
    data["min_category"] = "2"
    page = client.post(url, data).content.decode()
    assert "a support band needs a focused support category" in page
    assert definition_of(draft) == DEFINITION


# Only drafts, only officers ----------------------------------------------------------------------


def _editor_urls(rule_set) -> list[str]:
    base = f"/categorisation/rules/{rule_set.pk}"
    return [
        f"{base}/settings/",
        f"{base}/indicators/add/",
        f"{base}/indicators/1/",
        f"{base}/indicators/1/remove/",
        f"{base}/triggers/add/",
        f"{base}/triggers/1/",
        f"{base}/triggers/1/remove/",
    ]


def test_adopted_rules_are_read_only(as_user, adopted):
    client = as_user("officer")
    for url in _editor_urls(adopted):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Version 1 cannot be changed" in response.content.decode()
        assert client.post(url, {"min_cohort": "1"}).status_code == 403, url
    adopted.refresh_from_db()
    assert adopted.definition == DEFINITION


@pytest.mark.parametrize("persona", ["board_chair", "board_member", "alliance_chair", "head_a"])
def test_only_officers_edit_drafts(as_user, persona, draft):
    client = as_user(persona)
    for url in _editor_urls(draft):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code == 403, url
    assert definition_of(draft) == DEFINITION


def test_officer_reaches_every_editor_page_of_a_draft(as_user, draft):
    client = as_user("officer")
    for url in _editor_urls(draft):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "<title>Error: " not in response.content.decode()
    assert RuleSet.objects.get(pk=draft.pk).definition == DEFINITION


def test_every_editor_page_keeps_the_default_rules_as_they_are(as_user, officer, world):
    """The forms can show everything the default rules use (above-limit bands, fallback
    measures, trends, years back, texts): saving each page unchanged changes nothing."""
    measures_ensure()
    draft = rule_set_create_draft(based_on=None, by=officer)
    original = copy.deepcopy(draft.definition)
    client = as_user("officer")
    base = f"/categorisation/rules/{draft.pk}"
    urls = [f"{base}/settings/"]
    urls += [f"{base}/indicators/{n}/" for n in range(1, len(original["indicators"]) + 1)]
    urls += [f"{base}/triggers/{n}/" for n in range(1, len(original["triggers"]) + 1)]
    for url in urls:
        response = client.post(url, page_form(client, url))
        assert response.status_code == 302, (url, error_summary(response.content.decode()))
        assert definition_of(draft) == original, url


def test_a_change_saved_by_someone_else_meanwhile_is_not_undone(as_user, draft):
    client = as_user("officer")
    url = f"/categorisation/rules/{draft.pk}/settings/"
    data = page_form(client, url)
    meanwhile = copy.deepcopy(DEFINITION)
    meanwhile["min_indicators"] = 3
    RuleSet.objects.filter(pk=draft.pk).update(definition=meanwhile)
    data["min_cohort"] = "5"
    page = client.post(url, data).content.decode()
    assert "Someone else changed these rules while you were editing them" in page
    assert definition_of(draft) == meanwhile
