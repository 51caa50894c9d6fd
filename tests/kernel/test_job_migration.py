"""Jobs moved from the partnership app to the kernel without losing a row: migrated back to the
schema before the move, given jobs (one a data release's, one a run's), and forward again."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("partnership", "0007_user_email_unique_ignoring_case"),
    ("categorisation", "0003_result_moderation_label"),
    ("kernel", None),
]


def _migrate(targets) -> object:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([node for node in targets if node[1]]).apps


def _latest() -> list:
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_jobs_keep_their_rows_and_links_when_they_move_to_the_kernel():
    old = _migrate(BEFORE)
    OldJob = old.get_model("partnership", "Job")
    upload = OldJob.objects.create(
        kind="performance_import", state="succeeded", original_filename="ks2.csv", progress=100
    )
    run_job = OldJob.objects.create(kind="categorisation_run", state="failed", error="Stopped")
    release = old.get_model("categorisation", "DataRelease").objects.create(
        source="ks2", academic_year="2018-2019", checksum="a" * 64, job_id=upload.pk
    )
    rule_set = old.get_model("categorisation", "RuleSet").objects.create(
        name="Rules", version=99, definition={}
    )
    run = old.get_model("categorisation", "Run").objects.create(
        rule_set=rule_set, job_id=run_job.pk
    )

    new = _migrate(_latest())

    Job = new.get_model("kernel", "Job")
    moved = {job.pk: job for job in Job.objects.all()}
    assert moved[upload.pk].kind == "performance_import"
    assert moved[upload.pk].original_filename == "ks2.csv"
    assert moved[upload.pk].state == "succeeded"
    assert moved[run_job.pk].error == "Stopped"
    assert (
        new.get_model("categorisation", "DataRelease").objects.get(pk=release.pk).job
        == (moved[upload.pk])
    )
    assert new.get_model("categorisation", "Run").objects.get(pk=run.pk).job == moved[run_job.pk]
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    assert "partnership_job" in tables
    assert "kernel_job" not in tables
