"""Seed the shared list of areas of expertise (editable afterwards)."""

from django.db import migrations

AREAS = [
    "Leadership",
    "Governance",
    "KS2 reading",
    "KS2 maths",
    "Writing",
    "Early years",
    "SEND",
    "Attendance",
    "Behaviour",
    "Curriculum",
    "Finance",
    "Safeguarding",
    "KS4 English",
    "KS4 maths",
    "Phonics",
]


def seed(apps, schema_editor):
    Expertise = apps.get_model("brokerage", "Expertise")
    for name in AREAS:
        Expertise.objects.get_or_create(name=name)


def unseed(apps, schema_editor):
    Expertise = apps.get_model("brokerage", "Expertise")
    Expertise.objects.filter(name__in=AREAS, providers__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("brokerage", "0004_conflict_declaration")]

    operations = [migrations.RunPython(seed, unseed)]
