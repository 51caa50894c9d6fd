"""Results' explanations compressed with LZ4 rather than PostgreSQL's default pglz.

A national run writes 22,000 explanations of about 3 KB each, which PostgreSQL compresses as
it stores them: with LZ4 writing them took about a quarter less time (measured on the national
benchmark's results), for much the same size. Only on PostgreSQL servers built with LZ4 (the
Debian and Docker images are); elsewhere, and on SQLite, nothing changes. Values already stored
keep their compression until they are written again.
"""

from django.db import migrations

TABLE = "categorisation_result"


def _lz4_available(connection) -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' "
            "AND 'lz4' = ANY(enumvals)"
        )
        return cursor.fetchone() is not None


def _compression(method: str):
    def alter(apps, schema_editor):
        if _lz4_available(schema_editor.connection):
            schema_editor.execute(
                f"ALTER TABLE {TABLE} ALTER COLUMN explanation SET COMPRESSION {method}"
            )

    return alter


class Migration(migrations.Migration):
    dependencies = [("categorisation", "0006_run_counts")]

    operations = [migrations.RunPython(_compression("lz4"), _compression("pglz"))]
