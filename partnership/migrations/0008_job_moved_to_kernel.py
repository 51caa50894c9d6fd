# Jobs now belong to the kernel app (kernel/0001_initial): forget the model here, keep the table.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("partnership", "0007_user_email_unique_ignoring_case"),
        ("kernel", "0001_initial"),
        ("categorisation", "0004_jobs_in_kernel"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Job")],
            database_operations=[],
        ),
    ]
