"""``manage.py categorise``: the same run, synchronously, with its outcome as JSON."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from categorisation.models import Result, RuleSet, RuleSetStatus, Run
from tests.categorisation.test_runs import RULES, Y19, release_add, rules_adopt, value_add


def categorise(*args: str) -> str:
    out = StringIO()
    call_command("categorise", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def data(world):
    rules_adopt()
    ks2 = release_add()
    value_add(world.school_a, "KS2_PTRWM_EXP", Y19, 50, release=ks2)
    value_add(world.school_a2, "KS2_PTRWM_EXP", Y19, 70, release=ks2)
    return world


def test_the_command_runs_the_adopted_rules_and_prints_json(data):
    outcome = json.loads(categorise("--json"))
    run = Run.objects.get()
    assert set(outcome) == {"run", "schools", "by_category", "insufficient_data", "seconds"}
    assert outcome["run"] == run.pk and run.purpose == Run.Purpose.OFFICIAL
    assert outcome["schools"] == 4 == Result.objects.filter(run=run).count()
    assert outcome["by_category"] == {"1": 1, "2": 0, "3": 1, "4": 0}
    assert outcome["insufficient_data"] == 2  # schools B and Z have no data
    assert outcome["seconds"] == run.timings["total"] > 0


def test_the_command_without_json_prints_a_summary_with_the_notes(data):
    printed = categorise()
    assert printed.startswith(f"Run {Run.objects.get().pk} (Categorisation, rules version 1): 4 ")
    assert "  category 3: 1\n" in printed
    assert "  insufficient data: 2\n" in printed
    assert "  note: KS2_READPROG has no data, so the rules could not use it\n" in printed


def test_rules_that_are_not_adopted_are_tried_in_a_what_if_run(data):
    RuleSet.objects.create(name="Draft", version=2, status=RuleSetStatus.DRAFT, definition=RULES)
    outcome = json.loads(categorise("--rules", "2", "--json"))
    assert Run.objects.get(pk=outcome["run"]).purpose == Run.Purpose.WHAT_IF


def test_the_command_says_when_there_are_no_rules_to_use(world):
    with pytest.raises(CommandError, match="No rules are adopted"):
        categorise()
    with pytest.raises(CommandError, match="There is no rule set version 7"):
        categorise("--rules", "7")
