"""The board pack's dashboard section: counts of the agreed categorisation, support cases by
step and the fund's position, for the board or one alliance."""

import pytest

from board.models import Meeting
from board.pack_dashboard import pack_dashboard
from tests.board.conftest import make_meeting
from tests.brokerage.case_helpers import case_open
from tests.categorisation.factories import run_with_results
from tests.funding.conftest import fund_with_income


@pytest.fixture
def figures(world, officer):
    run_with_results(
        {
            world.school_a: ("3", "medium"),
            world.school_a2: "1",
            world.school_b: ("4", "high"),
            world.school_z: ("3", "low"),
        },
        agreed_days_ago=30,
        by=officer,
    )
    fund_with_income(world.partnership, officer)
    case_open(world.school_a, officer)
    case_open(world.school_b, officer)


def _tables(meeting: Meeting, user) -> dict:
    return {
        table.title.split(":")[0]: table for table in pack_dashboard(meeting=meeting, user=user)
    }


def test_the_boards_dashboard_counts_every_school_case_and_pound(figures, officer):
    tables = _tables(make_meeting(), officer)
    categories = tables["Schools by category (current agreed categorisation)"]
    assert categories.rows[-1] == ["Total", "4"]
    assert max(bar.length for bar in categories.bars) == 90
    cases = tables["Support cases by step"]
    assert cases.rows[0] == ["Confirm eligibility", "2", "0"]
    fund = dict(tables["Fund position"].rows)
    assert fund["Budget"] == "£95,500.00" and fund["Remaining"] == "£95,500.00"


def test_an_alliances_dashboard_counts_only_its_schools_and_cases(figures, world, officer):
    tables = _tables(make_meeting(alliance=world.alliance_a), officer)
    categories = tables["Schools by category (current agreed categorisation)"]
    assert categories.rows[-1] == ["Total", "2"]  # school A and A2, not B nor Z
    assert tables["Support cases by step"].rows[0] == ["Confirm eligibility", "1", "0"]
    assert [label for label, _amount in tables["Fund position"].rows][-1] == "Left to commit"


def test_a_dashboard_with_nothing_agreed_says_so(world, officer):
    tables = _tables(make_meeting(), officer)
    assert tables["Schools by category (current agreed categorisation)"].note == (
        "No categorisation has been agreed yet."
    )
    assert tables["Fund position"].note == "No fund has been set up yet."
    assert tables["Support cases by step"].bars == []
