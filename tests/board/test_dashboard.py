"""The board's and each alliance's dashboard (/dashboard/): who may see which, the numbers
against the hand-counted world of ``dashboard_world``, a table beside every chart, and a
bounded number of queries however many schools and cases there are."""

from __future__ import annotations

import json
import re

import pytest

from tests.board.dashboard_world import build_dashboard_world

BOARD = "/dashboard/"

BOARD_STATUS = {
    "officer": 200,
    "board_chair": 200,
    "board_member": 200,
    "alliance_chair": 302,
    "cluster_lead": 403,
    "head_a": 403,
    "head_b": 403,
    "provider": 403,
    "no_role": 403,
}


@pytest.fixture
def dashboard_world(world, officer):
    return build_dashboard_world(world, officer)


def table(content: str, table_id: str) -> dict[str, list[str]]:
    """A table as {row heading: [cells...]}, the header row under the key "header"."""
    html = content.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S):
        cells = [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        rows["header" if not rows else cells[0]] = cells[1:]
    return rows


def alliance_url(alliance) -> str:
    return f"/dashboard/alliances/{alliance.pk}/"


@pytest.mark.parametrize("persona,status", BOARD_STATUS.items())
def test_board_dashboard_is_for_officers_and_the_board(as_user, dashboard_world, persona, status):
    assert as_user(persona).get(BOARD).status_code == status


def test_alliance_chair_is_sent_to_their_alliance_dashboard(as_user, world, dashboard_world):
    response = as_user("alliance_chair").get(BOARD)
    assert response["Location"] == alliance_url(world.alliance_a)


@pytest.mark.parametrize(
    "persona,north,south",
    [
        ("officer", 200, 200),
        ("board_member", 200, 200),
        ("alliance_chair", 200, 404),
        ("cluster_lead", 403, 403),
        ("head_a", 403, 403),
        ("provider", 403, 403),
    ],
)
def test_alliance_dashboards_by_role(as_user, world, dashboard_world, persona, north, south):
    client = as_user(persona)
    assert client.get(alliance_url(world.alliance_a)).status_code == north
    assert client.get(alliance_url(world.alliance_b)).status_code == south


def test_anonymous_visitor_is_sent_to_sign_in(client, db):
    assert client.get(BOARD)["Location"].startswith("/accounts/login/")


def test_board_dashboard_counts_schools_by_category_and_band(as_user, dashboard_world):
    content = as_user("board_member").get(BOARD).content.decode()
    categories = table(content, "table-category")
    assert categories["1: Universal support"] == ["1"]
    assert categories["2: Monitor"] == ["1"]
    assert categories["3: Focused support"] == ["1"]
    assert categories["4: Intensive support"] == ["1"]
    assert categories["Total"] == ["4"]
    bands = table(content, "table-focused")
    assert (bands["Low"], bands["Medium"], bands["High"]) == (["0"], ["1"], ["1"])


def test_board_dashboard_shows_movement_since_the_last_agreed_run(as_user, dashboard_world):
    content = as_user("officer").get(BOARD).content.decode()
    movement = table(content, "table-movement")
    # Rows: before; columns 1, 2, 3, 4 and total. A 2→3, A2 1→1, B 3→4, Z 1→2.
    assert movement["1: Universal support"] == ["1", "1", "0", "0", "2"]
    assert movement["2: Monitor"] == ["0", "0", "1", "0", "1"]
    assert movement["3: Focused support"] == ["0", "0", "0", "1", "1"]
    assert "3 schools changed category: 0 better, 3 worse." in content


def test_alliance_dashboard_counts_only_its_schools(as_user, world, dashboard_world):
    content = as_user("alliance_chair").get(alliance_url(world.alliance_a)).content.decode()
    categories = table(content, "table-category")
    assert categories["1: Universal support"] == ["1"]
    assert categories["3: Focused support"] == ["1"]
    assert categories["4: Intensive support"] == ["0"]
    assert categories["Total"] == ["2"]
    assert "1 school changed category: 0 better, 1 worse." in content


def test_cases_by_status_and_time_to_support(as_user, world, dashboard_world):
    content = as_user("officer").get(BOARD).content.decode()
    cases = table(content, "table-cases")
    assert (cases["Open"], cases["Paused"], cases["Closed"]) == (["3"], ["1"], ["1"])
    time = table(content, "table-time-to-support")
    assert time["North Alliance"][:2] == ["3", "1"]  # three cases, the 45-day-old one late
    assert time["South Alliance"][:2] == ["2", "0"]
    north = as_user("alliance_chair").get(alliance_url(world.alliance_a)).content.decode()
    assert table(north, "table-cases")["Open"] == ["2"]
    assert "South Alliance" not in table(north, "table-time-to-support")


def test_fund_position_for_the_board_and_an_alliance(as_user, world, dashboard_world):
    content = as_user("officer").get(BOARD).content.decode()
    fund = table(content, "table-fund")
    assert fund["Budget"] == ["£95,500.00"]
    assert fund["Allocated"] == ["£40,000.00"]
    # Committed £15,500 less the £2,000 paid; remaining = budget - committed - spent.
    assert fund["Committed"] == ["£13,500.00"]
    assert fund["Spent"] == ["£2,000.00"]
    assert fund["Remaining"] == ["£80,000.00"]
    by_alliance = table(content, "table-fund-alliances")
    assert by_alliance["North Alliance"] == ["£15,000.00", "£8,500.00", "£2,000.00", "£4,500.00"]
    north = as_user("alliance_chair").get(alliance_url(world.alliance_a)).content.decode()
    assert table(north, "table-fund")["Left of the allocation"] == ["£4,500.00"]
    assert 'id="table-fund-alliances"' not in north


def test_overdue_reviews_and_impact_decisions(as_user, world, dashboard_world):
    content = as_user("officer").get(BOARD).content.decode()
    reviews = table(content, "table-reviews")
    assert list(reviews)[1:] == ["Ashdown Primary School", "Bramley Infant School"]
    assert reviews["Ashdown Primary School"][-1] == "10"
    impact = table(content, "table-impact")
    assert impact["Continue"] == ["1"] and impact["Stop"] == ["1"]
    assert impact["Waiting for a decision after a review"] == ["1"]
    north = as_user("alliance_chair").get(alliance_url(world.alliance_a)).content.decode()
    assert list(table(north, "table-reviews"))[1:] == ["Ashdown Primary School"]


def test_every_chart_has_a_table_beside_it_with_the_same_numbers(as_user, dashboard_world):
    content = as_user("officer").get(BOARD).content.decode()
    charts = re.findall(r'data-chart="(chart-[a-z-]+-data)"', content)
    assert len(charts) >= 7
    for chart_id in charts:
        key = chart_id.removeprefix("chart-").removesuffix("-data")
        section = content.split(f'id="panel-{key}"', 1)[1].split("</section>", 1)[0]
        assert "<table" in section and "The table" in section
        data = json.loads(section.split(f'id="{chart_id}"', 1)[1].split(">", 1)[1].split("<")[0])
        assert len(data["labels"]) == len(data["counts"])
    categories = json.loads(
        content.split('id="chart-categories-data"', 1)[1].split(">", 1)[1].split("<")[0]
    )
    assert categories["counts"] == [1, 1, 1, 1]


def test_navigation_has_the_dashboard_for_those_who_see_it(as_user, dashboard_world):
    assert 'href="/dashboard/"' in as_user("board_member").get("/").content.decode()
    assert 'href="/dashboard/"' not in as_user("head_a").get("/").content.decode()
