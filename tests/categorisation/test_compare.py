"""The what-if comparison (/categorisation/runs/<pk>/compare/): a run against the current agreed
categorisation, on a hand-built pair of runs."""

import re
from dataclasses import dataclass

import pytest

from categorisation.models import Result, Run
from categorisation.moderation import REVISED_REASON, run_compare
from schools.models import School
from tests.categorisation.factories import RuleSetFactory, build_categorised, run_with_results
from tests.factories import MembershipFactory, SchoolFactory

COMPARE_STATUS = {
    "officer": 200,
    "board_chair": 200,
    "board_member": 200,
    "alliance_chair": 403,
    "cluster_lead": 403,
    "head_a": 403,
    "head_b": 403,
    "provider": 403,
    "no_role": 403,
}


@dataclass
class Pair:
    agreed: Run
    what_if: Run


@pytest.fixture
def pair(world, officer) -> Pair:
    """Agreed: A 1, A2 2, B 3 low, Y 3 low, Z 2. What-if: A 2 (more), A2 2 (same), B 4 high
    (more, by a trigger), Y 3 high (band), Z 1 (less), and N, a new school, 1."""
    w = world
    School.objects.filter(pk=w.school_z.pk).update(is_academy=True)
    school_y = SchoolFactory(name="Yateley Primary School", urn=100005)
    MembershipFactory(school=school_y, cluster=w.cluster_a1)
    school_n = SchoolFactory(name="Newlands Primary School", urn=100006)
    agreed = run_with_results(
        {
            w.school_a: "1",
            w.school_a2: "2",
            w.school_b: ("3", "low"),
            school_y: ("3", "low"),
            w.school_z: "2",
        },
        rule_set=RuleSetFactory(status="adopted"),
        agreed_days_ago=5,
        by=officer,
    )
    what_if = run_with_results(
        {
            w.school_a: "2",
            w.school_a2: "2",
            w.school_b: ("4", "high"),
            school_y: ("3", "high"),
            w.school_z: "1",
            school_n: "1",
        },
        rule_set=RuleSetFactory(name="Draft rules"),
        purpose=Run.Purpose.WHAT_IF,
    )
    return Pair(agreed, what_if)


def test_transition_matrix_counts_schools_from_agreed_to_run_category(pair):
    comparison = run_compare(run=pair.what_if, baseline=pair.agreed)
    matrix = comparison.matrix
    assert matrix.columns == [
        "1: Universal support",
        "2: Monitor",
        "3: Focused support",
        "4: Intensive support",
        "Not categorised",
    ]
    assert matrix.rows == [
        ("1: Universal support", [0, 1, 0, 0, 0], 1),
        ("2: Monitor", [1, 1, 0, 0, 0], 2),
        ("3: Focused support", [0, 0, 1, 1, 0], 2),
        ("4: Intensive support", [0, 0, 0, 0, 0], 0),
        ("Not categorised", [1, 0, 0, 0, 0], 1),
    ]
    assert matrix.totals == [2, 2, 1, 1, 0] and matrix.total == 6
    assert comparison.total == 6


def test_moving_schools_say_which_way_and_why(pair):
    moves = {m.name: m for m in run_compare(run=pair.what_if, baseline=pair.agreed).moves}
    assert set(moves) == {
        "Ashdown Primary School",
        "Bramley Infant School",
        "Yateley Primary School",
        "Zeals Junior School",
        "Newlands Primary School",
    }
    ashdown = moves["Ashdown Primary School"]
    assert (ashdown.before, ashdown.after, ashdown.direction) == (
        "1: Universal support",
        "2: Monitor",
        "more",
    )
    assert ashdown.reasons == [
        "KS2 reading, writing and maths at the expected standard: 0 points to 3 points"
    ]
    bramley = moves["Bramley Infant School"]
    assert bramley.after == "4: Intensive support (high support band)"
    assert bramley.reasons[0] == "Trigger fired: Inadequate at the latest graded inspection"
    assert moves["Zeals Junior School"].direction == "less"
    assert moves["Yateley Primary School"].direction == "band"
    assert moves["Newlands Primary School"].direction == "other"
    assert moves["Newlands Primary School"].before == "Not categorised"


def test_counts_by_alliance_and_type_group(pair):
    comparison = run_compare(run=pair.what_if, baseline=pair.agreed)
    alliances = dict(comparison.by_alliance)
    assert alliances["North Alliance"] == {
        "more": 1,
        "less": 0,
        "band": 1,
        "other": 0,
        "unchanged": 1,
    }
    assert alliances["South Alliance"]["more"] == 1
    assert alliances["Not in an alliance"] == {
        "more": 0,
        "less": 1,
        "band": 0,
        "other": 1,
        "unchanged": 0,
    }
    assert list(alliances)[-1] == "Not in an alliance"
    types = dict(comparison.by_type_group)
    assert types["Academies and free schools"]["less"] == 1
    assert types["LA maintained"]["more"] == 2


def test_compare_page_shows_the_matrix_as_an_accessible_table_and_the_moves(as_user, pair):
    content = (
        as_user("board_member")
        .get(f"/categorisation/runs/{pair.what_if.pk}/compare/")
        .content.decode()
    )
    assert f"Compared with run {pair.agreed.pk}" in content
    assert "5 of 6 schools would move." in content
    matrix = content.split('id="table-matrix"', 1)[1].split("</table>", 1)[0]
    assert '<th scope="col" class="govuk-table__header govuk-table__header--numeric">' in matrix
    assert '<th scope="row" class="govuk-table__header">2: Monitor</th>' in matrix
    assert "Rows: the agreed category. Columns: the category in this run." in matrix
    moves = content.split('id="moves"', 1)[1].split("</table>", 1)[0]
    assert len(re.findall(r'<tr class="govuk-table__row">', moves)) == 6  # heading and 5 moves
    assert "Trigger fired: Inadequate at the latest graded inspection" in moves
    assert 'id="compare-alliances"' in content and 'id="compare-type-groups"' in content


@pytest.mark.parametrize("persona,status", COMPARE_STATUS.items())
def test_comparison_is_for_officers_and_the_board(as_user, pair, persona, status):
    url = f"/categorisation/runs/{pair.what_if.pk}/compare/"
    assert as_user(persona).get(url).status_code == status


def test_anonymous_visitor_is_sent_to_sign_in(client, pair):
    response = client.get(f"/categorisation/runs/{pair.what_if.pk}/compare/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_comparison_needs_an_agreed_categorisation(as_user, world):
    run = run_with_results({world.school_a: "2"}, purpose=Run.Purpose.WHAT_IF)
    content = as_user("officer").get(f"/categorisation/runs/{run.pk}/compare/").content.decode()
    assert "The board has not agreed a categorisation yet" in content


def test_the_current_agreed_run_is_compared_with_the_one_agreed_before_it(as_user, world, officer):
    categorised = build_categorised(world, officer)
    url = f"/categorisation/runs/{categorised.agreed.pk}/compare/"
    content = as_user("officer").get(url).content.decode()
    assert f"Compared with run {categorised.previous.pk}" in content
    assert "3 of 4 schools would move." in content


def test_a_school_moved_by_revised_data_gives_that_as_a_reason(pair, world):
    Result.objects.filter(run=pair.what_if, school=world.school_a).update(revised_data=True)
    moves = {m.name: m for m in run_compare(run=pair.what_if, baseline=pair.agreed).moves}
    assert REVISED_REASON in moves["Ashdown Primary School"].reasons
    assert REVISED_REASON not in moves["Zeals Junior School"].reasons
