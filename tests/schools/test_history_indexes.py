"""The register's audit trail keeps only the indexes it is read by: each imported school writes
an audit record, and every index more is another entry per record (bench/README.md)."""

import pytest
from django.db import connection

from schools.models import School

pytestmark = pytest.mark.django_db


def indexed_columns(table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a "
            "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
            "WHERE i.indrelid = %s::regclass",
            [table],
        )
        return {name for (name,) in cursor.fetchall()}


def test_the_audit_trail_is_indexed_by_school_urn_date_and_user_only():
    history = School.history.model._meta.db_table
    assert indexed_columns(history) == {
        "history_id",
        "id",
        "urn",
        "history_date",
        "history_user_id",
    }


def test_the_register_itself_keeps_its_indexes_for_finding_schools():
    assert {"urn", "la_code", "phase", "status", "trust_id"} <= indexed_columns("schools_school")
