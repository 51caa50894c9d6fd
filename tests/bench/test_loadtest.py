"""The load benchmark (``bench/loadtest``): its users are signed in and open pages they may see,
and its report says which goals were met."""

import importlib.util
from pathlib import Path

import pytest
from django.test import Client

from categorisation.models import Run
from tests.categorisation.factories import RunFactory, build_categorised
from tests.factories import MembershipFactory, SchoolFactory

LOADTEST = Path(__file__).resolve().parent.parent.parent / "bench" / "loadtest"


def _module(name: str):
    spec = importlib.util.spec_from_file_location(f"loadtest_{name}", LOADTEST / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("persona", ["board", "officer", "alliance_chair", "head"])
def test_every_page_a_benchmark_persona_opens_answers_with_the_page(
    world, officer, board_member, alliance_chair, head_a, persona
):
    # More than a page of the API's 50 schools in alliance A, so that its page 2 exists.
    for school in SchoolFactory.create_batch(55):
        MembershipFactory(school=school, cluster=world.cluster_a1)
    categorised = build_categorised(world, officer)
    RunFactory(rule_set=categorised.rule_set, purpose=Run.Purpose.WHAT_IF)
    dataset, pages = _module("dataset"), _module("pages")

    plan = dataset.plan_build()
    account = plan["personas"][persona][0]
    client = Client()
    client.cookies["sessionid"] = account["session"]
    opened = pages.pages_unloaded(account, persona, plan)

    assert opened, persona
    for name, paths in opened.items():
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, (persona, name, path, response.status_code)
    if persona == "head":
        assert "/categorisation/" not in opened
        assert account["urn"] == world.school_a.urn
    what_if = Run.objects.get(purpose=Run.Purpose.WHAT_IF)
    opens_what_if = f"/categorisation/runs/{what_if.pk}/" in opened.get(
        "/categorisation/runs/<pk>/", []
    )
    assert opens_what_if == (persona in ("board", "officer"))


def _figures(*, failures: int, p95: float, per_second: float) -> dict:
    page = {"requests": 100, "failures": failures, "p50_ms": 40, "p95_ms": p95, "p99_ms": p95}
    page |= {"max_ms": p95, "per_second": per_second, "kilobytes": 20}
    run = {
        "pages": {"/structure/": page, "Aggregated": page},
        "failures": [{"page": "/structure/", "error": "500 for /structure/", "count": failures}]
        if failures
        else [],
        "web_cpu_seconds": 50.0,
        "locust_cpu_seconds": 5.0,
        "load_average": 1.5,
    }
    data_set = {"schools": 40100, "open_schools": 22000, "values": 1, "runs": 6, "results": 2}
    alone = {"page": "/structure/", "as": "officer", "median_ms": 80, "max_ms": 90, "kilobytes": 20}
    return {
        "data_set": data_set,
        "workers": 3,
        "cores": 2,
        "users": 20,
        "duration_seconds": 60,
        "unloaded": [alone],
        "paced": run,
        "throughput": run,
    }


def test_the_report_says_the_goals_are_met_when_every_page_is_fast(tmp_path):
    report = _module("report")

    report.report_write(_figures(failures=0, p95=150, per_second=60), tmp_path / "out.md")

    text = (tmp_path / "out.md").read_text()
    assert (
        "| `/structure/` | 80 (90) | 20 | 40 / 150 / 150 | 100 (0) | 40 / 150 | 60.0 (0) |" in text
    )
    assert "NOT MET" not in text
    assert "Failures" not in text


def test_the_report_names_each_goal_not_met_and_each_failure(tmp_path):
    report = _module("report")

    report.report_write(_figures(failures=3, p95=900, per_second=12), tmp_path / "out.md")

    text = (tmp_path / "out.md").read_text()
    assert "with no failures: NOT MET (worst p95 900 ms" in text
    assert "at least 50 pages/s: NOT MET (12.0 pages/s" in text
    assert "- `/structure/`: 500 for /structure/ (3×)" in text
