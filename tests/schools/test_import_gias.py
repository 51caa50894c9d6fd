"""The GIAS import on the real downloads in ../shared/data/gias: counts, idempotence, updates,
classification, links, trusts, the audit trail and the management command."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pandas as pd
import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from kernel.tables import decode, read_table
from schools.gias_import import gias_import
from schools.imports.gias_vocabulary import LINKS, WANTED
from schools.models import Phase, School, Status, Trust, TypeGroup
from tests.factories import SchoolFactory, UserFactory

PRIMARY_2022 = "gias_20220420_hampshire850_surrey936_primaryphase.csv"
SURREY_2021 = "gias_2021-05_surrey936_allestablishments.csv"
EDUBASE_2015 = "edubasealldata20150407_free_schools_extract_england.csv"

pytestmark = pytest.mark.django_db


def gias_file(shared_data, name: str) -> bytes:
    return (shared_data / "gias" / name).read_bytes()


def edit(data: bytes, change, encoding: str = "utf-8") -> bytes:
    """A copy of a CSV with ``change(rows)`` applied to its parsed rows (header first)."""
    rows = list(csv.reader(io.StringIO(data.decode(encoding), newline="")))
    change(rows)
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def set_cell(urn: int, column: str, value: str):
    """An ``edit`` change that sets one cell of the school with this URN."""

    def change(rows):
        header = rows[0]
        row = next(r for r in rows[1:] if r and r[header.index("URN")] == str(urn))
        row[header.index(column)] = value

    return change


def register_snapshot() -> list[tuple]:
    """Every school's every value, and the size of the audit trail: to prove nothing changed."""
    return [*School.objects.order_by("urn").values_list(), School.history.count()]


@pytest.mark.parametrize(
    ("name", "created", "skipped"),
    [(PRIMARY_2022, 1096, 0), (SURREY_2021, 397, 193), (EDUBASE_2015, 323, 0)],
)
def test_each_real_file_creates_its_state_funded_schools(shared_data, name, created, skipped):
    result = gias_import(data=gias_file(shared_data, name))

    assert result.errors == []
    assert result.counts == {
        "created": created,
        "updated": 0,
        "unchanged": 0,
        "skipped": skipped,
    }
    assert School.objects.count() == created


def test_surrey_2021_counts_397_state_funded_of_590(shared_data):
    result = gias_import(data=gias_file(shared_data, SURREY_2021))

    assert result.created + result.skipped == 590
    assert result.created == 397
    groups = dict(School.objects.values_list("type_group").annotate(n=Count("id")))
    assert groups == {
        TypeGroup.LA_MAINTAINED: 183,
        TypeGroup.ACADEMY: 171,
        TypeGroup.SPECIAL: 24,
        TypeGroup.ALTERNATIVE_PROVISION: 8,
        TypeGroup.FREE_SCHOOL: 7,
        TypeGroup.NURSERY: 4,
    }
    # Independent schools, children's centres, colleges and universities are not imported.
    assert not School.objects.filter(establishment_type__icontains="independent").exists()
    assert not School.objects.filter(establishment_type__icontains="children").exists()


def test_la_option_limits_the_import_to_hampshire(shared_data):
    result = gias_import(data=gias_file(shared_data, PRIMARY_2022), la_codes=["850"])

    assert result.counts == {"created": 520, "updated": 0, "unchanged": 0, "skipped": 576}
    assert set(School.objects.values_list("la_code", flat=True)) == {"850"}


def test_second_run_of_the_same_file_changes_nothing(shared_data, django_assert_max_num_queries):
    data = gias_file(shared_data, PRIMARY_2022)
    gias_import(data=data)
    before = register_snapshot()

    with django_assert_max_num_queries(3):
        again = gias_import(data=data)

    assert again.counts == {"created": 0, "updated": 0, "unchanged": 1096, "skipped": 0}
    assert "already matches" in again.summary
    assert register_snapshot() == before


def test_first_import_uses_bulk_queries_not_one_per_school(
    shared_data, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20):
        result = gias_import(data=gias_file(shared_data, PRIMARY_2022))
    assert result.created == 1096


def test_a_changed_name_updates_one_school_and_records_who(shared_data):
    officer = UserFactory(email="importer@example.org")
    data = gias_file(shared_data, PRIMARY_2022)
    gias_import(data=data)
    renamed = edit(data, set_cell(115850, "EstablishmentName", "Alton Infant and Nursery School"))

    result = gias_import(data=renamed, by=officer)

    assert result.counts == {"created": 0, "updated": 1, "unchanged": 1095, "skipped": 0}
    school = School.objects.get(urn=115850)
    assert school.name == "Alton Infant and Nursery School"
    latest = school.history.latest()
    assert (latest.history_type, latest.history_user, latest.history_change_reason) == (
        "~",
        officer,
        "GIAS import",
    )


def test_created_schools_have_an_audit_record_by_the_importer(shared_data):
    officer = UserFactory(email="importer@example.org")
    gias_import(data=gias_file(shared_data, SURREY_2021), by=officer)

    assert School.history.filter(history_type="+", history_user=officer).count() == 397


def test_import_keeps_opt_outs_and_leaves_schools_missing_from_the_file(shared_data):
    SchoolFactory(urn=115850, name="Old name", opted_out=True, opted_out_note="Left in 2021")
    vanished = SchoolFactory(urn=999001, name="Not in the file")

    result = gias_import(data=gias_file(shared_data, PRIMARY_2022))

    assert (result.created, result.updated) == (1095, 1)
    school = School.objects.get(urn=115850)
    assert school.name == "Alton Infant School"
    assert (school.opted_out, school.opted_out_note) == (True, "Left in 2021")
    assert School.objects.filter(pk=vanished.pk, name="Not in the file").exists()


def test_school_fields_are_mapped_from_gias_columns(shared_data):
    gias_import(data=gias_file(shared_data, PRIMARY_2022))

    school = School.objects.get(urn=115850)
    assert (school.name, school.la_code, school.la_name) == (
        "Alton Infant School",
        "850",
        "Hampshire",
    )
    assert (school.type_group, school.is_academy, school.status) == (
        TypeGroup.LA_MAINTAINED,
        False,
        Status.OPEN,
    )
    assert (school.phase, school.gias_phase) == (Phase.PRIMARY, "Primary")
    assert (school.statutory_low_age, school.statutory_high_age, school.number_of_pupils) == (
        4,
        7,
        138,
    )
    assert (school.postcode, school.town, school.district) == (
        "GU34 1DH",
        "Alton",
        "East Hampshire",
    )
    assert (school.ofsted_rating, school.ofsted_last_inspection) == ("Good", date(2019, 1, 23))
    assert school.gias_last_changed == date(2022, 3, 17)
    assert (
        School.objects.filter(gias_phase="Middle deemed primary", phase=Phase.MIDDLE).count() == 31
    )
    assert School.objects.filter(status=Status.CLOSED).count() == 368


def test_academies_are_flagged_and_linked_to_their_trust(shared_data):
    gias_import(data=gias_file(shared_data, SURREY_2021))

    # 140 converters, 27 sponsor led, 4 16-19, 7 free schools, 9 + 3 special academies.
    assert School.objects.filter(is_academy=True).count() == 190
    assert not School.objects.filter(is_academy=True, type_group=TypeGroup.LA_MAINTAINED).exists()
    special_academies = School.objects.filter(establishment_type="Academy special converter")
    assert set(special_academies.values_list("type_group", "is_academy")) == {
        (TypeGroup.SPECIAL, True)
    }
    assert Trust.objects.get(name="GLF SCHOOLS").trust_type == Trust.TrustType.MULTI_ACADEMY
    assert set(Trust.objects.values_list("trust_type", flat=True)) == {"mat", "sat", "foundation"}
    glf = School.objects.filter(trust__name="GLF SCHOOLS")
    assert glf.exists() and all(school.is_academy for school in glf)


def test_trusts_are_matched_by_name_whatever_the_case(shared_data):
    Trust.objects.create(name="Glf Schools", trust_type=Trust.TrustType.OTHER)

    gias_import(data=gias_file(shared_data, SURREY_2021))

    trust = Trust.objects.get(name__iexact="glf schools")
    assert trust.trust_type == Trust.TrustType.MULTI_ACADEMY
    assert trust.schools.exists()


def test_ragged_rows_keep_a_rebrokered_academys_predecessor(shared_data):
    # St Columba's links are "147701 Successor" then, in an extra unnamed field, its predecessor.
    gias_import(data=gias_file(shared_data, PRIMARY_2022))

    academy = School.objects.get(urn=138509)
    assert (academy.establishment_type, academy.status) == ("Academy sponsor led", Status.CLOSED)
    assert (academy.predecessor_urn, academy.successor_urn) == (131419, 147701)
    assert School.objects.get(urn=125119).predecessor_urn == 130058
    assert School.objects.get(urn=116018).predecessor_urn == 115961
    no_links = School.objects.get(urn=115850)
    assert (no_links.predecessor_urn, no_links.successor_urn) == (None, None)


def test_windows_1252_edubase_file_keeps_its_curly_apostrophe(shared_data):
    result = gias_import(data=gias_file(shared_data, EDUBASE_2015))

    assert result.errors == []
    school = School.objects.get(urn=140564)
    assert school.name == "King\u2019s College London Maths School"
    assert set(School.objects.values_list("is_academy", flat=True)) == {True}
    # EduBase writes "x" for a suppressed pupil number: missing, not an error.
    assert School.objects.get(urn=139774).number_of_pupils is None


def test_utf8_file_with_a_byte_order_mark_and_lf_line_ends_is_read(shared_data):
    data = gias_file(shared_data, SURREY_2021).replace(b"\r\n", b"\n")

    result = gias_import(data=b"\xef\xbb\xbf" + data)

    assert (result.errors, result.created, result.skipped) == ([], 397, 193)


@pytest.mark.parametrize("name", [PRIMARY_2022, SURREY_2021, EDUBASE_2015])
def test_fast_and_exact_csv_readers_agree_on_the_real_files(shared_data, name):
    text = decode(gias_file(shared_data, name))

    fast = read_table(text, WANTED, joined=LINKS)
    exact = read_table(text, WANTED, joined=LINKS, exact=True)

    assert fast[0] == exact[0]
    pd.testing.assert_frame_equal(fast[1], exact[1])
    assert fast[2] == exact[2] == []


def test_columns_are_read_by_name_not_position(shared_data):
    def reverse_columns(rows):
        rows[:] = [list(reversed(row)) for row in rows]

    result = gias_import(data=edit(gias_file(shared_data, SURREY_2021), reverse_columns))

    assert (result.errors, result.created) == ([], 397)
    assert School.objects.get(urn=124911).name == "Chertsey Nursery School"


def test_a_dorset_style_primary_to_age_9_is_a_first_school(shared_data):
    data = edit(gias_file(shared_data, PRIMARY_2022), set_cell(115850, "StatutoryHighAge", "9"))

    gias_import(data=data)

    assert School.objects.get(urn=115850).phase == Phase.FIRST
    assert School.objects.get(urn=115850).gias_phase == "Primary"


def test_dry_run_counts_but_writes_nothing(shared_data):
    result = gias_import(data=gias_file(shared_data, SURREY_2021), dry_run=True)

    assert result.counts == {"created": 397, "updated": 0, "unchanged": 0, "skipped": 193}
    assert School.objects.count() == 0
    assert Trust.objects.count() == 0


def test_command_prints_exactly_one_json_object(shared_data):
    out, err = io.StringIO(), io.StringIO()
    path = shared_data / "gias" / PRIMARY_2022

    call_command("import_gias", str(path), "--la", "850", "--json", stdout=out, stderr=err)

    assert json.loads(out.getvalue()) == {
        "created": 520,
        "updated": 0,
        "unchanged": 0,
        "skipped": 576,
        "errors": [],
        "problem_total": 0,
    }


def test_command_dry_run_says_so_and_writes_nothing(shared_data):
    out = io.StringIO()

    call_command("import_gias", str(shared_data / "gias" / SURREY_2021), "--dry-run", stdout=out)

    assert "Dry run, nothing was changed: 397 created, 0 updated, 0 unchanged, 193 skipped" in (
        out.getvalue()
    )
    assert School.objects.count() == 0


def test_command_second_run_reports_all_unchanged(shared_data):
    path = str(shared_data / "gias" / EDUBASE_2015)
    call_command("import_gias", path, stdout=io.StringIO())
    out = io.StringIO()

    call_command("import_gias", path, stdout=out)

    assert "The register already matches the file: 0 created, 0 updated, 323 unchanged" in (
        out.getvalue()
    )


def test_command_reports_a_missing_file():
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_gias", "/no/such/gias.csv", stdout=io.StringIO())
