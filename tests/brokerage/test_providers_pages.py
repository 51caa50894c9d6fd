"""The provider directory's pages, each rule proved from both sides: everyone with a role reads
it; officers change any entry, a provider its own, a headteacher their own school's offer."""

from __future__ import annotations

import pytest
from django.urls import reverse

from brokerage.models import ConflictDeclaration, Expertise, Provider, ProviderKind
from tests.brokerage.providers_support import (
    areas,
    engagement_make,
    expertise_seeded,  # noqa: F401
    provider_make,
)
from tests.categorisation.factories import run_with_results

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("expertise_seeded")]

ROLES = ["officer", "board_chair", "board_member", "alliance_chair", "cluster_lead"]
ROLES += ["head_a", "head_b", "provider"]


@pytest.fixture
def entries(world, provider):
    """An NLE kept by the provider persona, school A's offer, and an LA adviser."""
    return {
        "nle": provider_make("Nadia NLE", expertise=["KS2 reading"], person=provider),
        "school_a": provider_make(
            "Ashdown Primary School",
            kind=ProviderKind.SCHOOL,
            school=world.school_a,
            expertise=["Phonics"],
        ),
        "adviser": provider_make(
            "LA maths adviser", kind=ProviderKind.LA_ADVISER, expertise=["KS2 maths"]
        ),
    }


def form_data(**changes) -> dict:
    data = {
        "name": "Phonics hub",
        "kind": ProviderKind.SUBJECT_HUB,
        "expertise": [e.pk for e in areas("Phonics", "KS2 reading")],
        "phases": ["primary"],
        "capacity_days_per_term": "8",
        "can_be_paid": "on",
    }
    return {**data, **changes}


@pytest.mark.parametrize("persona", ROLES)
def test_everyone_with_a_role_reads_the_directory(as_user, persona, entries):
    response = as_user(persona).get(reverse("brokerage:provider-list"))

    assert response.status_code == 200
    assert "Nadia NLE" in response.text and "LA maths adviser" in response.text


def test_a_user_without_a_role_cannot_read_the_directory(as_user, entries):
    assert as_user("no_role").get(reverse("brokerage:provider-list")).status_code == 403
    url = reverse("brokerage:provider-detail", args=[entries["nle"].pk])
    assert as_user("no_role").get(url).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(as_user, entries):
    response = as_user("anonymous").get(reverse("brokerage:provider-list"))
    assert response.status_code == 302 and "login" in response.url


def test_a_headteacher_never_sees_another_schools_category(as_user, world, entries):
    run_with_results({world.school_a: ("4", "high")}, agreed_days_ago=1)

    for url in (
        reverse("brokerage:provider-list"),
        reverse("brokerage:provider-detail", args=[entries["school_a"].pk]),
    ):
        page = as_user("head_b").get(url).text
        assert "Intensive support" not in page and "focused support" not in page.lower()


def test_the_directory_filters_by_expertise_phase_kind_and_spare_capacity(as_user, world, entries):
    entries["adviser"].phases = ["secondary"]
    entries["adviser"].save()
    engagement_make(entries["nle"], world.school_b, days="10")
    client, url = as_user("officer"), reverse("brokerage:provider-list")
    phonics = areas("Phonics")[0].pk

    def names(**query) -> set[str]:
        page = client.get(url, query).context["page"]
        return {p.name for p in page.object_list}

    assert names(expertise=phonics) == {"Ashdown Primary School"}
    assert names(phase="secondary") == {"LA maths adviser"}
    assert names(kind=ProviderKind.NLE) == {"Nadia NLE"}
    assert names(spare_capacity="on") == {"Ashdown Primary School", "LA maths adviser"}


def test_inactive_entries_are_hidden_unless_an_officer_asks(as_user, entries):
    entries["adviser"].active = False
    entries["adviser"].save()
    url = reverse("brokerage:provider-list")

    assert "LA maths adviser" not in as_user("head_a").get(url, {"include_inactive": "on"}).text
    assert "LA maths adviser" in as_user("officer").get(url, {"include_inactive": "on"}).text


def test_the_detail_shows_capacity_used_and_the_track_record(as_user, world, entries):
    engagement_make(entries["nle"], world.school_b, days="4")
    engagement_make(entries["nle"], world.school_b, days="0", decision="complete")
    engagement_make(entries["nle"], world.school_b, days="0", decision="stop")

    page = as_user("head_b").get(reverse("brokerage:provider-detail", args=[entries["nle"].pk]))

    assert "4 used and 6 free" in page.text
    assert "1 of 2 completed, continued or extended; 1 stopped" in page.text


def test_an_officer_adds_any_entry_with_its_person(as_user, world, provider):
    data = form_data(
        person_email="provider@example.org", school_urn=str(world.school_z.urn), trust_name=""
    )

    response = as_user("officer").post(reverse("brokerage:provider-create"), data)

    created = Provider.objects.get(name="Phonics hub")
    assert response.status_code == 302
    assert (created.person, created.school, created.capacity_days_per_term) == (
        provider,
        world.school_z,
        8,
    )
    assert set(created.expertise.values_list("name", flat=True)) == {"Phonics", "KS2 reading"}


def test_a_provider_adds_an_entry_it_keeps_itself(as_user, provider):
    as_user("provider").post(reverse("brokerage:provider-create"), form_data())

    assert Provider.objects.get(name="Phonics hub").person == provider


def test_a_headteacher_offers_their_own_schools_strengths(as_user, world):
    data = form_data(name="", own_school=str(world.school_a.pk))

    response = as_user("head_a").post(reverse("brokerage:provider-create"), data)

    offer = Provider.objects.get()
    assert response.status_code == 302
    assert (offer.kind, offer.school, offer.name) == (
        ProviderKind.SCHOOL,
        world.school_a,
        "Ashdown Primary School",
    )


def test_a_headteacher_cannot_offer_another_schools_strengths(as_user, world):
    data = form_data(own_school=str(world.school_b.pk))

    response = as_user("head_a").post(reverse("brokerage:provider-create"), data)

    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert response.context["form"].errors and "<title>Error: " in response.text
    assert not Provider.objects.exists()


def test_a_user_without_a_role_cannot_add_an_entry(as_user):
    response = as_user("no_role").post(reverse("brokerage:provider-create"), form_data())
    assert response.status_code == 403


def test_an_invalid_entry_shows_the_error_summary(as_user):
    response = as_user("officer").post(
        reverse("brokerage:provider-create"), form_data(capacity_days_per_term="90")
    )

    assert "Capacity must be 65 days a term or fewer" in response.text
    assert "govuk-error-summary" in response.text


@pytest.mark.parametrize(
    ("persona", "entry", "allowed"),
    [
        ("officer", "adviser", True),
        ("provider", "nle", True),
        ("provider", "adviser", False),
        ("head_a", "school_a", True),
        ("head_b", "school_a", False),
        ("head_a", "nle", False),
        ("alliance_chair", "nle", False),
    ],
)
def test_who_may_change_an_entry(as_user, entries, persona, entry, allowed):
    provider = entries[entry]
    url = reverse("brokerage:provider-edit", args=[provider.pk])
    data = form_data(name="Renamed", kind=provider.kind, own_school=str(provider.school_id or ""))

    response = as_user(persona).post(url, data)

    provider.refresh_from_db()
    assert (response.status_code == 302, provider.name == "Renamed") == (allowed, allowed)
    if not allowed:
        assert response.status_code == 403


@pytest.mark.parametrize(
    ("persona", "allowed"), [("officer", True), ("provider", True), ("head_b", False)]
)
def test_who_may_deactivate_an_entry(as_user, entries, persona, allowed):
    url = reverse("brokerage:provider-set-active", args=[entries["nle"].pk])

    response = as_user(persona).post(url, {"active": "no"})

    entries["nle"].refresh_from_db()
    assert entries["nle"].active is not allowed
    assert response.status_code == (302 if allowed else 403)


@pytest.mark.parametrize(
    ("persona", "allowed"), [("officer", True), ("provider", True), ("head_b", False)]
)
def test_who_may_declare_a_conflict(as_user, world, entries, persona, allowed):
    url = reverse("brokerage:conflict-declare", args=[entries["nle"].pk])

    response = as_user(persona).post(
        url, {"school_urn": world.school_b.urn, "reason": "Governor of Bramley"}
    )

    assert ConflictDeclaration.objects.exists() is allowed
    assert response.status_code == (302 if allowed else 403)


def test_a_conflict_is_declared_once(as_user, world, entries):
    url = reverse("brokerage:conflict-declare", args=[entries["nle"].pk])
    data = {"school_urn": world.school_b.urn, "reason": "Governor"}
    as_user("officer").post(url, data)

    response = as_user("officer").post(url, data)

    assert "A conflict between Nadia NLE and Bramley Infant School is already declared" in (
        response.text
    )


@pytest.mark.parametrize("persona", ["head_a", "provider", "alliance_chair", "no_role"])
def test_only_officers_edit_the_areas_of_expertise(as_user, persona):
    response = as_user(persona).post(reverse("brokerage:expertise-list"), {"name": "Oracy"})
    assert response.status_code == 403
    assert not Expertise.objects.filter(name="Oracy").exists()


def test_an_officer_adds_an_area_of_expertise_once(as_user):
    url = reverse("brokerage:expertise-list")
    as_user("officer").post(url, {"name": "Oracy"})

    response = as_user("officer").post(url, {"name": "oracy"})

    assert Expertise.objects.filter(name="Oracy").count() == 1
    assert "There is already an area of expertise called oracy" in response.text


def match_url(world, school=None) -> str:
    ids = "&".join(f"expertise={e.pk}" for e in areas("KS2 reading", "KS2 maths"))
    return f"{reverse('brokerage:provider-match')}?school={(school or world.school_a).urn}&{ids}"


def test_an_officer_sees_ranked_providers_with_reasons_and_those_left_out(as_user, world, entries):
    response = as_user("officer").get(match_url(world))

    assert response.status_code == 200
    assert "Covers 1 of 2 areas: KS2 reading" in response.text
    assert "This is the school itself" not in response.text  # school A's offer has no KS2 area
    assert "Nadia NLE" in response.text and "LA maths adviser" in response.text


def test_the_match_page_lists_a_left_out_provider_with_its_reason(as_user, world, entries):
    entries["adviser"].active = False
    entries["adviser"].save()

    response = as_user("officer").get(match_url(world))

    assert response.context["matching"].excluded[0].reason == "Not active in the directory"
    assert "Not active in the directory" in response.text


def test_an_alliance_chair_matches_for_a_school_in_their_alliance(as_user, world, entries):
    response = as_user("alliance_chair").get(match_url(world))

    assert response.status_code == 200
    assert response.context["matching"] is not None


def test_an_alliance_chair_cannot_match_for_another_alliances_school(as_user, world, entries):
    response = as_user("alliance_chair").get(match_url(world, world.school_b))

    assert response.context["matching"] is None
    assert f"There is no school with URN {world.school_b.urn}" in response.text


@pytest.mark.parametrize("persona", ["head_a", "provider", "cluster_lead", "no_role"])
def test_others_cannot_match(as_user, world, entries, persona):
    assert as_user(persona).get(match_url(world)).status_code == 403


def bulk_providers(number: int, school) -> None:
    providers = Provider.objects.bulk_create(
        Provider(name=f"Provider {n:05}", kind=ProviderKind.NLE, capacity_days_per_term=10)
        for n in range(number)
    )
    reading, maths = areas("KS2 reading", "KS2 maths")
    through = Provider.expertise.through
    through.objects.bulk_create(
        through(provider=p, expertise=area) for p in providers for area in (reading, maths)
    )
    for provider in providers[:5]:
        engagement_make(provider, school, decision="complete")


@pytest.mark.parametrize("number", [20, 2000])
def test_the_directory_reads_a_fixed_number_of_queries(
    as_user, world, provider, number, django_assert_max_num_queries
):
    bulk_providers(number, world.school_b)
    client = as_user("head_a")
    with django_assert_max_num_queries(15):
        response = client.get(reverse("brokerage:provider-list"), {"page": 2, "phase": ""})
    assert response.status_code == 200
    assert f"{number:,} providers" in response.text


@pytest.mark.parametrize("number", [20, 2000])
def test_the_match_page_reads_a_fixed_number_of_queries(
    as_user, world, officer, number, django_assert_max_num_queries
):
    bulk_providers(number, world.school_b)
    client = as_user("officer")
    with django_assert_max_num_queries(20):
        response = client.get(match_url(world))
    assert response.context["matching"].considered == number


def test_a_change_to_an_entry_is_in_the_audit_trail_with_who_made_it(as_user, officer, entries):
    url = reverse("brokerage:provider-set-active", args=[entries["adviser"].pk])
    as_user("officer").post(url, {"active": "no"})

    response = as_user("officer").get("/people/audit/", {"kind": "provider"})

    entry = response.context["trail"].entries[0]
    assert (entry.object_label, entry.who) == ("LA maths adviser", officer)
    assert entry.object_url == f"/support/providers/{entries['adviser'].pk}/"


@pytest.mark.parametrize(("persona", "allowed"), [("officer", True), ("provider", False)])
def test_only_an_officer_withdraws_a_declared_conflict(as_user, world, entries, persona, allowed):
    conflict = ConflictDeclaration.objects.create(
        provider=entries["nle"], school=world.school_b, reason="Governor"
    )
    url = reverse("brokerage:conflict-withdraw", args=[entries["nle"].pk, conflict.pk])

    response = as_user(persona).post(url)

    assert ConflictDeclaration.objects.exists() is not allowed
    assert response.status_code == (302 if allowed else 403)
