"""The summary of the current agreed categorisation (/categorisation/): counts by category and
support band, by alliance, cluster, phase and type group, movement since the previous agreed
run, the chart's data, and a fixed number of queries however many schools there are."""

import json
import re

import pytest

from categorisation.models import Run
from clusters.models import ClusterMembership
from schools.models import Phase, School, TypeGroup
from tests.categorisation.factories import RuleSetFactory, build_categorised, run_with_results
from tests.factories import SchoolFactory

SUMMARY = "/categorisation/"
SUMMARY_STATUS = {
    "officer": 200,
    "board_chair": 200,
    "board_member": 200,
    "alliance_chair": 200,
    "cluster_lead": 403,
    "head_a": 403,
    "head_b": 403,
    "provider": 403,
    "no_role": 403,
}


@pytest.fixture
def categorised(world, officer):
    # School Z is a secondary academy, so phase and type group have more than one row.
    School.objects.filter(pk=world.school_z.pk).update(
        phase=Phase.SECONDARY, type_group=TypeGroup.ACADEMY, is_academy=True
    )
    return build_categorised(world, officer)


def table(content: str, table_id: str) -> dict[str, list[str]]:
    """A count table as {row heading: [cells...]}, the header row under the key "header"."""
    html = content.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S):
        cells = [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        rows["header" if not rows else cells[0]] = cells[1:]
    return rows


@pytest.mark.parametrize("persona,status", SUMMARY_STATUS.items())
def test_summary_is_for_officers_the_board_and_alliance_chairs(
    as_user, categorised, persona, status
):
    assert as_user(persona).get(SUMMARY).status_code == status


def test_anonymous_visitor_is_sent_to_sign_in(client, db):
    response = client.get(SUMMARY)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_summary_counts_the_current_agreed_run_by_category_and_support_band(as_user, categorised):
    content = as_user("officer").get(SUMMARY).content.decode()
    assert f"Run {categorised.agreed.pk}</a>" in content
    by_category = table(content, "table-category")
    assert by_category["1: Universal support"] == ["1", "–"]
    assert by_category["2: Monitor"] == ["1", "–"]
    assert by_category["3: Focused support"] == ["1", "Low: 0Medium: 1High: 0"]
    assert by_category["4: Intensive support"] == ["1", "Low: 0Medium: 0High: 1"]
    assert '<dd class="govuk-summary-list__value" id="school-total">4</dd>' in content


def test_summary_counts_by_alliance_cluster_phase_and_type_group(as_user, categorised):
    content = as_user("board_member").get(SUMMARY).content.decode()
    alliances = table(content, "table-alliance")
    assert alliances["header"] == [
        "1: Universal support",
        "2: Monitor",
        "3: Focused support",
        "4: Intensive support",
        "Total",
    ]
    assert alliances["North Alliance"] == ["1", "0", "1", "0", "2"]
    assert alliances["South Alliance"] == ["0", "0", "0", "1", "1"]
    assert alliances["Not in an alliance"] == ["0", "1", "0", "0", "1"]
    assert alliances["Total"] == ["1", "1", "1", "1", "4"]
    assert table(content, "table-cluster")["Andover Cluster"] == ["1", "0", "1", "0", "2"]
    phases = table(content, "table-phase")
    assert list(phases)[1:3] == ["Primary", "Secondary"]
    assert phases["Secondary"] == ["0", "1", "0", "0", "1"]
    types = table(content, "table-type-group")
    assert types["LA maintained"] == ["1", "0", "1", "1", "3"]
    assert types["Academies and free schools"] == ["0", "1", "0", "0", "1"]


def test_summary_shows_movement_since_the_previous_agreed_run(as_user, categorised):
    movement = table(as_user("officer").get(SUMMARY).content.decode(), "table-movement")
    # Previous: A 2, A2 1, B 3, Z 1. Now: A 3, A2 1, B 4, Z 2.
    assert movement["1: Universal support"] == ["1", "1", "0", "0", "2"]
    assert movement["2: Monitor"] == ["0", "0", "1", "0", "1"]
    assert movement["3: Focused support"] == ["0", "0", "0", "1", "1"]


def test_the_pending_run_is_not_counted_until_the_board_agrees_it(as_user, categorised):
    content = as_user("officer").get(SUMMARY).content.decode()
    assert f"Run {categorised.pending.pk}<" not in content
    assert table(content, "table-category")["1: Universal support"][0] == "1"


def test_alliance_chair_sees_the_summary_of_their_alliance_schools_only(as_user, categorised):
    content = as_user("alliance_chair").get(SUMMARY).content.decode()
    assert '<dd class="govuk-summary-list__value" id="school-total">2</dd>' in content
    alliances = table(content, "table-alliance")
    assert list(alliances) == ["header", "North Alliance", "Total"]
    assert "South Alliance" not in content and "Bramley" not in content
    assert table(content, "table-category")["4: Intensive support"] == [
        "0",
        "Low: 0Medium: 0High: 0",
    ]
    assert table(content, "table-movement")["Total"] == ["1", "0", "1", "0", "2"]


def test_chart_data_is_a_json_block_beside_a_table_with_the_same_numbers(as_user, categorised):
    content = as_user("officer").get(SUMMARY).content.decode()
    block = re.search(
        r'<script id="category-chart-data" type="application/json">(.*?)</script>', content, re.S
    )
    data = json.loads(block.group(1))
    assert data["labels"] == [
        "1: Universal support",
        "2: Monitor",
        "3: Focused support",
        "4: Intensive support",
    ]
    assert data["counts"] == [1, 1, 1, 1]
    assert [table(content, "table-category")[label][0] for label in data["labels"]] == ["1"] * 4
    assert 'src="/static/js/chart-summary.mjs"' in content
    assert 'src="/static/build/chart.umd.min.js"' in content
    # No inline script beyond the base template's nonced one: CSP forbids them.
    scripts = re.findall(r"<script(?![^>]*(?:src=|nonce=|application/json))[^>]*>", content)
    assert scripts == []


def test_summary_says_when_nothing_has_been_agreed_yet(as_user, world):
    run_with_results({world.school_a: "2"}, rule_set=RuleSetFactory())
    content = as_user("officer").get(SUMMARY).content.decode()
    assert "The board has not agreed a categorisation yet." in content
    assert "category-chart-data" not in content


def test_summary_runs_the_same_number_of_queries_for_20_or_2000_schools(
    as_user, world, officer, django_assert_max_num_queries
):
    rule_set = RuleSetFactory()
    counts = []
    for total, first_urn in ((20, 600000), (2000, 700000)):
        Run.objects.all().delete()
        schools = School.objects.bulk_create(
            SchoolFactory.build(urn=first_urn + i, phase=[Phase.PRIMARY, Phase.SECONDARY][i % 2])
            for i in range(total)
        )
        clusters = [world.cluster_a1, world.cluster_b1]
        ClusterMembership.objects.bulk_create(
            ClusterMembership(school=school, cluster=clusters[i % 2])
            for i, school in enumerate(schools)
        )
        codes = ["1", "2", ("3", "low"), ("4", "high")]
        placements = {school: codes[i % 4] for i, school in enumerate(schools)}
        run_with_results(placements, rule_set=rule_set, agreed_days_ago=2, by=officer)
        run_with_results(placements, rule_set=rule_set, agreed_days_ago=1, by=officer)
        for persona in ("officer", "alliance_chair"):
            client = as_user(persona)
            with django_assert_max_num_queries(12) as captured:
                response = client.get(SUMMARY)
            assert response.status_code == 200
            counts.append(len(captured.captured_queries))
    assert counts[:2] == counts[2:]
    content = response.content.decode()
    assert '<dd class="govuk-summary-list__value" id="school-total">1,000</dd>' in content


@pytest.mark.parametrize("persona", ["no_role", "provider", "cluster_lead"])
def test_a_user_who_may_see_no_result_gets_an_empty_summary(request, categorised, persona):
    """The board pack's job builds the summary as the person who asked for it; one who may see
    no result gets empty counts, not an error (the movement's join once failed on it)."""
    from categorisation.summary import categorisation_summary

    officers = categorisation_summary(user=request.getfixturevalue("officer"))
    assert officers.total == 4 and officers.movement is not None  # schools A, A2, B, Z
    summary = categorisation_summary(user=request.getfixturevalue(persona))
    assert summary.total == 0
    assert sum(row["count"] for row in summary.by_category) == 0
