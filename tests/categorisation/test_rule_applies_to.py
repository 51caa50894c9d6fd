"""Which schools an indicator or trigger applies to: validated with messages a user can act on,
read in plain English, and edited in the rule editor's forms."""

from __future__ import annotations

import copy
import re

import pytest

from categorisation.default_rules import DEFAULT_DEFINITION
from categorisation.rule_text import indicator_text, trigger_text
from tests.categorisation.test_definition import problems
from tests.categorisation.test_rule_editor import definition_of, page_form
from tests.categorisation.test_rule_pages import rule_sets_create

KS2_SCHOOLS = {"type_groups": ["la_maintained", "academy", "free_school"], "key_stage": "ks2"}


def with_applies_to(applies, *, where: str = "indicators") -> dict:
    definition = copy.deepcopy(DEFAULT_DEFINITION)
    definition[where][0]["applies_to"] = applies
    return definition


def test_a_rule_that_applies_to_some_schools_is_valid():
    assert problems(with_applies_to(KS2_SCHOOLS)) == []
    assert problems(with_applies_to({"phases": ["primary"]}, where="triggers")) == []


@pytest.mark.parametrize(
    ("applies", "message"),
    [
        (
            {"phases": ["infant"]},
            "Indicator 'ks2_rwm_national': 'infant' is not a school phase (choose from nursery, "
            "primary, first, middle, secondary, 16_plus, all_through, not_applicable)",
        ),
        (
            {"type_groups": ["private"]},
            "Indicator 'ks2_rwm_national': 'private' is not a school type (choose from "
            "la_maintained, academy, free_school, special, alternative_provision, nursery)",
        ),
        ({"key_stage": "ks3"}, "Indicator 'ks2_rwm_national': the key stage must be ks2 or ks4"),
        (
            {"ages": [4, 11]},
            "Indicator 'ks2_rwm_national': 'applies to' can only say phases, type_groups and "
            "key_stage, not ages",
        ),
        (
            ["primary"],
            "Indicator 'ks2_rwm_national': 'applies to' must say phases, type groups or a key "
            "stage",
        ),
    ],
)
def test_an_unknown_applies_to_is_refused_with_what_to_choose(applies, message):
    assert problems(with_applies_to(applies)) == [message]


def test_latest_published_must_be_true_or_false():
    definition = copy.deepcopy(DEFAULT_DEFINITION)
    definition["indicators"][0]["latest_published"] = "yes"
    assert problems(definition) == [
        "Indicator 'ks2_rwm_national': 'latest published year only' must be true or false"
    ]


def test_the_rule_page_says_which_schools_an_indicator_applies_to():
    indicator = with_applies_to(KS2_SCHOOLS)["indicators"][0]
    assert indicator_text(indicator, {}).endswith(
        ". Applies only to schools whose age range reaches the end of key stage 2 (Year 6), of "
        "type LA maintained, Academy or Free school; not applicable to others"
    )
    everyone = DEFAULT_DEFINITION["indicators"][0]
    assert "Applies only" not in indicator_text(everyone, {})


def test_the_rule_page_says_which_schools_a_trigger_applies_to_and_a_latest_published_year():
    trigger = with_applies_to({"phases": ["primary", "first"]}, where="triggers")["triggers"][0]
    assert trigger_text(trigger, {}, {}).endswith(
        ". Applies only to schools in the primary or first phase; not applicable to others"
    )
    p8 = {**DEFAULT_DEFINITION["indicators"][5], "latest_published": True}
    assert "(KS4_P8MEA) in its latest published year only compared with" in indicator_text(p8, {})


@pytest.fixture
def draft(world, officer):
    return rule_sets_create(by=officer)[1]


def test_officer_limits_an_indicator_to_schools_that_reach_the_end_of_ks2(as_user, draft):
    client = as_user("officer")
    url = f"/categorisation/rules/{draft.pk}/indicators/1/"
    data = page_form(client, url)
    data |= {
        "applies_type_groups": ["la_maintained", "academy", "free_school"],
        "applies_key_stage": "ks2",
    }
    assert client.post(url, data).status_code == 302
    assert definition_of(draft)["indicators"][0]["applies_to"] == KS2_SCHOOLS
    assert page_form(client, url)["applies_key_stage"] == "ks2"
    page = client.get(url).content.decode()
    ticked = re.findall(r'name="applies_type_groups"[^>]*?value="(\w+)"\s+checked', page)
    assert ticked == ["la_maintained", "academy", "free_school"]


def test_unticking_everything_makes_an_indicator_apply_to_every_school_again(as_user, draft):
    client = as_user("officer")
    url = f"/categorisation/rules/{draft.pk}/indicators/1/"
    data = page_form(client, url) | {"applies_phases": ["primary"]}
    client.post(url, data)
    assert definition_of(draft)["indicators"][0]["applies_to"] == {"phases": ["primary"]}
    data = {k: v for k, v in page_form(client, url).items() if not k.startswith("applies_")}
    assert client.post(url, data).status_code == 302
    assert "applies_to" not in definition_of(draft)["indicators"][0]


def test_officer_limits_a_trigger_to_some_types_of_school(as_user, draft):
    client = as_user("officer")
    url = f"/categorisation/rules/{draft.pk}/triggers/1/"
    data = page_form(client, url) | {"applies_type_groups": ["special"]}
    assert client.post(url, data).status_code == 302
    assert definition_of(draft)["triggers"][0]["applies_to"] == {"type_groups": ["special"]}


def test_an_unless_condition_is_validated_and_read_in_plain_english():
    definition = copy.deepcopy(DEFAULT_DEFINITION)
    definition["indicators"][0]["unless"] = [{"measure": "OFSTED_OE", "op": "eq"}]
    assert problems(definition) == [
        "Indicator 'ks2_rwm_national': 'eq' on OFSTED_OE needs a number to compare with"
    ]
    indicator = {
        **DEFAULT_DEFINITION["indicators"][0],
        "unless": [{"measure": "OFSTED_OE", "op": "eq", "value": 4}],
    }
    assert "Not used for a school where OFSTED_OE (not in the measure catalogue) is 4" in (
        indicator_text(indicator, {})
    )
