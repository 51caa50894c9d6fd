# Jobs move from the partnership app to the kernel. The table (partnership_job) and its rows stay
# where they are: only Django's record of which app owns the model changes.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("partnership", "0007_user_email_unique_ignoring_case"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Job",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(help_text="A kind registered by an app", max_length=30)),
                        ("state", models.CharField(choices=[("queued", "Queued"), ("running", "Running"), ("succeeded", "Succeeded"), ("failed", "Failed")], default="queued", max_length=20)),
                        ("progress", models.PositiveSmallIntegerField(default=0, help_text="Per cent done")),
                        ("stage", models.CharField(blank=True, max_length=200)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("started_at", models.DateTimeField(blank=True, null=True)),
                        ("finished_at", models.DateTimeField(blank=True, null=True)),
                        ("heartbeat_at", models.DateTimeField(blank=True, help_text="Last sign of life from the worker running it", null=True)),
                        ("file", models.FileField(blank=True, upload_to="jobs/%Y/%m/")),
                        ("original_filename", models.CharField(blank=True, max_length=255)),
                        ("checksum", models.CharField(blank=True, help_text="SHA-256 of the file", max_length=64)),
                        ("options", models.JSONField(blank=True, default=dict)),
                        ("result", models.JSONField(blank=True, default=dict)),
                        ("error", models.TextField(blank=True)),
                        ("created_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "partnership_job",
                        "ordering": ["-created_at", "-pk"],
                        "indexes": [
                            models.Index(fields=["kind", "-created_at"], name="partnership_kind_a8baf3_idx"),
                            models.Index(fields=["state", "heartbeat_at"], name="partnership_state_5c6f0a_idx"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
