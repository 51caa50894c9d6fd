"""make backup / make restore: every row of every table, and the uploaded files, come back."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import psycopg2
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from clusters.jobs import STRUCTURE_IMPORT
from kernel.jobs import job_create
from kernel.models import Job
from partnership.models import RoleAssignment

BASE_DIR = Path(__file__).resolve().parent.parent.parent
UPLOAD = b"URN,Cluster\r\n100001,Andover Cluster\r\n"


def manage(*arguments: str, database_url: str, media_root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, "MEDIA_ROOT": str(media_root)}
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@contextmanager
def pg_cursor(dbname: str) -> Iterator:
    """A cursor on one database of the test server, committed on leaving."""
    connected = psycopg2.connect(dbname=dbname, user="postgres", host="127.0.0.1")
    with closing(connected) as db, db, db.cursor() as cursor:
        yield cursor


def pg_row_counts(dbname: str) -> dict[str, int]:
    """Every table of the public schema with its number of rows."""
    with pg_cursor(dbname) as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        counts = {}
        for (table,) in sorted(cursor.fetchall()):
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


def pg_value(dbname: str, sql: str) -> list[tuple]:
    with pg_cursor(dbname) as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


@pytest.fixture
def restore_database():
    """An empty second PostgreSQL database beside the test database, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restore"
    admin = psycopg2.connect(dbname="postgres", user="postgres", host="127.0.0.1")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def record_history(world, officer) -> Job:
    """A renamed school (a second audit trail row) and an uploaded file on a job."""
    school = world.school_a
    school.name = "Ashdown Church of England Primary School"
    school._history_user = officer
    school.save()
    return job_create(
        kind=STRUCTURE_IMPORT, created_by=officer, data=UPLOAD, filename="clusters.csv"
    )


@pytest.mark.django_db(transaction=True)
def test_postgresql_backup_restores_every_row_and_file_into_an_empty_database(
    world, officer, settings, tmp_path, restore_database
):
    settings.MEDIA_ROOT = tmp_path / "media"
    job = record_history(world, officer)
    source = connection.settings_dict["NAME"]

    call_command("backup", output=tmp_path / "partnership.dump")

    assert (tmp_path / "partnership.dump").read_bytes().startswith(b"PGDMP")
    assert (tmp_path / "partnership.media.tar.gz").is_file()
    restored_media = tmp_path / "restored-media"
    url = f"postgres://postgres@127.0.0.1:5432/{restore_database}"
    done = manage("restore", str(tmp_path / "partnership.dump"), **_at(url, restored_media))
    assert done.returncode == 0, done.stderr
    assert "Database restored from" in done.stdout

    counts = pg_row_counts(source)
    assert pg_row_counts(restore_database) == counts
    assert counts["schools_school"] == 4 and counts["schools_historicalschool"] == 5
    assert counts["partnership_roleassignment"] == RoleAssignment.objects.count() == 1
    history = "SELECT name, history_type FROM schools_historicalschool WHERE urn = 100001"
    assert sorted(pg_value(restore_database, history + " ORDER BY history_id")) == sorted(
        [("Ashdown Primary School", "+"), ("Ashdown Church of England Primary School", "~")]
    )
    roles = "SELECT u.email, r.role FROM partnership_roleassignment r JOIN partnership_user u "
    assert pg_value(restore_database, roles + "ON u.id = r.user_id") == [
        ("officer@example.org", "officer")
    ]
    jobs = f"SELECT checksum, file FROM partnership_job WHERE id = {job.pk}"
    assert pg_value(restore_database, jobs) == [(job.checksum, job.file.name)]
    assert (restored_media / job.file.name).read_bytes() == UPLOAD


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_with_data_unless_forced(
    world, officer, settings, tmp_path, restore_database
):
    settings.MEDIA_ROOT = tmp_path / "media"
    record_history(world, officer)
    call_command("backup", output=tmp_path / "partnership.dump", no_media=True)
    url = f"postgres://postgres@127.0.0.1:5432/{restore_database}"
    media = tmp_path / "restored-media"
    assert manage("restore", str(tmp_path / "partnership.dump"), **_at(url, media)).returncode == 0
    with pg_cursor(restore_database) as cursor:
        cursor.execute("UPDATE schools_school SET name = 'Changed since' WHERE urn = 100001")

    refused = manage("restore", str(tmp_path / "partnership.dump"), **_at(url, media))

    assert refused.returncode == 1
    assert f"The database {restore_database} is not empty." in refused.stderr
    assert "use --force to replace its data" in refused.stderr
    name = "SELECT name FROM schools_school WHERE urn = 100001"
    assert pg_value(restore_database, name) == [("Changed since",)]

    forced = manage("restore", "--force", str(tmp_path / "partnership.dump"), **_at(url, media))

    assert forced.returncode == 0, forced.stderr
    assert pg_value(restore_database, name) == [("Ashdown Church of England Primary School",)]
    assert pg_row_counts(restore_database) == pg_row_counts(connection.settings_dict["NAME"])


def test_restore_refuses_a_file_that_is_not_a_backup_of_this_kind_of_database(tmp_path):
    other = tmp_path / "copy.sqlite3"
    other.write_bytes(b"SQLite format 3\x00" + bytes(100))

    with pytest.raises(CommandError, match="is not a PostgreSQL backup: restore a .dump file"):
        call_command("restore", str(other))
    with pytest.raises(CommandError, match="There is no backup file at"):
        call_command("restore", str(tmp_path / "missing.dump"))


def _at(database_url: str, media_root: Path) -> dict:
    return {"database_url": database_url, "media_root": media_root}


SQLITE_DATA = """
from tests.conftest import *  # noqa
from tests.factories import *  # noqa
from kernel.jobs import job_create
from kernel.models import Job
from partnership.models import Role
from clusters.jobs import STRUCTURE_IMPORT
partnership = PartnershipFactory()
cluster = ClusterFactory(alliance=AllianceFactory(partnership=partnership))
school = SchoolFactory(name="Ashdown Primary School", urn=100001)
MembershipFactory(school=school, cluster=cluster)
officer = UserFactory(email="officer@example.org")
RoleAssignmentFactory(user=officer, role=Role.OFFICER)
school.name = "Ashdown Church of England Primary School"
school.save()
job_create(kind=STRUCTURE_IMPORT, created_by=officer, data=%r, filename="c.csv")
"""


def sqlite_row_counts(path: Path) -> dict[str, int]:
    with closing(sqlite3.connect(path)) as db:
        tables = [
            name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        return {
            table: db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables
        }


def test_sqlite_backup_restores_every_row_and_file_into_a_new_file(tmp_path):
    url, media = f"sqlite:///{tmp_path / 'app.sqlite3'}", tmp_path / "media"
    assert manage("migrate", "-v", "0", database_url=url, media_root=media).returncode == 0
    filled = manage("shell", "-c", SQLITE_DATA % UPLOAD, database_url=url, media_root=media)
    assert filled.returncode == 0, filled.stderr

    backed_up = manage("backup", database_url=url, media_root=media)

    assert backed_up.returncode == 0, backed_up.stderr
    backup = Path(backed_up.stdout.split("Database backed up to ")[1].split()[0])
    assert backup.parent == BASE_DIR / "backups" and backup.suffix == ".sqlite3"
    try:
        restored_url, restored_media = f"sqlite:///{tmp_path / 'new.sqlite3'}", tmp_path / "new"
        done = manage("restore", str(backup), database_url=restored_url, media_root=restored_media)
        assert done.returncode == 0, done.stderr
    finally:
        backup.unlink()
        (backup.parent / f"{backup.stem}.media.tar.gz").unlink()

    counts = sqlite_row_counts(tmp_path / "app.sqlite3")
    assert sqlite_row_counts(tmp_path / "new.sqlite3") == counts
    assert counts["schools_historicalschool"] == 2 and counts["partnership_roleassignment"] == 1
    with closing(sqlite3.connect(tmp_path / "new.sqlite3")) as db:
        history = db.execute("SELECT name FROM schools_historicalschool ORDER BY history_id")
        assert [name for (name,) in history] == [
            "Ashdown Primary School",
            "Ashdown Church of England Primary School",
        ]
        (file_name,) = db.execute("SELECT file FROM partnership_job").fetchone()
    assert (restored_media / file_name).read_bytes() == UPLOAD
