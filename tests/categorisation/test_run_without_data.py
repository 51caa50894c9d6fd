from categorisation.default_rules import default_rules_load
from categorisation.models import Run
from categorisation.runs import run_create, run_execute


def test_run_with_no_performance_data_gives_insufficient_data_not_a_crash(world, officer):
    rule_set = default_rules_load(by=officer)
    run = run_create(
        rule_set=rule_set, purpose=Run.Purpose.OFFICIAL, by=officer, trigger="test", enqueue=False
    )
    run = run_execute(run=run)
    assert run.state == Run.State.SUCCEEDED, run.error
    results = list(run.results.all())
    assert len(results) == 4
    assert all(result.insufficient_data for result in results)
    assert any("no data" in note.lower() for note in run.stats["notes"])
