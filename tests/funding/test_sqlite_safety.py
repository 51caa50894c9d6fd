"""On SQLite, too, concurrent commitments never overspend: with ``transaction_mode``
IMMEDIATE (config/settings.py) each commission takes SQLite's write lock before it reads the
balance, so twelve threads racing on one allocation queue up and exactly the affordable number
commit, with no "database is locked" errors. The suite runs on PostgreSQL, so this starts a
subprocess on a fresh SQLite file (about 15 seconds, most of it migrating)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_concurrent_commitments_on_sqlite_queue_and_never_overspend(tmp_path):
    """...and the money is stored as whole pence (SQLite INTEGER), never a REAL."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("TEST_DATABASE_NAME", "DJANGO_SETTINGS_MODULE")
    }
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'race.sqlite3'}"
    finished = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "funding" / "sqlite_race.py")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    summary = json.loads(finished.stdout.strip().splitlines()[-1])
    assert summary == {
        "vendor": "sqlite",
        "transaction_mode": "IMMEDIATE",
        "committed": 7,
        "refused": 5,
        "errors": [],
        "left": "1000.00",
        "amounts_stored_as": ["integer"],  # whole pence: never a float at rest
    }
