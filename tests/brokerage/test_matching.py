"""Matching on Hampshire schools (names and Ordnance Survey grid references from GIAS): the
ranking with its reasons, and each reason a provider is left out."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from brokerage.matching import providers_match
from brokerage.models import ConflictDeclaration, Engagement, ProviderKind
from brokerage.terms import term_of
from tests.brokerage.providers_support import (
    areas,
    engagement_make,
    expertise_seeded,  # noqa: F401
    provider_make,
)
from tests.categorisation.factories import run_with_results
from tests.factories import MembershipFactory, SchoolFactory, TrustFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("expertise_seeded")]

NEEDS = ("KS2 reading", "Writing", "KS2 maths")


@pytest.fixture
def hampshire(world):
    """School A is Alton Infant School's location; the providers' schools around it."""
    for school, (e, n) in {
        world.school_a: (472080, 139716),  # Alton
        world.school_a2: (471500, 140200),  # Alton, same cluster
        world.school_b: (449612, 112763),  # Fareham area
        world.school_z: (434902, 144945),  # Andover (Balksbury)
    }.items():
        school.easting, school.northing = e, n
        school.save(update_fields=["easting", "northing"])
    return world


def need_ids(*names):
    return [e.pk for e in areas(*(names or NEEDS))]


def match(world, **kwargs):
    if "expertise_ids" not in kwargs:
        kwargs["expertise_ids"] = need_ids()
    return providers_match(school=world.school_a, **kwargs)


def test_the_better_expertise_fit_ranks_first_and_says_which_areas_it_covers(hampshire):
    provider_make("Two areas", expertise=["KS2 reading", "Writing"], school=hampshire.school_z)
    provider_make("One area", expertise=["KS2 reading"], school=hampshire.school_z)

    result = match(hampshire)

    assert [m.name for m in result.matches] == ["Two areas", "One area"]
    assert result.matches[0].reasons[0] == "Covers 2 of 3 areas: KS2 reading, Writing"
    assert result.matches[1].reasons[0] == "Covers 1 of 3 areas: KS2 reading"


def test_a_provider_offering_none_of_the_areas_is_not_considered(hampshire):
    provider_make("Finance only", expertise=["Finance"])

    result = match(hampshire)

    assert result.considered == 0
    assert result.matches == [] and result.excluded == []


def test_distance_is_measured_between_grid_references_in_kilometres(hampshire):
    provider_make("Andover NLE", expertise=["KS2 reading"], school=hampshire.school_z)

    (found,) = match(hampshire).matches

    # Alton (472080, 139716) to Andover (434902, 144945): 37.5 km
    assert found.distance_km == pytest.approx(37.54, abs=0.01)
    assert "37.5 km away" in found.reasons


def test_the_nearer_of_two_equal_providers_ranks_first(hampshire):
    basingstoke = SchoolFactory(name="Basingstoke school", easting=463800, northing=152100)
    provider_make("Andover", expertise=["KS2 reading"], school=hampshire.school_z)
    provider_make("Basingstoke", expertise=["KS2 reading"], school=basingstoke)

    assert [m.name for m in match(hampshire).matches] == ["Basingstoke", "Andover"]


def test_a_provider_without_a_school_has_an_unknown_distance(hampshire):
    provider_make("LA adviser", expertise=["KS2 reading"], kind=ProviderKind.LA_ADVISER)

    (found,) = match(hampshire).matches

    assert found.distance_km is None
    assert "Distance unknown (no school location)" in found.reasons


def test_outside_the_schools_own_cluster_is_preferred(hampshire):
    # School A2 is in school A's cluster; a school at the same place outside it ranks higher.
    outside = SchoolFactory(name="Alton Outside", easting=471500, northing=140200)
    provider_make("Inside", expertise=["KS2 reading"], school=hampshire.school_a2)
    provider_make("Outside", expertise=["KS2 reading"], school=outside)

    inside_match, outside_match = sorted(match(hampshire).matches, key=lambda m: m.name)

    assert outside_match.score > inside_match.score
    assert "In the school's own cluster" in inside_match.reasons
    assert "Outside the school's own cluster" in outside_match.reasons


def test_phase_is_a_reason_for_the_rank(hampshire):
    provider_make("Primary", expertise=["KS2 reading"], phases=["primary"])
    provider_make("Secondary", expertise=["KS2 reading"], phases=["secondary"])

    first, second = match(hampshire).matches

    assert (first.name, second.name) == ("Primary", "Secondary")
    assert "Works with primary schools" in first.reasons
    assert "Does not work with primary schools" in second.reasons


def test_spare_capacity_counts_this_terms_proposed_and_commissioned_days(hampshire):
    provider = provider_make("Busy", expertise=["KS2 reading"], capacity_days_per_term=10)
    engagement_make(provider, hampshire.school_b, days="3")
    engagement_make(provider, hampshire.school_b, days="2", state=Engagement.State.COMMISSIONED)
    engagement_make(provider, hampshire.school_b, days="4", state=Engagement.State.COMPLETED)
    last_year = timezone.now() - timedelta(days=370)
    engagement_make(provider, hampshire.school_b, days="4", opened=last_year)

    (found,) = match(hampshire).matches

    term = term_of(timezone.localdate()).name.lower()
    assert found.spare_days == 5
    assert f"5 of 10 days free this {term} term" in found.reasons


def test_a_track_record_of_good_decisions_ranks_above_one_of_stops(hampshire):
    good = provider_make("Good record", expertise=["KS2 reading"])
    poor = provider_make("Poor record", expertise=["KS2 reading"])
    long_ago = timezone.now() - timedelta(days=400)
    for decision in ("complete", "extend", "stop"):
        engagement_make(good, hampshire.school_b, decision=decision, opened=long_ago)
    engagement_make(poor, hampshire.school_b, decision="stop", opened=long_ago)

    first, second = match(hampshire).matches

    assert (first.name, second.name) == ("Good record", "Poor record")
    assert (
        "Track record: 2 of 3 engagements completed, continued or extended, 1 stopped"
        in first.reasons
    )


def excluded_reasons(result) -> dict[str, str]:
    return {e.name: e.reason for e in result.excluded}


def test_the_school_itself_is_left_out(hampshire):
    provider_make("Itself", expertise=["KS2 reading"], school=hampshire.school_a)

    result = match(hampshire)

    assert result.matches == []
    assert excluded_reasons(result) == {"Itself": "This is the school itself"}


def test_an_inactive_provider_is_left_out(hampshire):
    provider_make("Retired", expertise=["KS2 reading"], active=False)

    assert excluded_reasons(match(hampshire)) == {"Retired": "Not active in the directory"}


def test_a_declared_conflict_leaves_the_provider_out_for_that_school_only(hampshire):
    provider = provider_make("Governor", expertise=["KS2 reading"])
    ConflictDeclaration.objects.create(
        provider=provider, school=hampshire.school_a, reason="Governor of the school"
    )

    assert excluded_reasons(match(hampshire)) == {
        "Governor": "Declared conflict of interest with this school: Governor of the school"
    }
    other = providers_match(school=hampshire.school_b, expertise_ids=need_ids())
    assert [m.name for m in other.matches] == ["Governor"]


def test_a_provider_whose_school_is_in_focused_support_is_left_out(hampshire):
    provider_make("Struggling school", expertise=["KS2 reading"], school=hampshire.school_b)
    provider_make("Good school", expertise=["KS2 reading"], school=hampshire.school_z)
    run_with_results(
        {hampshire.school_b: ("3", "medium"), hampshire.school_z: "1"}, agreed_days_ago=1
    )

    result = match(hampshire)

    assert [m.name for m in result.matches] == ["Good school"]
    assert excluded_reasons(result) == {
        "Struggling school": "Its own school is in focused support in the agreed categorisation"
    }


def test_a_focused_support_run_not_yet_agreed_leaves_nobody_out(hampshire):
    provider_make("Struggling school", expertise=["KS2 reading"], school=hampshire.school_b)
    run_with_results({hampshire.school_b: ("3", "medium")})

    assert [m.name for m in match(hampshire).matches] == ["Struggling school"]


def test_the_same_trust_is_left_out_only_when_the_concern_is_the_trust(hampshire):
    trust = TrustFactory(name="Alton Learning Trust")
    hampshire.school_a.trust = trust
    hampshire.school_a.save(update_fields=["trust"])
    hampshire.school_z.trust = trust
    hampshire.school_z.save(update_fields=["trust"])
    provider_make("Trust school", expertise=["KS2 reading"], school=hampshire.school_z)
    provider_make("Trust itself", expertise=["KS2 reading"], kind=ProviderKind.MAT, trust=trust)

    concern = match(hampshire, concern_is_trust=True)
    no_concern = match(hampshire)

    reason = "In the school's own trust, and the concern is the trust"
    assert excluded_reasons(concern) == {"Trust school": reason, "Trust itself": reason}
    assert len(no_concern.matches) == 2


def test_a_provider_with_no_capacity_left_is_left_out(hampshire):
    provider = provider_make("Full", expertise=["KS2 reading"], capacity_days_per_term=4)
    engagement_make(provider, hampshire.school_b, days="4")

    term = term_of(timezone.localdate()).name.lower()
    assert excluded_reasons(match(hampshire)) == {
        "Full": f"No capacity left this {term} term (4 days a term)"
    }


def test_matches_stop_at_the_limit_best_first(hampshire):
    for number in range(5):
        provider_make(f"Provider {number}", expertise=["KS2 reading"] + ["Writing"] * (number == 3))

    result = match(hampshire, limit=2)

    assert len(result.matches) == 2
    assert result.matches[0].name == "Provider 3"
    assert result.considered == 5


def test_matching_reads_a_fixed_number_of_queries(hampshire, django_assert_max_num_queries):
    for number in range(30):
        provider = provider_make(f"Provider {number}", expertise=["KS2 reading"])
        engagement_make(provider, hampshire.school_b, decision="complete")
    needs = need_ids()
    with django_assert_max_num_queries(8):
        result = match(hampshire, expertise_ids=needs)
    assert result.considered == 30


@pytest.mark.parametrize(
    ("day", "name", "starts", "ends"),
    [
        (date(2026, 9, 1), "Autumn", date(2026, 9, 1), date(2026, 12, 31)),
        (date(2026, 12, 31), "Autumn", date(2026, 9, 1), date(2026, 12, 31)),
        (date(2027, 1, 1), "Spring", date(2027, 1, 1), date(2027, 3, 31)),
        (date(2027, 3, 31), "Spring", date(2027, 1, 1), date(2027, 3, 31)),
        (date(2027, 4, 1), "Summer", date(2027, 4, 1), date(2027, 8, 31)),
        (date(2027, 8, 31), "Summer", date(2027, 4, 1), date(2027, 8, 31)),
    ],
)
def test_terms_run_autumn_spring_summer(day, name, starts, ends):
    term = term_of(day)
    assert (term.name, term.starts_on, term.ends_on) == (name, starts, ends)


def test_capacity_counts_only_cases_opened_in_the_term_of_the_day_asked(hampshire):
    provider = provider_make("Busy", expertise=["KS2 reading"], capacity_days_per_term=10)
    autumn = timezone.make_aware(datetime(2026, 10, 5, 10))
    engagement_make(provider, hampshire.school_b, days="6", opened=autumn)

    in_autumn = match(hampshire, today=date(2026, 11, 1)).matches[0]
    in_spring = match(hampshire, today=date(2027, 2, 1)).matches[0]

    assert (in_autumn.spare_days, in_spring.spare_days) == (4, 10)


def test_membership_factory_puts_school_a2_in_school_as_cluster(hampshire):
    # The world's own arrangement that the cluster test relies on.
    assert MembershipFactory._meta.model.objects.filter(
        school=hampshire.school_a2, cluster=hampshire.cluster_a1, ended_on__isnull=True
    ).exists()
