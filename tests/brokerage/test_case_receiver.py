"""The agreed categorisation opens a support case by itself for each school with a support band,
once: not again while that case is open or paused, in a bounded number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from brokerage.models import CaseEvent, SupportCase
from brokerage.receivers import cases_open_for_run
from categorisation.moderation import run_agree, run_confirm_pending
from tests.categorisation.factories import run_with_results
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def agree(placements: dict, by):
    run = run_with_results(placements, by=by)
    run_confirm_pending(run=run, by=by)
    return run_agree(run=run, by=by)


def test_agreeing_a_run_opens_a_case_for_each_school_with_a_support_band(world, officer):
    run = agree(
        {world.school_a: ("3", "medium"), world.school_a2: "1", world.school_b: ("4", "high")},
        officer,
    )
    cases = {case.school: case for case in SupportCase.objects.all()}
    assert set(cases) == {world.school_a, world.school_b}
    assert cases[world.school_a].support_band == "medium"
    assert cases[world.school_a].origin == SupportCase.Origin.CATEGORISATION
    assert cases[world.school_a].run == run
    assert cases[world.school_a].alliance == world.alliance_a
    assert cases[world.school_b].alliance == world.alliance_b


def test_a_school_in_no_cluster_gets_a_case_with_no_alliance(world, officer):
    agree({world.school_z: ("3", "low")}, officer)
    assert SupportCase.objects.get(school=world.school_z).alliance is None


def test_each_opened_case_has_its_timeline_entry_and_history(world, officer):
    agree({world.school_a: ("3", "medium")}, officer)
    case = SupportCase.objects.get(school=world.school_a)
    event = CaseEvent.objects.get(case=case)
    assert event.text == "Case opened: agreed categorisation (medium support)"
    assert event.by == officer
    assert case.history.get().history_type == "+"


def test_a_later_agreed_run_opens_no_second_case_while_the_first_is_open(world, officer):
    agree({world.school_a: ("3", "medium")}, officer)
    agree({world.school_a: ("4", "high"), world.school_b: ("3", "low")}, officer)
    assert SupportCase.objects.filter(school=world.school_a).count() == 1
    assert SupportCase.objects.filter(school=world.school_b).count() == 1


def test_a_paused_case_also_stops_a_second_one(world, officer):
    agree({world.school_a: ("3", "medium")}, officer)
    SupportCase.objects.update(state=SupportCase.State.PAUSED)
    agree({world.school_a: ("3", "medium")}, officer)
    assert SupportCase.objects.filter(school=world.school_a).count() == 1


def test_a_school_whose_case_closed_gets_a_new_one_from_a_later_run(world, officer):
    agree({world.school_a: ("3", "medium")}, officer)
    SupportCase.objects.update(state=SupportCase.State.CLOSED)
    agree({world.school_a: ("3", "medium")}, officer)
    assert SupportCase.objects.filter(school=world.school_a).count() == 2


def test_a_closed_school_gets_no_case(world, officer):
    closed = SchoolFactory(status="closed")
    agree({closed: ("4", "high")}, officer)
    assert not SupportCase.objects.exists()


@pytest.mark.parametrize("schools", [20, 400])
def test_opening_cases_runs_the_same_queries_whatever_the_number_of_schools(
    world, officer, schools
):
    created = SchoolFactory.create_batch(schools)
    run = run_with_results({school: ("3", "low") for school in created}, by=officer)
    with CaptureQueriesContext(connection) as queries:
        opened = cases_open_for_run(run=run, by=officer)
    assert opened == schools
    assert len(queries) <= 6


def test_a_what_if_run_opens_no_case(world, officer):
    from brokerage.receivers import on_run_agreed
    from categorisation.models import Run

    run = run_with_results({world.school_a: ("4", "high")}, purpose=Run.Purpose.WHAT_IF)
    on_run_agreed(sender=Run, run=run, by=officer)
    assert not SupportCase.objects.exists()
