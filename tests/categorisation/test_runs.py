"""Runs: state and progress, one result per open school, failures that change nothing users
see, the same results twice, what a run could not use, and revised data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from categorisation import run_data, runs
from categorisation.jobs import CATEGORISATION_RUN
from categorisation.measures import measures_ensure
from categorisation.models import (
    DataRelease,
    MeasureValue,
    NationalValue,
    ReleaseStage,
    Result,
    RuleSet,
    RuleSetStatus,
    Run,
)
from categorisation.runs import run_create, run_current_agreed, run_execute
from kernel.models import Job
from schools.models import Status
from tests.factories import SchoolFactory

Y19, Y18, Y22 = "2018-2019", "2017-2018", "2021-2022"
RULES = {
    "categories": [
        {"code": "1", "label": "Universal support", "min_score": 0},
        {"code": "2", "label": "Monitor", "min_score": 3},
        {"code": "3", "label": "Focused support", "min_score": 6, "focused": True},
        {"code": "4", "label": "Intensive support", "min_score": 10, "focused": True},
    ],
    "support_bands": [{"band": "low", "min_score": 0}, {"band": "high", "min_score": 12}],
    "min_cohort": 0,
    "year_weights": [1],
    "min_indicators": 1,
    "indicators": [
        {
            "code": "ks2_rwm",
            "label": "KS2 reading, writing and maths",
            "measure": "KS2_PTRWM_EXP",
            "comparison": "threshold",
            "bands": [{"below": 65, "points": 6, "label": "Below 65%"}],
        },
        {
            "code": "ks2_reading",
            "label": "KS2 reading progress",
            "measure": "KS2_READPROG",
            "comparison": "threshold",
            "bands": [{"below": -5, "points": 3, "label": "Below -5"}],
        },
    ],
    "triggers": [
        {
            "code": "inadequate",
            "label": "Inadequate",
            "all_of": [[{"measure": "OFSTED_OE", "op": "eq", "value": 4}]],
            "min_category": "4",
            "support_band": "high",
        }
    ],
}


def release_add(source="ks2", year=Y19, *, name="", days_ago=10) -> DataRelease:
    return DataRelease.objects.create(
        source=source,
        academic_year=year,
        stage=ReleaseStage.FINAL,
        checksum=f"{source}-{year}-{name}-{days_ago}",
        imported_at=timezone.now() - timedelta(days=days_ago),
    )


def value_add(school, code, year, value=None, *, release, reason="", current=True):
    ids = measures_ensure()
    return MeasureValue.objects.create(
        school=school,
        measure_id=ids[code],
        academic_year=year,
        release=release,
        value=value,
        missing_reason=reason,
        is_current=current,
    )


def rules_adopt(definition: dict = RULES) -> RuleSet:
    measures_ensure()
    return RuleSet.objects.create(
        name="Test rules", version=1, status=RuleSetStatus.ADOPTED, definition=definition
    )


@pytest.fixture
def adopted(db) -> RuleSet:
    return rules_adopt()


@pytest.fixture
def data(world, adopted):
    """School A at 50% (focused support), A2 at 80% (universal), B inadequate, Z no data."""
    ks2 = release_add()
    value_add(world.school_a, "KS2_PTRWM_EXP", Y19, 50, release=ks2)
    value_add(world.school_a2, "KS2_PTRWM_EXP", Y19, 80, release=ks2)
    value_add(world.school_b, "KS2_PTRWM_EXP", Y19, 90, release=ks2)
    value_add(
        world.school_b, "OFSTED_OE", "2025-2026", 4, release=release_add("ofsted", "2025-2026")
    )
    NationalValue.objects.create(
        measure_id=measures_ensure()["KS2_PTRWM_EXP"], academic_year=Y19, release=ks2, value=65
    )
    return world


def new_run(rule_set, purpose=Run.Purpose.OFFICIAL) -> Run:
    return run_create(rule_set=rule_set, purpose=purpose, by=None, trigger="Test", enqueue=False)


def categories(run: Run) -> dict[int, tuple]:
    return {
        r.school.urn: (r.computed_category, r.computed_support_band, r.insufficient_data)
        for r in Result.objects.filter(run=run).select_related("school")
    }


def test_a_new_run_is_queued_with_its_job_and_starts_once_committed(
    data, adopted, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run = run_create(rule_set=adopted, purpose=Run.Purpose.OFFICIAL, by=officer, trigger="Hi")
        assert run.state == Run.State.QUEUED and run.job.state == Job.State.QUEUED
    assert len(callbacks) == 1  # the task, run eagerly here
    run.refresh_from_db()
    assert run.state == Run.State.SUCCEEDED
    assert run.job.kind == CATEGORISATION_RUN and run.job.created_by == officer
    assert (run.job.state, run.job.progress, run.job.stage) == (Job.State.SUCCEEDED, 100, "Done")


def test_a_run_reports_its_stages_and_records_timings_and_the_rules_version(data, adopted):
    stages = []
    run = run_execute(run=new_run(adopted), progress=lambda percent, stage: stages.append(stage))
    assert run.state == Run.State.SUCCEEDED and run.error == ""
    assert stages == [
        "Loading the latest data",
        "Categorising 4 schools",
        "Checking for revised data",
        "Saving 4 results",
    ]
    assert set(run.timings) == {"load", "categorise", "revised_data", "write", "total"}
    assert run.stats["rule_set"] | {} == {
        "id": adopted.pk,
        "version": 1,
        "name": "Test rules",
        "status": "adopted",
    }
    assert run.stats["definition"] == RULES
    assert run.started_at <= run.finished_at


def test_a_run_categorises_every_open_school_in_the_partnership_and_no_other(data, adopted):
    SchoolFactory(urn=200001, status=Status.CLOSED)
    SchoolFactory(urn=200002, opted_out=True)
    run = run_execute(run=new_run(adopted))
    assert categories(run) == {
        100001: ("3", "low", False),  # 50% is below 65%: 6 points
        100002: ("1", "", False),
        100003: ("4", "high", False),  # inadequate: the trigger
        100004: ("", "", True),  # no data at all
    }
    assert run.stats["by_category"] == {"1": 1, "2": 0, "3": 1, "4": 1}
    assert run.stats["insufficient_data"] == 1
    assert run.stats["triggers"] == {"inadequate": 1}


def test_each_result_keeps_its_explanation_and_starts_unmoderated(data, adopted):
    run = run_execute(run=new_run(adopted))
    result = Result.objects.get(run=run, school=data.school_b)
    assert (result.category, result.support_band) == ("4", "high")
    assert result.moderation == Result.Moderation.PENDING
    assert result.trigger == "inadequate" and result.score == 0
    reading = result.explanation["indicators"][1]
    assert reading["missing"] is True and reading["reason"] == "NO_DATA"
    assert result.explanation["indicators"][0]["value"] == 90.0
    assert result.explanation["triggers"][0]["code"] == "inadequate"


def test_a_failed_run_saves_nothing_and_leaves_the_agreed_categorisation_alone(
    data, adopted, monkeypatch
):
    agreed = run_execute(run=new_run(adopted))
    Run.objects.filter(pk=agreed.pk).update(agreed_at=timezone.now())
    before = categories(agreed)

    def broken(**kwargs):
        raise RuntimeError("the engine broke")

    monkeypatch.setattr(runs, "categorise", broken)
    failed = run_execute(run=new_run(adopted))

    assert failed.state == Run.State.FAILED
    assert "RuntimeError: the engine broke" in failed.error
    assert "the agreed categorisation has not changed" in failed.error
    assert failed.job.state == Job.State.FAILED and failed.job.error == failed.error
    assert not Result.objects.filter(run=failed).exists()
    assert run_current_agreed() == agreed and categories(agreed) == before


def test_a_failure_while_saving_rolls_back_every_result_already_written(data, adopted, monkeypatch):
    save = run_data.results_save

    def save_then_fail(rows):
        save(rows)
        assert Result.objects.count() == 4  # written, inside the transaction
        raise OSError("disk full")

    monkeypatch.setattr(run_data, "results_save", save_then_fail)
    run = run_execute(run=new_run(adopted))
    assert run.state == Run.State.FAILED and "OSError: disk full" in run.error
    assert Result.objects.count() == 0
    assert Run.objects.get(pk=run.pk).state == Run.State.FAILED


def test_a_failed_run_can_be_run_again_and_a_finished_one_is_not_run_twice(
    data, adopted, monkeypatch
):
    run = new_run(adopted)
    with monkeypatch.context() as patch:
        patch.setattr(runs, "categorise", lambda **kwargs: 1 / 0)
        assert run_execute(run=run).state == Run.State.FAILED
    again = run_execute(run=run)
    assert again.state == Run.State.SUCCEEDED and again.error == ""
    finished_at = again.finished_at
    assert run_execute(run=run).finished_at == finished_at
    assert Result.objects.filter(run=run).count() == 4


def test_running_the_same_rules_on_the_same_data_gives_the_same_results(data, adopted):
    def fields(run):
        return list(
            Result.objects.filter(run=run)
            .order_by("school_id")
            .values_list("school_id", "computed_category", "score", "trigger", "explanation")
        )

    assert fields(run_execute(run=new_run(adopted))) == fields(run_execute(run=new_run(adopted)))


def test_a_run_says_which_measures_and_years_it_could_not_use(world, adopted):
    # KS2 attainment has 2021/22 data, reading progress stops in 2018/19; no Ofsted data.
    old, new = release_add(year=Y19), release_add(year=Y22)
    value_add(world.school_a, "KS2_PTRWM_EXP", Y22, 60, release=new)
    value_add(world.school_a, "KS2_PTRWM_EXP", Y19, 70, release=old)
    value_add(world.school_a, "KS2_READPROG", Y19, -6, release=old)
    run = run_execute(run=new_run(adopted))
    assert run.stats["notes"] == [
        f"KS2_READPROG has no data for {Y22} (its latest is {Y19}), so the rules did not use it",
        "OFSTED_OE has no data, so the rules could not use it",
        "Trigger 'inadequate' could not use OFSTED_OE",
    ]
    assert run.stats["years"] == {"KS2_PTRWM_EXP": [Y22, Y19]}
    result = Result.objects.get(run=run, school=world.school_a)
    assert result.score == 6  # 60% in 2021/22; the 2018/19 progress score is not mixed in
    assert result.explanation["indicators"][1]["reason"] == "STALE"


def test_revised_data_marks_a_school_whose_category_the_later_release_changed(world, adopted):
    provisional, final = release_add(name="provisional", days_ago=20), release_add(name="final")
    # School A: 70% provisionally (universal), revised to 60% (focused support).
    value_add(world.school_a, "KS2_PTRWM_EXP", Y19, 70, release=provisional, current=False)
    value_add(world.school_a, "KS2_PTRWM_EXP", Y19, 60, release=final)
    # School A2: revised from 90% to 88%, still universal support.
    value_add(world.school_a2, "KS2_PTRWM_EXP", Y19, 90, release=provisional, current=False)
    value_add(world.school_a2, "KS2_PTRWM_EXP", Y19, 88, release=final)
    value_add(world.school_b, "KS2_PTRWM_EXP", Y19, 40, release=final)
    run = run_execute(run=new_run(adopted))
    revised = dict(Result.objects.filter(run=run).values_list("school__urn", "revised_data"))
    assert revised == {100001: True, 100002: False, 100003: False, 100004: False}
    assert run.stats["revised_data"] == 1


def test_the_current_agreed_run_is_the_latest_agreed_official_run(data, adopted):
    first, second = run_execute(run=new_run(adopted)), run_execute(run=new_run(adopted))
    assert run_current_agreed() is None
    Run.objects.filter(pk=first.pk).update(agreed_at=timezone.now() - timedelta(days=1))
    assert run_current_agreed() == first
    Run.objects.filter(pk=second.pk).update(agreed_at=timezone.now())
    assert run_current_agreed() == second
