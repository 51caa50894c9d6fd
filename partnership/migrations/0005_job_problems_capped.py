"""Cut the problems stored on finished jobs to the first 200, keeping their number in
``problem_total``, as ``job_fail`` now does (partnership/uploads.py): a file with a problem on every
row had stored millions of them."""

from django.db import migrations

KEPT = 200
FIRST = f"""(SELECT jsonb_agg(problem ORDER BY position)
      FROM jsonb_array_elements(result #> %s) WITH ORDINALITY AS p(problem, position)
     WHERE position <= {KEPT})"""


def _cap_postgresql(cursor) -> None:
    cursor.execute(
        f"""UPDATE partnership_job SET result = jsonb_set(jsonb_set(
                result, '{{problem_total}}', to_jsonb(jsonb_array_length(result -> 'errors'))
            ), '{{errors}}', {FIRST})
            WHERE jsonb_typeof(result -> 'errors') = 'array'
              AND jsonb_array_length(result -> 'errors') > 0""",
        ["{errors}"],
    )
    # A performance import kept a second copy of its problems in its outcome.
    cursor.execute(
        f"""UPDATE partnership_job SET result = jsonb_set(result, '{{import,errors}}', {FIRST})
            WHERE jsonb_typeof(result #> '{{import,errors}}') = 'array'
              AND jsonb_array_length(result #> '{{import,errors}}') > {KEPT}""",
        ["{import,errors}"],
    )


def cap(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            _cap_postgresql(cursor)
        return
    Job = apps.get_model("partnership", "Job")
    for job in Job.objects.iterator():
        errors = job.result.get("errors") if isinstance(job.result, dict) else None
        if not errors or not isinstance(errors, list):
            continue
        job.result["problem_total"] = len(errors)
        job.result["errors"] = errors[:KEPT]
        nested = job.result.get("import")
        if isinstance(nested, dict) and isinstance(nested.get("errors"), list):
            nested["errors"] = nested["errors"][:KEPT]
        job.save(update_fields=["result"])


class Migration(migrations.Migration):
    dependencies = [("partnership", "0004_job_heartbeat_at")]

    operations = [migrations.RunPython(cap, migrations.RunPython.noop)]
