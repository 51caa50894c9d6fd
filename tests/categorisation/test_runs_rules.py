"""The rule-set services: drafts, saving, adopting (which starts a run), and who may run what."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from categorisation.default_rules import DEFAULT_DEFINITION, DEFAULT_NAME, default_rules_load
from categorisation.models import RuleSet, RuleSetStatus, Run
from categorisation.runs import (
    definition_checksum,
    rule_set_adopt,
    rule_set_create_draft,
    rule_set_save,
    run_create,
    run_create_official,
    run_create_what_if,
)
from tests.categorisation.test_runs import RULES, rules_adopt


@pytest.fixture
def adopted(db) -> RuleSet:
    return rules_adopt()


@pytest.fixture
def draft(adopted, officer) -> RuleSet:
    return rule_set_create_draft(based_on=adopted, by=officer)


def test_a_draft_copies_the_rules_with_the_next_version(adopted, draft, officer):
    assert (draft.version, draft.status, draft.based_on) == (2, RuleSetStatus.DRAFT, adopted)
    assert draft.definition == adopted.definition
    draft.definition["min_cohort"] = 5
    assert adopted.definition["min_cohort"] == 0  # a copy, not the same object
    assert draft.history.get().history_user == officer


def test_a_draft_of_nothing_starts_from_the_default_rules(db, officer):
    draft = rule_set_create_draft(based_on=None, by=officer)
    assert (draft.version, draft.name) == (1, DEFAULT_NAME)
    assert draft.definition == DEFAULT_DEFINITION


def test_saving_a_draft_validates_the_whole_definition(draft, officer):
    broken = {**RULES, "categories": []}
    with pytest.raises(ValidationError) as error:
        rule_set_save(rule_set=draft, definition=broken, by=officer)
    assert error.value.messages == ["Add at least one category"]
    changed = {**RULES, "min_cohort": 11}
    rule_set_save(rule_set=draft, definition=changed, by=officer, name="Stricter rules")
    draft.refresh_from_db()
    assert (draft.definition["min_cohort"], draft.name) == (11, "Stricter rules")


def test_adopted_and_retired_rules_cannot_be_changed(adopted, officer):
    with pytest.raises(ValidationError, match="Only a draft can be changed"):
        rule_set_save(rule_set=adopted, definition=RULES, by=officer)


def test_adopting_a_draft_retires_the_old_rules_and_starts_an_official_run(
    adopted, draft, board_chair
):
    rule_set_adopt(rule_set=draft, by=board_chair)
    adopted.refresh_from_db()
    draft.refresh_from_db()
    assert (adopted.status, draft.status) == (RuleSetStatus.RETIRED, RuleSetStatus.ADOPTED)
    assert draft.adopted_by == board_chair and draft.adopted_at
    run = Run.objects.get()
    assert (run.rule_set, run.purpose, run.state) == (draft, Run.Purpose.OFFICIAL, "queued")
    assert run.trigger == "Rules version 2 adopted" and run.created_by == board_chair


def test_only_a_valid_draft_can_be_adopted(adopted, draft, board_chair):
    with pytest.raises(ValidationError, match="Only a draft can be adopted"):
        rule_set_adopt(rule_set=adopted, by=board_chair)
    RuleSet.objects.filter(pk=draft.pk).update(definition={**RULES, "triggers": [{"code": "x"}]})
    draft.refresh_from_db()
    with pytest.raises(ValidationError):
        rule_set_adopt(rule_set=draft, by=board_chair)
    adopted.refresh_from_db()
    assert adopted.status == RuleSetStatus.ADOPTED and not Run.objects.exists()


def test_an_official_run_needs_the_adopted_rules_and_a_draft_is_tried_as_a_what_if(draft, officer):
    with pytest.raises(ValidationError, match="A categorisation uses the adopted rules"):
        run_create(rule_set=draft, purpose=Run.Purpose.OFFICIAL, by=officer, trigger="x")
    run = run_create(rule_set=draft, purpose=Run.Purpose.WHAT_IF, by=officer, trigger="x")
    assert run.purpose == Run.Purpose.WHAT_IF


def test_a_save_from_a_page_shown_before_someone_else_saved_is_refused(draft, officer):
    shown = definition_checksum(draft.definition)
    theirs = {**RULES, "min_cohort": 5}
    rule_set_save(rule_set=draft, definition=theirs, by=officer, seen=shown)
    with pytest.raises(ValidationError) as error:
        rule_set_save(rule_set=draft, definition={**RULES, "min_cohort": 7}, by=officer, seen=shown)
    assert error.value.messages == [
        "Someone else changed these rules while you were editing them, so your changes were not "
        "saved. Check the rules and make your change again"
    ]
    draft.refresh_from_db()
    assert draft.definition == theirs


def test_the_stale_check_uses_the_saved_rules_not_the_callers_copy(draft, officer):
    stale_copy = RuleSet.objects.get(pk=draft.pk)
    shown = definition_checksum(stale_copy.definition)
    rule_set_save(rule_set=draft, definition={**RULES, "min_cohort": 5}, by=officer, seen=shown)
    # The caller's object still holds the old definition, which matches what it showed.
    assert definition_checksum(stale_copy.definition) == shown
    with pytest.raises(ValidationError, match="Someone else changed these rules"):
        rule_set_save(rule_set=stale_copy, definition=RULES, by=officer, seen=shown)
    draft.refresh_from_db()
    assert draft.definition["min_cohort"] == 5


def test_a_save_from_an_up_to_date_page_is_written(draft, officer):
    shown = definition_checksum(draft.definition)
    rule_set_save(rule_set=draft, definition={**RULES, "min_cohort": 5}, by=officer, seen=shown)
    draft.refresh_from_db()
    shown = definition_checksum(draft.definition)
    rule_set_save(rule_set=draft, definition={**RULES, "min_cohort": 7}, by=officer, seen=shown)
    draft.refresh_from_db()
    assert draft.definition["min_cohort"] == 7


def test_the_service_tries_a_draft_in_a_what_if_run(draft, officer):
    run = run_create_what_if(rule_set=draft, by=officer)
    assert (run.rule_set, run.purpose, run.created_by) == (draft, Run.Purpose.WHAT_IF, officer)
    assert run.trigger == "What-if run of draft version 2"


@pytest.mark.parametrize("status", [RuleSetStatus.ADOPTED, RuleSetStatus.RETIRED])
def test_the_service_does_not_try_adopted_or_retired_rules_in_a_what_if_run(draft, officer, status):
    RuleSet.objects.filter(status=RuleSetStatus.ADOPTED).update(status=RuleSetStatus.RETIRED)
    RuleSet.objects.filter(pk=draft.pk).update(status=status)
    # The caller's copy still says draft: the service goes by the saved status.
    assert draft.status == RuleSetStatus.DRAFT
    with pytest.raises(ValidationError) as error:
        run_create_what_if(rule_set=draft, by=officer)
    assert error.value.messages == [
        "Only a draft can be tried in a what-if run: make a copy of these rules to try them"
    ]
    assert not Run.objects.exists()


def test_the_service_does_not_try_a_draft_with_problems(draft, officer):
    RuleSet.objects.filter(pk=draft.pk).update(definition={**RULES, "categories": []})
    with pytest.raises(ValidationError) as error:
        run_create_what_if(rule_set=draft, by=officer)
    assert error.value.messages == ["Fix the problems with this draft before you try it"]
    assert not Run.objects.exists()


def test_an_upload_starts_an_official_run_only_when_rules_are_adopted(db, officer):
    assert run_create_official(by=officer, trigger="Data upload: ks2.csv") is None
    default_rules_load(by=officer)
    run = run_create_official(by=officer, trigger="Data upload: ks2.csv")
    assert (run.purpose, run.rule_set.version) == (Run.Purpose.OFFICIAL, 1)


def test_the_default_rules_are_loaded_once_and_adopted(db):
    rule_set = default_rules_load()
    assert (rule_set.version, rule_set.status, rule_set.name) == (1, "adopted", DEFAULT_NAME)
    assert default_rules_load() is None
    assert RuleSet.objects.count() == 1
