"""What the API fuzz test needs: a small partnership with two API users, a throwaway SQLite
server, and the schemathesis command that fuzzes a server.

``seed()`` runs inside the test database (PostgreSQL, through pytest) or, for the SQLite run, in
a ``manage.py shell`` subprocess against a throwaway SQLite file.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
BIN = Path(sys.executable).parent
START_TIMEOUT = 30

# Bounded and repeatable: the same cases every run (deterministic generation, no shrinking).
MAX_EXAMPLES = 20
CHECKS = [
    "not_a_server_error",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
]


def seed() -> dict[str, str]:
    """Two alliances, three clusters, five schools (one closed), an LA officer and the
    headteacher of the first school; returns their API tokens by persona."""
    from rest_framework.authtoken.models import Token

    from partnership.models import Role
    from schools.models import Status
    from tests.factories import (
        AllianceFactory,
        ClusterFactory,
        MembershipFactory,
        PartnershipFactory,
        RoleAssignmentFactory,
        SchoolFactory,
        TrustFactory,
        UserFactory,
    )

    partnership = PartnershipFactory()
    north = AllianceFactory(partnership=partnership, name="North Alliance")
    south = AllianceFactory(partnership=partnership, name="South Alliance")
    clusters = [
        ClusterFactory(alliance=north, name="Andover Cluster"),
        ClusterFactory(alliance=north, name="Basingstoke Cluster"),
        ClusterFactory(alliance=south, name="Eastleigh Cluster"),
    ]
    trust = TrustFactory(name="OAK LEARNING TRUST")
    schools = [SchoolFactory(urn=100001 + i, trust=trust if i == 0 else None) for i in range(5)]
    schools[4].status = Status.CLOSED
    schools[4].save()
    for school, cluster in zip(schools[:4], [*clusters, clusters[0]], strict=True):
        MembershipFactory(school=school, cluster=cluster)
    officer = UserFactory(email="fuzz.officer@example.org")
    RoleAssignmentFactory(user=officer, role=Role.OFFICER)
    head = UserFactory(email="fuzz.head@example.org")
    RoleAssignmentFactory(user=head, role=Role.HEADTEACHER, school=schools[0])
    return {
        "officer": Token.objects.create(user=officer).key,
        "headteacher": Token.objects.create(user=head).key,
    }


def schemathesis_run(
    base_url: str, token: str, *, phases: str, cwd: Path
) -> subprocess.CompletedProcess:
    """Fuzz every operation of the server's schema as the token's user; exit code 0 is clean.

    The checks: no server error, and every documented response matches the schema (content
    type, headers, body). Undocumented 4xx answers (a 400 for a refused body, a 404 for an id
    that does not exist) are allowed. The token endpoint is left out: its sign-in throttling
    (django-axes) answers repeated wrong passwords with 429 by design.
    """
    command = [
        str(BIN / "schemathesis"),
        "run",
        f"{base_url}/api/schema/",
        f"--header=Authorization: Token {token}",
        f"--checks={','.join(CHECKS)}",
        f"--phases={phases}",
        f"--max-examples={MAX_EXAMPLES}",
        "--generation-deterministic",
        "--no-shrink",
        "--continue-on-failure",
        "--workers=1",
        "--exclude-path=/api/token/",
        "--request-timeout=30",
        "--no-color",
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=cwd)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer {url} in {START_TIMEOUT}s")


@dataclass
class Server:
    url: str
    log: Path


@contextmanager
def gunicorn_server(folder: Path, database_url: str) -> Iterator[Server]:
    """gunicorn (one worker, DEBUG off) on the database; stopped by its PID afterwards."""
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "false"}
    env["DJANGO_ENV"] = "development"
    port, log = _free_port(), folder / "gunicorn.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "config.wsgi", f"--bind=127.0.0.1:{port}", "--workers=1"],
            cwd=BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_until_up(f"{url}/accounts/login/", server, log)
        yield Server(url, log)
    finally:
        server.terminate()
        server.wait(timeout=10)


def sqlite_seeded(folder: Path) -> tuple[str, dict[str, str]]:
    """A throwaway SQLite file in ``folder``, migrated and seeded by ``manage.py`` subprocesses;
    its DATABASE_URL and the API tokens."""
    database_url = f"sqlite:///{folder / 'fuzz.sqlite3'}"
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "false"}
    run = {"cwd": BASE_DIR, "env": env, "capture_output": True, "text": True, "check": True}
    manage = [str(BIN / "python"), "manage.py"]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], **run)
    code = "import json; from tests.api.fuzz_world import seed; print(json.dumps(seed()))"
    seeded = subprocess.run([*manage, "shell", "-c", code], **run)
    return database_url, json.loads(seeded.stdout.strip().splitlines()[-1])
