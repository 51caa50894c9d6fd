"""The load benchmark's users: board members, officers, alliance chairs and headteachers.

Run by ``bench/loadtest/run.py``, which builds the data set, serves it and passes, in
``LOADTEST_PLAN``, a JSON file with each persona's signed-in sessions and what they open (a
school, a cluster and a run each can see). ``LOADTEST_THINK`` is the pause between pages in
seconds, ``1-2`` (people reading) or ``0`` (throughput).

Each user opens the pages of their persona in random order, each as its own request (no
static files: a browser has them cached after the first page). Requests go to 127.0.0.1 as
the reverse proxy sends them: ``X-Forwarded-Proto: https``, so production settings apply.
"""

from __future__ import annotations

import itertools
import json
import os
import sys
from pathlib import Path

from locust import FastHttpUser, between, constant, task

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pages import page_pick  # noqa: E402

PLAN = json.loads(Path(os.environ["LOADTEST_PLAN"]).read_text())
LOW, _, HIGH = os.environ.get("LOADTEST_THINK", "1-2").partition("-")
THINK = constant(0) if float(LOW) == 0 else between(float(LOW), float(HIGH or LOW))


class Persona(FastHttpUser):
    abstract = True
    persona = ""
    wait_time = THINK
    # As gunicorn's timeout in the production layout: a slow page is slow, not an error.
    network_timeout = 120.0
    connection_timeout = 120.0

    def on_start(self) -> None:
        cls = type(self)
        if not hasattr(cls, "_cycle"):
            cls._cycle = itertools.cycle(PLAN["personas"][self.persona])
        self.account = next(cls._cycle)
        self.headers = {
            "Cookie": f"sessionid={self.account['session']}",
            "X-Forwarded-Proto": "https",
        }

    @task
    def page(self) -> None:
        path, name = page_pick(self.account, self.persona, PLAN)
        with self.client.get(
            path, headers=self.headers, name=name, catch_response=True, allow_redirects=False
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {path}")
            elif not response.content:
                response.failure(f"empty page for {path}")


class BoardMember(Persona):
    persona = "board"
    weight = 8


class Officer(Persona):
    persona = "officer"
    weight = 4


class AllianceChair(Persona):
    persona = "alliance_chair"
    weight = 4


class Headteacher(Persona):
    persona = "head"
    weight = 4
