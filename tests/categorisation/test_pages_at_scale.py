"""The categorisation pages run the same queries for 200 or 2,000 results, and the runs list
shows the counts stored with each run to those who see every result, while an alliance chair's
counts still come from the results the permission layer lets them see."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from categorisation.models import Result, Run
from clusters.models import ClusterMembership
from schools.models import Phase, School
from tests.categorisation.factories import RuleSetFactory, run_with_results
from tests.factories import SchoolFactory

SUMMARY = "/categorisation/"
RUNS = "/categorisation/runs/"
CODES = ["1", "2", ("3", "low"), ("4", "high")]


def _schools(world, total: int, first_urn: int) -> list[School]:
    schools = School.objects.bulk_create(
        SchoolFactory.build(
            urn=first_urn + i,
            name=f"School {first_urn + i}",
            phase=[Phase.PRIMARY, Phase.SECONDARY][i % 2],
        )
        for i in range(total)
    )
    clusters = [world.cluster_a1, world.cluster_b1]
    ClusterMembership.objects.bulk_create(
        ClusterMembership(school=school, cluster=clusters[i % 2])
        for i, school in enumerate(schools)
    )
    return schools


def _categorise(world, officer, total: int, first_urn: int) -> Run:
    """Two agreed runs and one awaiting moderation over ``total`` new schools; the pending run."""
    Run.objects.all().delete()
    rule_set = RuleSetFactory()
    schools = _schools(world, total, first_urn)
    placements = {school: CODES[i % 4] for i, school in enumerate(schools)}
    moved = {school: CODES[(i + 1) % 4] for i, school in enumerate(schools)}
    run_with_results(placements, rule_set=rule_set, agreed_days_ago=2, by=officer)
    run_with_results(moved, rule_set=rule_set, agreed_days_ago=1, by=officer)
    return run_with_results(placements, rule_set=rule_set)


def _queries(client, path: str, assert_max) -> tuple[int, str]:
    with assert_max(14) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


@pytest.mark.parametrize("persona", ["officer", "board_member", "alliance_chair"])
def test_summary_runs_and_run_pages_run_the_same_queries_for_200_or_2000_results(
    as_user, world, officer, persona, django_assert_max_num_queries
):
    client = as_user(persona)
    counts = {}
    for total, first_urn in ((200, 600000), (2000, 700000)):
        pending = _categorise(world, officer, total, first_urn)
        for path in (SUMMARY, RUNS, f"{RUNS}{pending.pk}/", f"{RUNS}{pending.pk}/?page=2"):
            queries, content = _queries(client, path, django_assert_max_num_queries)
            counts.setdefault(path.replace(str(pending.pk), "<run>"), []).append(queries)
    assert all(first == second for first, second in counts.values()), counts
    # The last page read was the second page of a 2,000-school run.
    shown = 2000 if persona != "alliance_chair" else 1000
    assert f"Showing 51 to 100 of {shown:,}" in content


def _runs_row(content: str, run: Run) -> list[str]:
    table = content.split('id="runs"', 1)[1].split("</table>", 1)[0]
    for row in re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', table, re.S):
        if f">Run {run.pk}</a>" in row:
            cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
            return [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]
    raise AssertionError(f"Run {run.pk} is not listed")


def test_runs_list_shows_the_counts_stored_with_each_run(as_user, world, officer):
    pending = _categorise(world, officer, 20, 600000)
    # What the page shows comes from the run, not from counting its results again.
    stored = {**pending.counts, "results": 12345}
    stored["moderation"] = {**stored["moderation"], "pending": 678}
    Run.objects.filter(pk=pending.pk).update(counts=stored)
    row = _runs_row(as_user("officer").get(RUNS).content.decode(), pending)
    assert row[-2:] == ["12,345", "678"]


def test_alliance_chair_runs_list_counts_only_the_results_they_may_see(
    as_user, world, officer, alliance_chair
):
    pending = _categorise(world, officer, 20, 600000)
    Run.objects.filter(pk=pending.pk).update(counts={**pending.counts, "results": 12345})
    row = _runs_row(as_user("alliance_chair").get(RUNS).content.decode(), pending)
    # Half the schools are in the chair's alliance, all awaiting moderation.
    assert Result.objects.filter(run=pending).visible_to(alliance_chair).count() == 10
    assert row[-2:] == ["10", "10"]


def test_summary_movement_counts_each_school_from_its_previous_agreed_category(
    as_user, world, officer
):
    rule_set = RuleSetFactory()
    schools = _schools(world, 10, 600000)
    earlier = {school: CODES[i % 4] for i, school in enumerate(schools[:8])}
    later = {school: CODES[(i + 1) % 4] for i, school in enumerate(schools)}
    run_with_results(earlier, rule_set=rule_set, agreed_days_ago=2, by=officer)
    run_with_results(later, rule_set=rule_set, agreed_days_ago=1, by=officer)
    content = as_user("officer").get(SUMMARY).content.decode()
    movement = content.split('id="table-movement"', 1)[1].split("</table>", 1)[0]
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", movement, re.S)[1:]:
        cells = [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        rows[cells[0]] = cells[1:]
    # Each school moved one category on (4 round to 1): two schools per step; the two schools
    # the earlier run did not place are "Not categorised" before.
    assert rows["1: Universal support"] == ["0", "2", "0", "0", "2"]
    assert rows["2: Monitor"] == ["0", "0", "2", "0", "2"]
    assert rows["4: Intensive support"] == ["2", "0", "0", "0", "2"]
    assert rows["Not categorised"] == ["0", "1", "1", "0", "2"]


def _results_total(content: str) -> str:
    """The number of results the table's caption gives (of several pages, or of one)."""
    found = re.search(r"Results<span[^>]*>(?:Showing \d+ to \d+ of )?([\d,]+)", content)
    return found.group(1)


def test_a_runs_results_are_paged_on_its_stored_counts_for_those_who_see_every_result(
    as_user, world, officer
):
    pending = _categorise(world, officer, 120, 600000)
    path = f"{RUNS}{pending.pk}/"
    # Stored counts that differ from the results show which the page read: only a stored count
    # can say 300 of 120 results.
    stored = {**pending.counts, "results": 300, "category": {**pending.counts["category"]}}
    stored["category"]["2"] = 77
    Run.objects.filter(pk=pending.pk).update(counts=stored)
    client = as_user("officer")

    with CaptureQueriesContext(connection) as captured:
        page = client.get(path).content.decode()
    assert _results_total(page) == "300"
    counted = [
        q["sql"] for q in captured if "COUNT(" in q["sql"] and "categorisation_result" in q["sql"]
    ]
    assert counted == []
    assert _results_total(client.get(f"{path}?category=2").content.decode()) == "77"
    # Two filters at once, or an alliance, are not in the stored counts: those are counted
    both = client.get(f"{path}?category=2&moderation=pending").content.decode()
    assert _results_total(both) == "30"
    alliance = world.cluster_a1.alliance_id
    assert _results_total(client.get(f"{path}?alliance={alliance}").content.decode()) == "60"


def test_an_alliance_chairs_run_page_counts_only_the_results_they_may_see(as_user, world, officer):
    pending = _categorise(world, officer, 120, 600000)
    Run.objects.filter(pk=pending.pk).update(counts={**pending.counts, "results": 300})

    content = as_user("alliance_chair").get(f"{RUNS}{pending.pk}/").content.decode()

    # Half the schools are in the chair's alliance: the stored 300 is never shown to them
    assert _results_total(content) == "60"


def test_a_stored_count_behind_the_results_leaves_no_result_off_the_page(as_user, world, officer):
    pending = _categorise(world, officer, 30, 600000)
    Run.objects.filter(pk=pending.pk).update(counts={**pending.counts, "results": 0})

    content = as_user("officer").get(f"{RUNS}{pending.pk}/").content.decode()

    body = content.split('id="results"', 1)[1].split("<tbody", 1)[1].split("</tbody>", 1)[0]
    assert len(re.findall(r'<tr class="govuk-table__row">', body)) == 30
