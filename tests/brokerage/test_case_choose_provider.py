"""Choosing the provider: the case's step shows the providers' matching for the case's areas of
need and the school's phase, ranked with reasons, and those left out with the reason; the
chosen one becomes the case's proposed engagement. An officer can pick outside the list with a
reason; an alliance chair cannot."""

from __future__ import annotations

import pytest
from django.urls import reverse

from brokerage.models import ConflictDeclaration
from tests.brokerage.case_helpers import advance, case_open
from tests.brokerage.providers_support import areas, provider_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(world):
    """A realistic small directory for a primary school needing KS2 reading and writing."""
    return {
        "both": provider_make("Hill Teaching School Hub", expertise=("KS2 reading", "Writing")),
        "one": provider_make("Downs English Hub", expertise=("Writing",), kind="subject_hub"),
        "secondary": provider_make(
            "Vale Secondary Maths", expertise=("KS4 maths",), phases=["secondary"]
        ),
        "inactive": provider_make("Retired adviser", expertise=("KS2 reading",), active=False),
        "conflict": provider_make("Governor's own school", expertise=("KS2 reading", "Writing")),
    }


@pytest.fixture
def case(world, officer, directory):
    ConflictDeclaration.objects.create(
        provider=directory["conflict"], school=world.school_a, reason="The head is its governor"
    )
    case = case_open(world.school_a, officer, areas_of_need=areas("KS2 reading", "Writing"))
    return advance(case, "diagnosis", officer)


def step_url(case) -> str:
    return reverse("brokerage:case-task", args=[case.pk, "provider"])


def test_the_step_ranks_the_matching_providers_with_reasons_and_lists_those_left_out(case, as_user):
    page = as_user("alliance_chair").get(step_url(case)).content.decode()
    assert page.index("1. Hill Teaching School Hub") < page.index("2. Downs English Hub")
    assert "Covers 2 of 2 areas: KS2 reading, Writing" in page
    assert "Vale Secondary Maths" not in page  # offers none of the areas
    assert "Not active in the directory" in page
    assert "Declared conflict of interest with this school" in page
    assert "expertise=" in page and f"school={case.school.urn}" in page  # the matching page


def test_choosing_a_ranked_provider_creates_the_proposed_engagement(case, as_user, directory):
    response = as_user("alliance_chair").post(step_url(case), {"provider": directory["both"].pk})
    assert response.status_code == 302
    assert case.engagements.get().provider == directory["both"]


def test_a_provider_left_out_cannot_be_chosen_from_the_list(case, as_user, directory):
    response = as_user("alliance_chair").post(
        step_url(case), {"provider": directory["conflict"].pk}
    )
    assert response.status_code == 200
    assert not case.engagements.exists()


def test_only_an_officer_picks_outside_the_list_and_says_why(case, as_user, directory):
    chair_page = as_user("alliance_chair").get(step_url(case)).content.decode()
    assert "Or choose another provider" not in chair_page
    refused = as_user("officer").post(step_url(case), {"other": directory["secondary"].pk})
    assert "Enter why you chose a provider the matching did not propose" in refused.content.decode()
    response = as_user("officer").post(
        step_url(case), {"other": directory["secondary"].pk, "reason": "Known to the head"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.outside_list_reason == "Known to the head"
