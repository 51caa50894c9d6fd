"""Back up and restore the database named by DATABASE_URL, with the uploaded files.

PostgreSQL: ``pg_dump -Fc`` to a ``.dump`` file, restored by ``pg_restore --clean --if-exists
--no-owner`` in one transaction. SQLite (the default with no DATABASE_URL): a consistent copy
by SQLite's online backup API to a ``.sqlite3`` file, safe while the app is running. The files
in MEDIA_ROOT (every uploaded import file) go beside it as ``<name>.media.tar.gz``.

A restore refuses to write into a database that already has tables, or a MEDIA_ROOT that
already has files, unless forced: restoring over live data by mistake loses it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tarfile
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils import timezone

POSTGRESQL, SQLITE = "django.db.backends.postgresql", "django.db.backends.sqlite3"
PG_MAGIC, SQLITE_MAGIC = b"PGDMP", b"SQLite format 3\x00"
SUFFIX = {POSTGRESQL: ".dump", SQLITE: ".sqlite3"}


@dataclass(frozen=True)
class Backup:
    database: Path
    media: Path | None


def media_archive_path(database_file: Path) -> Path:
    """Where the uploaded files of a backup are: beside it, ``<name>.media.tar.gz``."""
    return database_file.with_name(f"{database_file.stem}.media.tar.gz")


def backup_default_path(*, directory: Path | None = None, engine: str | None = None) -> Path:
    """``backups/<UTC timestamp>.dump`` (PostgreSQL) or ``.sqlite3`` (SQLite)."""
    engine = engine or _database()["ENGINE"]
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    return (directory or settings.BASE_DIR / "backups") / f"{stamp}{SUFFIX[engine]}"


def _database(alias: str = "default") -> dict:
    database = connections[alias].settings_dict
    if database["ENGINE"] not in SUFFIX:
        raise ValidationError(f"Backups support PostgreSQL and SQLite, not {database['ENGINE']}")
    return database


def _pg_arguments(database: dict) -> tuple[list[str], dict]:
    """Connection options for the PostgreSQL client tools, and their environment."""
    arguments = [f"--dbname={database['NAME']}"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database.get(key):
            arguments.append(f"{option}={database[key]}")
    env = {**os.environ}
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = database["PASSWORD"]
    if database.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = database["OPTIONS"]["sslmode"]
    return arguments, env


def _run(command: list[str], env: dict) -> None:
    if shutil.which(command[0]) is None:
        raise ValidationError(f"{command[0]} was not found: install the PostgreSQL client tools")
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise ValidationError(f"{command[0]} failed: {done.stderr.strip()}")


def _media_files(media_root: Path) -> bool:
    return media_root.is_dir() and any(path.is_file() for path in media_root.rglob("*"))


def _sqlite_copy(source: Path, target: Path) -> None:
    """Copy a whole SQLite database, page by page, consistent even while it is written to."""
    with closing(sqlite3.connect(source)) as reader, closing(sqlite3.connect(target)) as writer:
        reader.backup(writer)


def backup_create(*, output: Path | None = None, media: bool = True) -> Backup:
    """Write the database (and the uploaded files, if any) to ``output``; return the paths."""
    database = _database()
    output = Path(output or backup_default_path(engine=database["ENGINE"]))
    output.parent.mkdir(parents=True, exist_ok=True)
    if database["ENGINE"] == POSTGRESQL:
        arguments, env = _pg_arguments(database)
        _run(["pg_dump", "--format=custom", f"--file={output}", *arguments], env)
    elif not Path(database["NAME"]).is_file():
        raise ValidationError(f"There is no database at {database['NAME']}")
    else:
        _sqlite_copy(Path(database["NAME"]), output)
    archive = None
    media_root = Path(settings.MEDIA_ROOT)
    if media and _media_files(media_root):
        archive = media_archive_path(output)
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(media_root, arcname=".")
    return Backup(database=output, media=archive)


def _tables(alias: str = "default") -> list[str]:
    with connections[alias].cursor() as cursor:
        return connections[alias].introspection.table_names(cursor)


def _check_file(path: Path, engine: str) -> None:
    if not path.is_file():
        raise ValidationError(f"There is no backup file at {path}")
    with path.open("rb") as file:
        start = file.read(len(SQLITE_MAGIC))
    magic, kind = (PG_MAGIC, "PostgreSQL") if engine == POSTGRESQL else (SQLITE_MAGIC, "SQLite")
    if not start.startswith(magic):
        raise ValidationError(
            f"{path} is not a {kind} backup: restore a {SUFFIX[engine]} file made by "
            "manage.py backup from a database of the same kind"
        )


def backup_restore(*, path: Path, force: bool = False, media: bool = True) -> Backup:
    """Load a backup into the database (and its files into MEDIA_ROOT): into empty ones only,
    unless ``force``, which replaces what is there."""
    database = _database()
    path = Path(path)
    _check_file(path, database["ENGINE"])
    archive = media_archive_path(path) if media else None
    archive = archive if archive and archive.is_file() else None
    media_root = Path(settings.MEDIA_ROOT)
    if not force:
        if _tables():
            raise ValidationError(
                f"The database {database['NAME']} is not empty. Restore into a new, empty "
                "database, or use --force to replace its data with the backup's"
            )
        if archive and _media_files(media_root):
            raise ValidationError(
                f"{media_root} already has files. Restore into an empty MEDIA_ROOT, or use "
                "--force to add the backup's files to it"
            )
    connections["default"].close()
    if database["ENGINE"] == POSTGRESQL:
        arguments, env = _pg_arguments(database)
        options = ["--clean", "--if-exists", "--no-owner", "--no-privileges"]
        options += ["--single-transaction", "--exit-on-error"]
        _run(["pg_restore", *options, *arguments, str(path)], env)
    else:
        _sqlite_copy(path, Path(database["NAME"]))
    if archive:
        media_root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(media_root, filter="data")
    return Backup(database=path, media=archive)
