"""A large write of values has its foreign keys checked in one pass over the new rows rather
than row by row (``kernel.bulk.foreign_keys_checked_together``): the keys stay, added back
``NOT VALID`` until ``foreign_keys_validate`` marks them validated (the same definitions), and
a value for a school, measure or release that does not exist is still refused, either way."""

from __future__ import annotations

import pandas as pd
import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.test.utils import CaptureQueriesContext

from categorisation.measures import measures_ensure
from categorisation.models import DataRelease, MeasureValue
from categorisation.value_writes import release_values_write
from config.celery import app
from kernel import bulk
from kernel.tasks import foreign_keys_validate_task
from schools.models import School
from tests.categorisation.conftest import schools_create

pytestmark = pytest.mark.django_db
CODE = "KS2_PTRWM_EXP"
FOREIGN_KEYS = [
    "categorisation_measu_measure_id_8eb301c4_fk_categoris",
    "categorisation_measu_release_id_5760a2ec_fk_categoris",
    "categorisation_measu_school_id_15558aab_fk_schools_s",
]


@pytest.fixture(params=["together", "row by row"])
def keys_checked(request, monkeypatch):
    """Run a test with the keys checked in one pass (as for a national file) and row by row."""
    if request.param == "together":
        monkeypatch.setattr(bulk, "KEYS_CHECKED_TOGETHER_FROM", 1)
    return request.param


def school_ids(urns: list[int]) -> list[int]:
    schools_create(urns, "850", "Hampshire")
    return list(School.objects.filter(urn__in=urns).order_by("urn").values_list("pk", flat=True))


def values(school_ids: list[int]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "school_id": school_ids,
            "measure": CODE,
            "academic_year": "2018-2019",
            "value": [50.0 + n for n in range(len(school_ids))],
            "text": "",
            "missing_reason": "",
        }
    )


def write(school_ids: list[int], ids: dict[str, int], checksum: str = "x") -> DataRelease:
    """Write the values and make every deferred check, as committing would."""
    release = DataRelease.objects.create(source="ks2", academic_year="2018-2019", checksum=checksum)
    with transaction.atomic():
        release_values_write(release=release, values=values(school_ids), ids=ids)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    return release


def foreign_keys() -> list[tuple[str, bool, bool]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_constraintdef(oid), convalidated, condeferred FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY 1",
            [MeasureValue._meta.db_table],
        )
        return cursor.fetchall()


def test_values_written_with_keys_checked_together_are_stored_and_the_keys_stay_validated(
    keys_checked,
):
    schools = school_ids([100001, 100002, 100003])
    ids = measures_ensure()
    before = foreign_keys()
    with CaptureQueriesContext(connection) as queries:
        release = write(schools, ids)
    altered = [q["sql"] for q in queries if q["sql"].startswith("ALTER TABLE")]
    assert bool(altered) == (keys_checked == "together")
    stored = MeasureValue.objects.filter(release=release, is_current=True)
    assert sorted(stored.values_list("school_id", "value")) == [
        (schools[0], 50.0),
        (schools[1], 51.0),
        (schools[2], 52.0),
    ]
    assert [definition.split(" REFERENCES ")[1] for definition, *_ in before] == [
        "categorisation_measure(id) DEFERRABLE INITIALLY DEFERRED",
        "categorisation_datarelease(id) DEFERRABLE INITIALLY DEFERRED",
        "schools_school(id) DEFERRABLE INITIALLY DEFERRED",
    ]
    assert all(validated and deferred for _, validated, deferred in before)
    after = foreign_keys()
    if keys_checked == "together":  # back NOT VALID: PostgreSQL checked no stored row
        assert after == [(f"{d} NOT VALID", False, deferred) for d, _, deferred in before]
        assert sorted(foreign_keys_validate_task()) == sorted(FOREIGN_KEYS)
    assert foreign_keys() == before
    assert foreign_keys_validate_task() == []  # nothing left to validate


def test_the_new_rows_are_checked_and_no_stored_row_while_the_keys_are_added_back(
    monkeypatch,
):
    """Keys added back NOT VALID are not checked against the stored rows: the new rows are
    checked by one query over them alone (the rows above the largest key before)."""
    monkeypatch.setattr(bulk, "KEYS_CHECKED_TOGETHER_FROM", 1)
    schools = school_ids([100001, 100002, 100003])
    ids = measures_ensure()
    write(schools[:1], ids)
    largest = MeasureValue.objects.aggregate(Max("pk"))["pk__max"]
    with CaptureQueriesContext(connection) as queries:
        write(schools[1:], ids, checksum="y")
    checks = [q["sql"] for q in queries if "LEFT JOIN ONLY" in q["sql"]]
    assert len(checks) == 1 and f"> {largest}" in checks[0]
    added = [q["sql"] for q in queries if "ADD CONSTRAINT" in q["sql"]]
    assert len(added) == 1 and added[0].count("NOT VALID") == 3
    foreign_keys_validate_task()
    assert all(validated for _, validated, _ in foreign_keys())


def test_a_value_for_a_school_not_on_the_register_cannot_be_stored(keys_checked):
    schools = school_ids([100001, 100002])
    unknown = School.objects.aggregate(Max("pk"))["pk__max"] + 1000
    with pytest.raises(IntegrityError, match="schools_school"):
        write([*schools, unknown], measures_ensure())
    assert not MeasureValue.objects.exists()
    assert all(validated for _, validated, _ in foreign_keys())


def test_a_value_of_a_measure_not_in_the_catalogue_cannot_be_stored(keys_checked):
    schools = school_ids([100001, 100002])
    ids = measures_ensure()
    with pytest.raises(IntegrityError, match="categorisation_measure"):
        write(schools, {CODE: max(ids.values()) + 1000})
    assert not MeasureValue.objects.exists()


def test_beat_validates_keys_left_not_valid_every_five_minutes():
    entry = app.conf.beat_schedule[
        "database: validate the keys a large import added back NOT VALID, every 5 minutes"
    ]
    assert entry["schedule"] == 300.0
    assert entry["task"] == foreign_keys_validate_task.name and entry["task"] in app.tasks
