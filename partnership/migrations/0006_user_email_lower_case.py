"""Every email address in lower case, before 0007 makes addresses unique regardless of case.

Two accounts whose addresses differ only in case cannot both be kept: the migration stops and
names them, so that a superuser can merge or change them (in the admin) and migrate again.
"""

from django.db import migrations
from django.db.models import Count
from django.db.models.functions import Lower

DUPLICATES = (
    "These email addresses belong to more than one account when case is ignored: {addresses}. "
    "Change or close all but one account for each address (for example in the admin), then run "
    "migrate again."
)


def duplicate_addresses(User) -> list[str]:
    """Addresses (in lower case) held by more than one account, ignoring case."""
    return sorted(
        User.objects.annotate(address=Lower("email"))
        .values("address")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("address", flat=True)
    )


def emails_to_lower_case(apps, schema_editor) -> None:
    User = apps.get_model("partnership", "User")
    duplicates = duplicate_addresses(User)
    if duplicates:
        raise RuntimeError(DUPLICATES.format(addresses=", ".join(duplicates)))
    User.objects.exclude(email=Lower("email")).update(email=Lower("email"))


class Migration(migrations.Migration):
    dependencies = [("partnership", "0005_job_problems_capped")]

    operations = [migrations.RunPython(emails_to_lower_case, migrations.RunPython.noop)]
