"""Confirming every pending result at once is a set-based write (one UPDATE, one INSERT of
history) that leaves the same results and the same history as confirming them one by one; and a
run's counts are stored with it and kept up to date by every moderation."""

from django.utils import timezone

from categorisation.counts import counts_by_run
from categorisation.default_rules import default_rules_load
from categorisation.models import Result, Run
from categorisation.moderation import (
    CONFIRMED_WITH_EVERY_PENDING,
    result_confirm,
    result_override,
    run_confirm_pending,
)
from categorisation.runs import run_create, run_execute
from clusters.models import ClusterMembership
from schools.models import School
from tests.categorisation.factories import RuleSetFactory, run_with_results
from tests.factories import SchoolFactory

CODES = ["1", "2", ("3", "low"), ("4", "high"), ("3", "medium")]
# What differs by nature between two runs, or is stamped with the moment of the write.
NOT_COMPARED = {"id", "run", "run_id", "moderated_at", "history_id", "history_date"}


def _schools(world, total: int, first_urn: int) -> list[School]:
    schools = School.objects.bulk_create(
        SchoolFactory.build(urn=first_urn + i, name=f"School {first_urn + i}") for i in range(total)
    )
    clusters = [world.cluster_a1, world.cluster_b1]
    ClusterMembership.objects.bulk_create(
        ClusterMembership(school=school, cluster=clusters[i % 2])
        for i, school in enumerate(schools)
    )
    return schools


def _twin_runs(world, officer, total: int = 40) -> tuple[Run, Run]:
    """Two runs placing the same schools the same way, each with one result already changed
    at moderation (confirming every pending result must leave it alone)."""
    schools = _schools(world, total, 800000)
    rule_set = RuleSetFactory()
    placements = {school: CODES[i % len(CODES)] for i, school in enumerate(schools)}
    runs = []
    for _ in range(2):
        run = run_with_results(placements, rule_set=rule_set)
        result_override(
            result=run.results.get(school=schools[0]),
            category="2",
            support_band="",
            reason="Known context",
            by=officer,
        )
        runs.append(run)
    return runs[0], runs[1]


def _confirm_one_by_one(run: Run, by) -> int:
    """The per-result way: each pending result saved on its own, with its history record."""
    pending = list(Result.objects.filter(run=run, moderation=Result.Moderation.PENDING))
    for result in pending:
        result.moderation = Result.Moderation.CONFIRMED
        result.category = result.computed_category
        result.support_band = result.computed_support_band
        result.override_reason = ""
        result.moderated_at, result.moderated_by = timezone.now(), by
        result._history_user = by
        result._change_reason = CONFIRMED_WITH_EVERY_PENDING
        result.save()
    return len(pending)


def _fields(row) -> dict:
    return {
        field.attname: getattr(row, field.attname)
        for field in row._meta.fields
        if field.attname not in NOT_COMPARED
    }


def _by_school(run: Run) -> dict[int, dict]:
    return {r.school_id: _fields(r) for r in Result.objects.filter(run=run)}


def _history_by_school(run: Run) -> dict[int, list[dict]]:
    history = Result.history.filter(run_id=run.pk).order_by("history_id")
    found = {}
    for record in history:
        found.setdefault(record.school_id, []).append(_fields(record))
    return found


def test_confirming_every_pending_result_leaves_the_same_results_as_one_by_one(world, officer):
    set_based, one_by_one = _twin_runs(world, officer)
    assert run_confirm_pending(run=set_based, by=officer) == 39
    assert _confirm_one_by_one(one_by_one, officer) == 39
    assert _by_school(set_based) == _by_school(one_by_one)
    assert Result.objects.filter(run=set_based, moderated_at__isnull=True).count() == 0


def test_confirming_every_pending_result_keeps_the_same_history_as_one_by_one(world, officer):
    set_based, one_by_one = _twin_runs(world, officer)
    run_confirm_pending(run=set_based, by=officer)
    _confirm_one_by_one(one_by_one, officer)
    expected = _history_by_school(one_by_one)
    assert _history_by_school(set_based) == expected
    # Each confirmed result has a record of the change, by whom and why; the override its own.
    assert sum(len(records) for records in expected.values()) == 40
    confirmed = Result.history.filter(run_id=set_based.pk, history_type="~").exclude(
        history_change_reason__startswith="Overridden"
    )
    assert confirmed.count() == 39
    assert {(r.history_user_id, r.history_change_reason) for r in confirmed} == {
        (officer.pk, "Confirmed with every pending result")
    }
    # Recorded when the results were confirmed, as each result says.
    for record in confirmed:
        assert record.history_date == record.moderated_at


def test_confirming_every_pending_result_runs_the_same_queries_for_200_or_2000_results(
    world, officer, django_assert_max_num_queries
):
    rule_set = RuleSetFactory()
    counts = []
    for total, first_urn in ((200, 600000), (2000, 700000)):
        schools = _schools(world, total, first_urn)
        run = run_with_results(dict.fromkeys(schools, "2"), rule_set=rule_set)
        with django_assert_max_num_queries(10) as captured:
            assert run_confirm_pending(run=run, by=officer) == total
        counts.append(len(captured.captured_queries))
        assert Result.history.filter(run_id=run.pk).count() == total
    assert counts[0] == counts[1]


# Stored counts -------------------------------------------------------------------------------


def _recount(run: Run) -> dict:
    return counts_by_run(Result.objects.filter(run=run))[run.pk]


def test_a_run_stores_its_counts_and_every_moderation_keeps_them_true(world, officer):
    run, _ = _twin_runs(world, officer, total=10)
    run.refresh_from_db()
    assert run.counts == _recount(run)
    assert run.counts["moderation"] == {"pending": 9, "confirmed": 0, "overridden": 1}
    assert run.counts["category"] == {"1": 1, "2": 3, "3": 4, "4": 2}
    assert run.counts["support_band"] == {"": 4, "low": 2, "high": 2, "medium": 2}
    result_confirm(result=run.results.filter(moderation="pending").first(), by=officer)
    run.refresh_from_db()
    assert run.counts["moderation"] == {"pending": 8, "confirmed": 1, "overridden": 1}
    run_confirm_pending(run=run, by=officer)
    run.refresh_from_db()
    assert run.counts == _recount(run)
    assert run.counts["moderation"] == {"pending": 0, "confirmed": 9, "overridden": 1}


def test_a_finished_run_stores_its_counts_with_its_results(world, officer):
    rule_set = default_rules_load(by=officer)
    run = run_create(
        rule_set=rule_set, purpose=Run.Purpose.OFFICIAL, by=officer, trigger="test", enqueue=False
    )
    run = run_execute(run=run)
    assert run.state == Run.State.SUCCEEDED, run.error
    run.refresh_from_db()
    # The world's four schools, none with data: each awaits moderation with no category.
    assert run.counts == {
        "results": 4,
        "moderation": {"pending": 4, "confirmed": 0, "overridden": 0},
        "category": {"": 4},
        "support_band": {"": 4},
        "revised": 0,
    }


def test_the_migration_stores_the_counts_of_runs_made_before_it(world, officer):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("categorisation.migrations.0006_run_counts")
    run, _ = _twin_runs(world, officer, total=10)
    expected = _recount(run)
    Run.objects.update(counts={})
    migration.counts_store(apps, None)
    run.refresh_from_db()
    assert run.counts == expected
    assert run.counts["moderation"] == {"pending": 9, "confirmed": 0, "overridden": 1}
