"""How the GIAS import saves: the audit trail it writes by set-based SQL matches the schools as
saved, with the importer and the reason, on both ways of writing (PostgreSQL's ``unnest``, and
the ``bulk_create``/``bulk_update`` used on SQLite); and a failure while saving writes nothing."""

from __future__ import annotations

import pytest

from board.audit import audit_trail
from schools import gias_import as gias_import_module
from schools.gias_import import gias_import
from schools.models import School, Trust
from tests.factories import UserFactory
from tests.schools.test_import_gias import (
    SURREY_2021,
    edit,
    gias_file,
    register_snapshot,
    set_cell,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["set-based", "orm"], autouse=True)
def write_path(request, monkeypatch):
    """Run each test on both ways of writing (the ORM one is what SQLite uses)."""
    if request.param == "orm":
        monkeypatch.setattr(gias_import_module, "set_based", lambda: False)
    return request.param


@pytest.fixture
def officer():
    return UserFactory(email="importer@example.org")


def tracked_values(record) -> dict:
    """The values the audit trail keeps of a school (or a historical row of one)."""
    names = [f.attname for f in School.history.model.tracked_fields]
    return {name: getattr(record, name) for name in names}


def test_each_created_school_has_one_audit_record_holding_its_saved_values(shared_data, officer):
    gias_import(data=gias_file(shared_data, SURREY_2021), by=officer)

    records = {r.id: r for r in School.history.all()}
    schools = list(School.objects.all())
    assert len(records) == len(schools) == School.history.count() == 397
    for school in schools:
        record = records[school.pk]
        assert tracked_values(record) == tracked_values(school)
        assert (record.history_type, record.history_user, record.history_change_reason) == (
            "+",
            officer,
            "GIAS import",
        )
    assert School.history.values("history_date").distinct().count() == 1


def test_only_the_changed_schools_get_a_change_record_with_their_new_values(shared_data, officer):
    data = gias_file(shared_data, SURREY_2021)
    gias_import(data=data)
    changed = edit(
        edit(data, set_cell(124911, "NumberOfPupils", "77")),
        set_cell(124937, "Postcode", ""),
    )

    result = gias_import(data=changed, by=officer)

    assert (result.created, result.updated) == (0, 2)
    changes = School.history.filter(history_type="~")
    assert sorted(changes.values_list("urn", flat=True)) == [124911, 124937]
    assert {(c.history_user, c.history_change_reason) for c in changes} == {
        (officer, "GIAS import")
    }
    for record in changes:
        assert tracked_values(record) == tracked_values(School.objects.get(pk=record.id))
    assert School.objects.get(urn=124911).number_of_pupils == 77
    assert School.objects.get(urn=124937).postcode == ""


def test_an_import_without_a_signed_in_person_records_no_user_but_the_reason(shared_data):
    gias_import(data=gias_file(shared_data, SURREY_2021))

    assert set(School.history.values_list("history_user", "history_change_reason")) == {
        (None, "GIAS import")
    }


def test_the_audit_trail_shows_an_imported_change_by_the_importer_with_old_and_new_values(
    shared_data, officer
):
    data = gias_file(shared_data, SURREY_2021)
    gias_import(data=data)
    school = School.objects.get(urn=124911)
    gias_import(data=edit(data, set_cell(124911, "NumberOfPupils", "77")), by=officer)

    entry = audit_trail(kind="school").entries[0]

    assert (entry.who, entry.action, entry.reason) == (officer, "Changed", "GIAS import")
    assert entry.object_label == f"{school.name} (124911)"
    assert [(c.field, c.old, c.new) for c in entry.changes] == [
        ("Number of pupils", str(school.number_of_pupils), "77")
    ]


def test_a_school_moving_to_a_new_trust_is_linked_to_it_and_the_audit_trail_says_so(
    shared_data, officer
):
    data = gias_file(shared_data, SURREY_2021)
    gias_import(data=data)
    academy = School.objects.filter(trust__name="GLF SCHOOLS").order_by("urn").first()

    result = gias_import(
        data=edit(data, set_cell(academy.urn, "Trusts (name)", "NEW HORIZONS TRUST")), by=officer
    )

    assert result.updated == 1
    academy.refresh_from_db()
    assert academy.trust == Trust.objects.get(name="NEW HORIZONS TRUST")
    latest = academy.history.latest()
    assert (latest.history_type, latest.trust_id) == ("~", academy.trust_id)


def test_names_with_quotes_backslashes_and_accents_are_saved_exactly(shared_data):
    name = 'St Mary\'s "Old" School \\ Annexe, Crème de la crème \U0001f3eb'
    data = edit(gias_file(shared_data, SURREY_2021), set_cell(124911, "EstablishmentName", name))

    gias_import(data=data)

    assert School.objects.get(urn=124911).name == name
    assert School.history.get(urn=124911).name == name


def test_a_second_import_of_the_same_file_writes_no_audit_records(shared_data, officer):
    data = gias_file(shared_data, SURREY_2021)
    gias_import(data=data, by=officer)
    before = register_snapshot()

    again = gias_import(data=data, by=officer)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 397)
    assert register_snapshot() == before


def test_a_failure_while_saving_the_audit_trail_leaves_the_register_as_it_was(
    shared_data, monkeypatch
):
    def failing_history_copy(*args, **kwargs):
        raise RuntimeError("The audit trail could not be written")

    monkeypatch.setattr(gias_import_module, "_history_copy", failing_history_copy)

    with pytest.raises(RuntimeError, match="audit trail"):
        gias_import(data=gias_file(shared_data, SURREY_2021))

    assert School.objects.count() == School.history.count() == Trust.objects.count() == 0
