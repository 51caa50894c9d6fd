# Releases and runs point at the same job rows, now owned by the kernel app (no table changes).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("categorisation", "0003_result_moderation_label"),
        ("kernel", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="datarelease",
                    name="job",
                    field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="release", to="kernel.job"),
                ),
                migrations.AlterField(
                    model_name="run",
                    name="job",
                    field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="run", to="kernel.job"),
                ),
            ],
            database_operations=[],
        ),
    ]
