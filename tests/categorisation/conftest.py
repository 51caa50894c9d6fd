"""Shared fixtures for the categorisation tests: the register of real schools that the real
performance files name, and uploaded files kept out of the project's media folder."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from schools.gias_import import gias_import
from schools.models import School
from tests.factories import SchoolFactory

GIAS_2022 = "gias_20220420_hampshire850_surrey936_primaryphase.csv"
OFSTED_LEEDS = "ofsted_mi_latest_inspections_as_at_28_Feb_2026_leeds383.csv"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded and imported files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def register(db, shared_data: Path) -> int:
    """The Hampshire (850) and Surrey (936) primary schools of the real GIAS 2022 download: the
    schools the real KS2 files name. Returns how many schools the register holds."""
    result = gias_import(data=(shared_data / "gias" / GIAS_2022).read_bytes())
    assert not result.errors, result.errors[:3]
    return School.objects.count()


def schools_create(urns, la_code: str, la_name: str) -> list[int]:
    """Schools on the register with these URNs (other fields made up)."""
    urns = sorted({int(urn) for urn in urns})
    School.objects.bulk_create(
        [SchoolFactory.build(urn=urn, la_code=la_code, la_name=la_name) for urn in urns]
    )
    return urns


@pytest.fixture
def leeds_register(db, shared_data: Path) -> list[int]:
    """A register holding every school of the real Ofsted file for Leeds (383), by URN."""
    frame = pd.read_csv(shared_data / "ofsted" / OFSTED_LEEDS, dtype=str, keep_default_na=False)
    return schools_create(frame["URN"], "383", "Leeds")


@pytest.fixture
def north_yorkshire_register(db, shared_data: Path) -> list[int]:
    """A register holding every school of the real KS4 files for North Yorkshire (815)."""
    urns = set()
    for name in ("2016-2017_815_ks4final.csv", "2017-2018_815_ks4final.csv"):
        frame = pd.read_csv(
            shared_data / "ks4" / name, dtype=str, keep_default_na=False, encoding="utf-8-sig"
        )
        urns |= set(frame.loc[frame["RECTYPE"].isin(["1", "2"]), "URN"])
    return schools_create(urns, "815", "North Yorkshire")
