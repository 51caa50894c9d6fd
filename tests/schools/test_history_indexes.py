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


def school_indexes() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = %s::regclass",
            ["schools_school"],
        )
        return [definition for (definition,) in cursor.fetchall()]


def test_the_register_has_one_index_a_column_set_and_pattern_twins_only_where_searched():
    """Each school the GIAS import writes is an entry in every index: a prefix ("LIKE 'x%'")
    twin only for the LA code, which the register's search matches by its start."""
    indexes = school_indexes()
    twins = [d for d in indexes if "varchar_pattern_ops" in d]
    assert len(twins) == 1 and "(la_code varchar_pattern_ops)" in twins[0]
    columns = [d.split(" USING btree ")[1] for d in indexes]
    assert len(columns) == len(set(columns)) == 11  # 16 before
    assert "(status)" not in columns and "(status, phase)" in columns  # status leads it
    for searched in ["(type_group)", "(phase)", "(postcode)", "(la_code)", "(trust_id)"]:
        assert searched in columns
