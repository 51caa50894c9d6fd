"""The dashboards run a fixed number of queries whatever the number of schools, cases,
engagements and ledger entries: the same count with the hand-counted world and with 30 more
schools in alliance A, each categorised in both agreed runs, with a case and a commissioned
engagement whose review is overdue (and its commitment in the ledger)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from board.dashboard import PANELS
from categorisation.counts import run_counts_store
from categorisation.models import Result
from tests.board.dashboard_world import _case, _engagement, build_dashboard_world
from tests.categorisation.factories import _result
from tests.factories import MembershipFactory, SchoolFactory

MORE = 30
MAX_QUERIES = 30


def _grow(world, officer, built) -> None:
    """30 more schools in cluster A1, in both agreed runs, each with a case and engagement."""
    provider = built.engagements[0].provider
    schools = [SchoolFactory(name=f"Extra School {n}", urn=200000 + n) for n in range(MORE)]
    for school in schools:
        MembershipFactory(school=school, cluster=world.cluster_a1)
    runs = (built.categorised.previous, built.categorised.agreed)
    Result.objects.bulk_create(
        _result(run, school, ("3", "low") if n % 2 else "2", confirmed=True, by=officer)
        for run in runs
        for n, school in enumerate(schools)
    )
    for run in runs:
        run_counts_store(run=run)
    for school in schools:
        case = _case(school, world.alliance_a, days_ago=40)
        _engagement(case, provider, "100", review_in=-2, by=officer, impact="continue")


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _urls(world) -> list[str]:
    alliance = f"/dashboard/alliances/{world.alliance_a.pk}/"
    pages = ["/dashboard/", alliance]
    pages += [f"/dashboard/present/?panel={n}" for n in range(1, len(PANELS) + 1)]
    return pages + [f"{alliance}present/?panel=7"]


@pytest.mark.parametrize("persona", ["officer", "board_member", "alliance_chair"])
def test_dashboards_run_the_same_bounded_queries_at_two_sizes(
    as_user, world, officer, persona, django_assert_max_num_queries
):
    built = build_dashboard_world(world, officer)
    client = as_user(persona)
    urls = [url for url in _urls(world) if persona != "alliance_chair" or "alliances" in url]
    for url in urls:  # codes for the schools shown are given on the first view
        client.get(url)
    small = {url: _queries(client, url) for url in urls}
    _grow(world, officer, built)
    for url in urls:
        client.get(url)
    for url in urls:
        with django_assert_max_num_queries(MAX_QUERIES):
            large = _queries(client, url)
        assert large == small[url], url


def test_the_grown_world_is_counted(as_user, world, officer):
    built = build_dashboard_world(world, officer)
    _grow(world, officer, built)
    content = as_user("officer").get("/dashboard/").content.decode()
    assert f"{4 + MORE:,} schools." in content
    assert f"{2 + MORE} progress reviews are overdue." in content
