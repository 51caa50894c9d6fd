"""England's values from the KS2 national row (RECTYPE 5) are written set-based: the same few
queries whatever the number of measures, and a value from a later stage stays current."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from categorisation.models import NationalValue
from categorisation.performance_import import performance_import
from tests.categorisation.test_import_ks2 import ks2_file
from tests.schools.test_import_gias import edit

pytestmark = pytest.mark.django_db
TWO = {"PTRWM_EXP": "64%", "TELIG": "619703"}
# Every KS2 measure of the catalogue; the real row leaves the progress scores blank.
NINE = {
    **TWO,
    "PTRWM_HIGH": "10%",
    "READPROG": "0.1",
    "WRITPROG": "0.2",
    "MATPROG": "0.3",
    "READ_AVERAGE": "105",
    "MAT_AVERAGE": "104",
    "TOTPUPS": "4548053",
}


def with_national(data: bytes, values: dict[str, str]) -> bytes:
    """A copy of a KS2 file whose national row has these values and blanks for the others."""

    def change(rows):
        header = rows[0]
        row = next(r for r in rows[1:] if r and r[header.index("RECTYPE")] == "5")
        # Every other column blank, the prior-year ones (PTRWM_EXP_17) too
        for index, column in enumerate(header):
            if column != "RECTYPE":
                row[index] = values.get(column, "")

    return edit(data, change, encoding="utf-8-sig")  # the files start with a byte order mark


def import_counting(data: bytes, name: str, **options) -> int:
    """Import a file; how many queries touched England's values."""
    with CaptureQueriesContext(connection) as queries:
        result = performance_import(data=data, filename=name, **options)
    assert result.errors == []
    table = NationalValue._meta.db_table
    return sum(table in query["sql"] for query in queries.captured_queries)


def national(year: str, *, current: bool = True) -> dict[str, float]:
    stored = NationalValue.objects.filter(academic_year=year, is_current=current)
    return dict(stored.values_list("measure__code", "value"))


def test_englands_values_take_the_same_queries_for_two_measures_as_for_nine(register, shared_data):
    counts = {}
    for values, name in [(TWO, "2017-2018_850_ks2final.csv"), (NINE, "2016-2017_850_ks2final.csv")]:
        data = with_national(ks2_file(shared_data, name), values)
        first = import_counting(data, name, stage="provisional")
        revised = with_national(data, {**values, "PTRWM_EXP": "66%"})
        superseding = import_counting(revised, name, stage="revised")
        counts[len(values)] = (first, superseding)

    # Read the current values, mark the superseded ones (when there are any), insert the new.
    assert counts[2] == counts[9] == (2, 3)
    assert len(national("2017-2018")) == 2 and len(national("2016-2017")) == 9
    assert national("2016-2017")["KS2_PTRWM_EXP"] == 66.0
    assert national("2016-2017", current=False)["KS2_PTRWM_EXP"] == 64.0
    assert national("2016-2017")["KS2_MATPROG"] == 0.3


def test_a_later_stages_value_stays_current_measure_by_measure(register, shared_data):
    name = "2017-2018_850_ks2final.csv"
    final = with_national(ks2_file(shared_data, name), TWO)
    performance_import(data=final, filename=name, stage="final")
    provisional = with_national(ks2_file(shared_data, name), {**NINE, "PTRWM_EXP": "60%"})

    performance_import(data=provisional, filename=name, stage="provisional")

    current = NationalValue.objects.filter(academic_year="2017-2018", is_current=True)
    stages = dict(current.values_list("measure__code", "release__stage"))
    # The final file's two measures stay current; the provisional file adds the other seven.
    assert stages == {
        "KS2_PTRWM_EXP": "final",
        "KS2_TELIG": "final",
        **{f"KS2_{code}": "provisional" for code in NINE if code not in TWO},
    }
    assert national("2017-2018")["KS2_PTRWM_EXP"] == 64.0
    assert national("2017-2018", current=False) == {"KS2_PTRWM_EXP": 60.0, "KS2_TELIG": 619703.0}
