"""One "Support" section in the service navigation: /support/ opens on what the person works
with, and every /support/ page shows the section's own pages the person may see."""

from __future__ import annotations

import pytest
from django.urls import reverse

from brokerage.models import Provider
from partnership.models import Role
from tests.factories import RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def _section_links(response) -> list[str]:
    navigation = response.context["section_navigation"]
    return [item["label"] for item in navigation["items"]] if navigation else []


@pytest.mark.parametrize(
    ("persona", "landing"),
    [
        ("officer", "brokerage:case-list"),
        ("alliance_chair", "brokerage:case-list"),
        ("head_a", "brokerage:case-list"),
    ],
)
def test_support_opens_on_the_cases_for_those_who_see_cases(as_user, persona, landing):
    response = as_user(persona).get(reverse("brokerage:home"))
    assert response.status_code == 302
    assert response.url == reverse(landing)


def test_a_provider_without_a_role_lands_on_the_engagements_brokered_to_them(client, world):
    person = UserFactory(email="nle@example.org")
    Provider.objects.create(name="Nia NLE", kind="nle", person=person)
    client.force_login(person)
    response = client.get(reverse("brokerage:home"))
    assert response.url == reverse("brokerage:engagement-list")
    page = client.get(response.url)
    assert "Support" in [item["label"] for item in page.context["navigation"]]


def test_someone_with_no_role_is_refused_the_support_section(client, world):
    client.force_login(UserFactory(email="nobody@example.org"))
    assert client.get(reverse("brokerage:home")).status_code == 403


def test_each_support_page_shows_the_sections_pages_the_person_may_see(as_user, world):
    officer_page = as_user("officer").get(reverse("brokerage:engagement-list"))
    assert _section_links(officer_page) == ["Cases", "Engagements", "Providers", "Time to support"]
    active = [i for i in officer_page.context["section_navigation"]["items"] if i["active"]]
    assert [i["label"] for i in active] == ["Engagements"]
    head_page = as_user("head_a").get(reverse("brokerage:case-list"))
    assert _section_links(head_page) == ["Cases", "Engagements", "Providers"]
    assert 'aria-label="Support"' in head_page.content.decode()


def test_pages_outside_support_have_no_secondary_navigation(as_user, world):
    assert as_user("officer").get(reverse("schools:list")).context["section_navigation"] is None


def test_a_provider_role_holder_lands_on_their_engagements(client, world):
    user = UserFactory(email="provider.role@example.org")
    RoleAssignmentFactory(user=user, role=Role.PROVIDER)
    assert user.has_perm("brokerage.view_support")
    client.force_login(user)
    assert client.get(reverse("brokerage:home")).url == reverse("brokerage:engagement-list")
