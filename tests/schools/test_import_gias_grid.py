"""The GIAS import reads each school's Ordnance Survey grid reference (Easting, Northing), used
to measure the distance between a school and a provider's school."""

from __future__ import annotations

import pytest

from schools.gias_import import gias_import
from schools.models import School
from tests.schools.test_import_gias import PRIMARY_2022, edit, gias_file, set_cell

pytestmark = pytest.mark.django_db


def test_import_reads_easting_and_northing_from_the_real_file(shared_data):
    gias_import(data=gias_file(shared_data, PRIMARY_2022), by=None)

    alton = School.objects.get(urn=115850)
    assert (alton.easting, alton.northing) == (472080, 139716)


def test_a_blank_grid_reference_is_stored_as_unknown(shared_data):
    gias_import(data=gias_file(shared_data, PRIMARY_2022), by=None)

    assert School.objects.get(urn=128684).easting is None
    assert School.objects.filter(easting__isnull=True).count() == 27


def test_a_grid_reference_that_is_not_a_number_is_a_problem_on_its_row(shared_data):
    data = edit(gias_file(shared_data, PRIMARY_2022), set_cell(115850, "Easting", "47208O"))

    result = gias_import(data=data, by=None)

    assert [e["message"] for e in result.errors] == ["Easting must be a whole number, like 447000"]
    assert not School.objects.exists()


def test_a_moved_grid_reference_updates_the_school(shared_data):
    data = gias_file(shared_data, PRIMARY_2022)
    gias_import(data=data, by=None)

    result = gias_import(data=edit(data, set_cell(115850, "Northing", "139800")), by=None)

    assert result.updated == 1
    assert School.objects.get(urn=115850).northing == 139800
