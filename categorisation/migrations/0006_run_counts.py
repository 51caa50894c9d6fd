# Runs store their counts (categorisation.counts); the runs that already have results get them
# here, with one grouped query over all results. Results get an index that covers what counts
# and summaries read, in place of the plain index on run.

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count

MODERATION_STATES = ("pending", "confirmed", "overridden")


def _empty() -> dict:
    return {
        "results": 0,
        "moderation": dict.fromkeys(MODERATION_STATES, 0),
        "category": {},
        "support_band": {},
        "revised": 0,
    }


def counts_store(apps, schema_editor):
    Result = apps.get_model("categorisation", "Result")
    Run = apps.get_model("categorisation", "Run")
    rows = (
        Result.objects.order_by()
        .values("run_id", "moderation", "category", "support_band", "revised_data")
        .annotate(n=Count("pk"))
    )
    found = {}
    for row in rows:
        counts, n = found.setdefault(row["run_id"], _empty()), row["n"]
        counts["results"] += n
        counts["moderation"][row["moderation"]] = counts["moderation"].get(row["moderation"], 0) + n
        for key in ("category", "support_band"):
            counts[key][row[key]] = counts[key].get(row[key], 0) + n
        counts["revised"] += n if row["revised_data"] else 0
    for run_id, counts in found.items():
        Run.objects.filter(pk=run_id).update(counts=counts)


class Migration(migrations.Migration):
    dependencies = [
        ("categorisation", "0005_prior_year_releases_absence_national_phase"),
    ]

    operations = [
        migrations.AddField(
            model_name="run",
            name="counts",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="Results by moderation state, category and support band, and how many "
                "revised data changed: stored when the run finishes and after each moderation "
                "(categorisation.counts)",
            ),
        ),
        migrations.RunPython(counts_store, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="result",
            name="run",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="results",
                to="categorisation.run",
            ),
        ),
        migrations.AddIndex(
            model_name="result",
            index=models.Index(
                fields=[
                    "run",
                    "moderation",
                    "category",
                    "support_band",
                    "revised_data",
                    "school",
                    "id",
                ],
                name="result_run_counts",
            ),
        ),
    ]
