"""Schemathesis fuzzes every operation of the published schema as an LA officer and as a
headteacher, against gunicorn (DEBUG off, in a subprocess) on PostgreSQL (the suite's test
database) and on SQLite (a throwaway file): no answer is a server error, and every documented
answer matches the schema.

The officer's run adds schemathesis's coverage phase (boundary values: huge and negative
integers, overlong strings, wrong types) to random fuzzing; the headteacher, who may only read,
gets the fuzzing. Generation is deterministic and bounded (``MAX_EXAMPLES`` per operation).
"""

import pytest

from tests.api.fuzz_world import gunicorn_server, schemathesis_run, seed, sqlite_seeded
from tests.workers import _database_url

PHASES = {"officer": "coverage,fuzzing", "headteacher": "fuzzing"}


def fuzz_failures(base_url: str, tokens: dict[str, str], folder) -> list[str]:
    failures = []
    for persona, phases in PHASES.items():
        run = schemathesis_run(base_url, tokens[persona], phases=phases, cwd=folder)
        if run.returncode != 0:
            failures.append(f"As the {persona}:\n{run.stdout[-6000:]}{run.stderr[-2000:]}")
    return failures


@pytest.mark.django_db(transaction=True)
def test_fuzzing_the_api_on_postgresql_finds_no_server_error(tmp_path):
    tokens = seed()  # committed, so the server sees it; the test database is emptied afterwards
    with gunicorn_server(tmp_path, _database_url()) as server:
        failures = fuzz_failures(server.url, tokens, tmp_path)
    assert not failures, (
        "\n\n".join(failures) + f"\n\nServer log:\n{server.log.read_text()[-3000:]}"
    )


def test_fuzzing_the_api_on_sqlite_finds_no_server_error(tmp_path):
    database_url, tokens = sqlite_seeded(tmp_path)
    with gunicorn_server(tmp_path, database_url) as server:
        failures = fuzz_failures(server.url, tokens, tmp_path)
    assert not failures, (
        "\n\n".join(failures) + f"\n\nServer log:\n{server.log.read_text()[-3000:]}"
    )
