"""A school's categorisation is confidential: officers, the board and the chair of the school's
alliance see it on the school's page; its headteacher sees only the agreed categorisation of
their own school; nobody else sees any of it."""

import pytest

from categorisation.models import Result
from tests.categorisation.factories import RuleSetFactory, build_categorised, run_with_results

SCHOOL_A = "/schools/100001/"
SCHOOL_B = "/schools/100003/"
SECTION = '<h2 class="govuk-heading-m" id="categorisation">Categorisation</h2>'


@pytest.fixture
def categorised(world, officer):
    return build_categorised(world, officer)


def _section(content: str) -> str:
    return content.split(SECTION, 1)[1] if SECTION in content else ""


@pytest.mark.parametrize(
    "persona", ["officer", "board_chair", "board_member", "alliance_chair", "head_a"]
)
def test_those_allowed_see_school_a_agreed_categorisation_and_history(
    as_user, categorised, persona
):
    response = as_user(persona).get(SCHOOL_A)
    assert response.status_code == 200
    section = _section(response.content.decode())
    current = section.split('id="categorisation-run-', 2)[1]
    assert current.startswith(f'{categorised.agreed.pk}"')
    assert "Current categorisation, agreed" in current
    assert "3: Focused support" in current and "Medium" in current
    previous = section.split(f'id="categorisation-run-{categorised.previous.pk}"', 1)[1]
    assert "2: Monitor" in previous
    assert '<details class="govuk-details">' in current
    assert "KS2 reading, writing and maths at the expected standard" in current


@pytest.mark.parametrize("persona", ["officer", "alliance_chair", "head_a"])
def test_the_pending_run_never_shows_on_the_school_page(as_user, categorised, persona):
    section = _section(as_user(persona).get(SCHOOL_A).content.decode())
    assert f'id="categorisation-run-{categorised.pending.pk}"' not in section
    # The pending run computed 1 for school A; no agreed run ever did.
    assert "1: Universal support" not in section


def test_cluster_lead_sees_the_school_but_not_its_categorisation(as_user, categorised):
    response = as_user("cluster_lead").get(SCHOOL_A)
    content = response.content.decode()
    assert response.status_code == 200
    assert SECTION not in content
    assert "Focused support" not in content and "Monitor" not in content


@pytest.mark.parametrize("persona,status", [("head_b", 404), ("provider", 404), ("no_role", 403)])
def test_others_cannot_open_school_a_at_all(as_user, categorised, persona, status):
    response = as_user(persona).get(SCHOOL_A)
    assert response.status_code == status
    assert "Focused support" not in response.content.decode()


@pytest.mark.parametrize(
    "persona,sees",
    [
        ("officer", True),
        ("board_member", True),
        ("head_b", True),
        ("alliance_chair", None),
        ("head_a", None),
        ("cluster_lead", None),
    ],
)
def test_school_b_categorisation_only_for_those_allowed(as_user, categorised, persona, sees):
    """Alliance chair of A and head of A cannot open school B's page (404); the cluster lead
    of A1 neither."""
    response = as_user(persona).get(SCHOOL_B)
    if sees is None:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    section = _section(response.content.decode())
    assert "4: Intensive support" in section and "High" in section


def test_headteacher_sees_an_override_and_its_reason_in_their_history(as_user, categorised, world):
    Result.objects.filter(run=categorised.agreed, school=world.school_a).update(
        moderation="overridden",
        computed_category="2",
        computed_support_band="",
        override_reason="Interim head and governance review",
    )
    section = _section(as_user("head_a").get(SCHOOL_A).content.decode())
    assert "Changed at moderation" in section
    assert "The rules computed 2: Monitor." in section
    assert "Reason: Interim head and governance review" in section


def test_school_page_says_when_nothing_has_been_agreed(as_user, world):
    run_with_results({world.school_a: "3"}, rule_set=RuleSetFactory())
    section = _section(as_user("head_a").get(SCHOOL_A).content.decode())
    assert "The board has not agreed a categorisation for this school yet." in section
    assert "Focused support" not in section


@pytest.mark.parametrize("persona", ["officer", "alliance_chair", "head_a"])
def test_school_page_queries_do_not_grow_with_the_history(
    as_user, world, officer, django_assert_max_num_queries, persona
):
    rule_set = RuleSetFactory()
    client = as_user(persona)
    counts = []
    for runs in (1, 8):
        for days in range(runs):
            run_with_results(
                {world.school_a: "2"}, rule_set=rule_set, agreed_days_ago=days + 1, by=officer
            )
        with django_assert_max_num_queries(15) as captured:
            response = client.get(SCHOOL_A)
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
    assert response.content.decode().count('id="categorisation-run-') == 9
