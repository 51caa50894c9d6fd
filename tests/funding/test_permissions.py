"""Every fund page from both sides of its rule: officers everything; the board sees the fund
and its chair agrees the allocation and tariff; an alliance chair their own alliance's
allocation and schools; a headteacher only their own school's support costs; a provider, a
cluster lead and a person without a role nothing."""

import pytest
from django.urls import reverse

from brokerage.engagements import engagement_commission
from tests.conftest import PERSONAS

OFFICER = {"officer"}
BOARD = {"officer", "board_chair", "board_member"}
CHAIRS = {"officer", "board_chair"}


@pytest.fixture
def committed(world, fund, engagement, officer):
    engagement_commission(engagement=engagement, by=officer)
    return engagement


def _pages(world, fund, engagement):
    year = fund.year
    entry = fund.entries.filter(kind="income").first()
    return {
        "position": (reverse("funding:position", args=[year]), BOARD),
        "schools": (reverse("funding:schools", args=[year]), BOARD | {"alliance_chair"}),
        "alliance A": (
            reverse("funding:alliance", args=[year, world.alliance_a.pk]),
            BOARD | {"alliance_chair"},
        ),
        "alliance B": (reverse("funding:alliance", args=[year, world.alliance_b.pk]), BOARD),
        "school A": (
            reverse("funding:school", args=[year, world.school_a.urn]),
            BOARD | {"alliance_chair", "head_a"},
        ),
        "school B": (
            reverse("funding:school", args=[year, world.school_b.urn]),
            BOARD | {"head_b"},
        ),
        "ledger": (reverse("funding:ledger", args=[year]), OFFICER),
        "forecast": (reverse("funding:forecast", args=[year]), BOARD),
        "allocation": (reverse("funding:allocation", args=[year]), BOARD),
        "tariff": (reverse("funding:tariff", args=[year]), CHAIRS),
        "income": (reverse("funding:income", args=[year]), OFFICER),
        "per pupil": (reverse("funding:per-pupil", args=[year]), OFFICER),
        "fixed cost": (reverse("funding:fixed-cost", args=[year]), OFFICER),
        "adjustment": (reverse("funding:adjustment", args=[year]), OFFICER),
        "reverse": (reverse("funding:reverse", args=[year, entry.pk]), OFFICER),
        "payment": (reverse("funding:payment", args=[year, engagement.pk]), OFFICER),
        "overdraw": (reverse("funding:overdraw", args=[engagement.pk]), OFFICER),
        "new fund": (reverse("funding:create"), OFFICER),
        "csv": (reverse("funding:export-csv", args=[year]), BOARD),
        "xlsx": (reverse("funding:export-xlsx", args=[year]), BOARD),
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_page_is_open_to_exactly_the_roles_its_rule_allows(
    persona, world, fund, committed, as_user
):
    client = as_user(persona)
    for name, (url, allowed) in _pages(world, fund, committed).items():
        status = client.get(url).status_code
        expected = 200 if persona in allowed else 403
        assert status == expected, f"{persona} on {name}: {status}"


def test_an_anonymous_visitor_is_sent_to_sign_in(world, fund, committed, as_user):
    client = as_user("anonymous")
    for name, (url, _) in _pages(world, fund, committed).items():
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"], name


@pytest.mark.parametrize(
    ("persona", "lands_on"),
    [
        ("officer", "/fund/{year}/"),
        ("board_member", "/fund/{year}/"),
        ("alliance_chair", "/fund/{year}/alliances/{alliance}/"),
        ("head_a", "/fund/{year}/schools/{urn}/"),
    ],
)
def test_the_fund_section_opens_on_what_the_person_may_see(persona, lands_on, world, fund, as_user):
    response = as_user(persona).get("/fund/")
    expected = lands_on.format(year=fund.year, alliance=world.alliance_a.pk, urn=world.school_a.urn)
    assert response.status_code == 302 and response["Location"] == expected


@pytest.mark.parametrize("persona", ["cluster_lead", "provider", "no_role"])
def test_the_fund_section_is_closed_to_people_without_a_part_in_it(persona, fund, as_user):
    assert as_user(persona).get("/fund/").status_code == 403


def test_an_alliance_chair_sees_only_their_alliances_schools_costs(
    world, fund, committed, as_user, officer
):
    from .conftest import make_engagement

    engagement_commission(
        engagement=make_engagement(world.school_b, world.alliance_b, "2000"), by=officer
    )
    page = as_user("alliance_chair").get(reverse("funding:schools", args=[fund.year]))
    assert world.school_a.name in page.content.decode()
    assert world.school_b.name not in page.content.decode()


def test_a_headteacher_sees_their_schools_support_costs(world, fund, committed, as_user):
    page = as_user("head_a").get(reverse("funding:school", args=[fund.year, world.school_a.urn]))
    # In the summary and in the engagement's row.
    assert page.content.decode().count("£7,500.00") == 2


def test_only_officers_and_the_board_chair_can_agree_the_allocation(world, fund, as_user):
    url = reverse("funding:allocation", args=[fund.year])
    data = {"rule": "pro_rata", "decision": "Minute 3", "idempotency_key": "agree-1"}
    assert as_user("board_member").post(url, data).status_code == 403
    assert as_user("alliance_chair").post(url, data).status_code == 403
    response = as_user("board_chair").post(url, data)
    assert response.status_code == 302
    fund.refresh_from_db()
    assert fund.allocation_decision == "Minute 3"


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("officer", True),
        ("board_member", True),
        ("alliance_chair", True),
        ("head_a", False),
        ("cluster_lead", False),
        ("provider", False),
    ],
)
def test_the_fund_is_in_the_navigation_of_those_who_manage_or_see_its_allocations(
    as_user, fund, persona, shown
):
    assert (">Fund<" in as_user(persona).get("/").content.decode()) is shown
