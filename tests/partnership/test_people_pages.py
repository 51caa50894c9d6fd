"""The People pages: who may reach them, the list, inviting, giving and ending roles."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from partnership.models import Role, RoleAssignment, User
from tests.factories import RoleAssignmentFactory, UserFactory

TODAY = timezone.localdate()
NOT_OFFICERS = [
    "board_chair",
    "board_member",
    "alliance_chair",
    "cluster_lead",
    "head_a",
    "head_b",
    "provider",
    "no_role",
]


@pytest.fixture
def target(world):
    """Someone whose page the personas try to reach: a headteacher of school Z."""
    person = UserFactory(email="target@example.org", first_name="Tess", last_name="Target")
    assignment = RoleAssignmentFactory(user=person, role=Role.HEADTEACHER, school=world.school_z)
    return person, assignment


def _pages(target) -> list[tuple[str, str]]:
    person, assignment = target
    return [
        ("get", "/people/"),
        ("get", "/people/invite/"),
        ("get", f"/people/{person.pk}/"),
        ("get", f"/people/{person.pk}/roles/{assignment.pk}/end/"),
        ("get", f"/people/{person.pk}/close/"),
        ("post", f"/people/{person.pk}/invitation/"),
        ("get", "/people/audit/"),
    ]


def test_officer_reaches_every_people_page(as_user, officer, target):
    client = as_user("officer")
    for method, url in _pages(target):
        response = getattr(client, method)(url)
        expected = 302 if method == "post" else 200
        assert response.status_code == expected, url


@pytest.mark.parametrize("persona", NOT_OFFICERS)
def test_other_roles_are_refused_every_people_page(as_user, persona, target):
    client = as_user(persona)
    for method, url in _pages(target):
        assert getattr(client, method)(url).status_code == 403, url
    assert not target[0].role_assignments.filter(ends_on__isnull=False).exists()


def test_anonymous_visitor_is_sent_to_sign_in_from_every_people_page(client, target):
    for method, url in _pages(target):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url


def test_people_link_shows_in_the_navigation_only_for_officers(as_user, officer, head_a):
    assert 'href="/people/"' in as_user("officer").get("/").content.decode()
    assert 'href="/people/"' not in as_user("head_a").get("/").content.decode()


# The list ----------------------------------------------------------------------------------


def test_people_list_shows_each_person_with_current_roles(as_user, officer, head_a, cluster_lead):
    content = as_user("officer").get("/people/").content.decode()
    assert "head.a@example.org" in content
    assert "Headteacher, Ashdown Primary School (100001)" in content
    assert "Cluster lead, Andover Cluster" in content


@pytest.mark.parametrize("url", ["/people/", "/people/audit/"])
def test_filter_forms_do_not_put_the_csrf_token_in_the_address(as_user, officer, url):
    content = as_user("officer").get(url).content.decode()
    # The only token is the sign-out button's, in a POST form.
    assert content.count('name="csrfmiddlewaretoken"') == 1


def test_people_list_filters_by_role(as_user, officer, head_a, cluster_lead):
    content = as_user("officer").get("/people/", {"role": "cluster_lead"}).content.decode()
    assert "cluster.lead@example.org" in content
    assert "head.a@example.org" not in content


def test_people_list_finds_people_by_name_or_email(as_user, officer, head_a):
    UserFactory(email="jo.bloggs@example.org", first_name="Jo", last_name="Bloggs")
    client = as_user("officer")
    by_name = client.get("/people/", {"q": "jo bloggs"}).content.decode()
    assert "jo.bloggs@example.org" in by_name
    assert "head.a@example.org" not in by_name
    assert "jo.bloggs@example.org" in client.get("/people/", {"q": "BLOGGS@"}).content.decode()


def test_people_list_shows_people_with_no_current_role(as_user, officer, head_a, no_role):
    content = as_user("officer").get("/people/", {"role": "none"}).content.decode()
    assert "nobody@example.org" in content
    assert "head.a@example.org" not in content


def test_people_list_is_paged_and_keeps_its_filters(as_user, officer, world):
    for n in range(60):
        user = UserFactory(email=f"provider{n:02}@example.org", last_name=f"Provider{n:02}")
        RoleAssignmentFactory(user=user, role=Role.PROVIDER)
    client = as_user("officer")
    first = client.get("/people/", {"role": "provider"}).content.decode()
    assert "60 people" in first
    assert "role=provider&amp;page=2" in first
    second = client.get("/people/", {"role": "provider", "page": 2}).content.decode()
    assert "provider59@example.org" in second
    assert "provider00@example.org" not in second


def test_people_list_queries_do_not_grow_with_people(
    as_user, officer, world, django_assert_max_num_queries
):
    for n in range(40):
        user = UserFactory(email=f"head{n}@example.org")
        RoleAssignmentFactory(user=user, role=Role.HEADTEACHER, school=world.school_a)
        RoleAssignmentFactory(user=user, role=Role.CLUSTER_LEAD, cluster=world.cluster_a1)
    client = as_user("officer")
    with django_assert_max_num_queries(10):
        response = client.get("/people/")
    assert response.content.decode().count("Cluster lead, Andover Cluster") == 40


# Inviting ----------------------------------------------------------------------------------


def _link_in(message) -> str:
    return re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)


def test_invitation_email_link_lets_the_person_choose_a_password_once_and_sign_in(
    as_user, officer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user("officer").post(
            "/people/invite/",
            {"email": "sam.jones@example.org", "first_name": "Sam", "last_name": "Jones"},
            follow=True,
        )
    assert "Invitation sent to sam.jones@example.org" in response.content.decode()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "You have been invited to School improvement partnership"
    link = _link_in(mailoutbox[0])

    invitee = Client()
    form_page = invitee.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    password = "a very long new password"
    done = invitee.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": password, "new_password2": password},
        follow=True,
    )
    assert "Password changed" in done.content.decode()

    signed_in = invitee.post(
        "/accounts/login/", {"username": "sam.jones@example.org", "password": password}
    )
    assert signed_in.status_code == 302
    assert (
        int(invitee.session["_auth_user_id"]) == User.objects.get(email="sam.jones@example.org").pk
    )

    again = Client().get(link, follow=True)
    assert "This link has expired" in again.content.decode()


def test_inviting_without_a_name_shows_an_error_summary(as_user, officer):
    response = as_user("officer").post("/people/invite/", {"email": "not-an-email"})
    content = response.content.decode()
    assert "<title>Error: " in content
    assert "govuk-error-summary" in content
    assert "Enter an email address in the correct format, like name@example.org" in content
    assert "Enter their first name" in content


def test_inviting_someone_who_has_an_account_shows_the_reason(as_user, officer, head_a):
    response = as_user("officer").post(
        "/people/invite/",
        {"email": "head.a@example.org", "first_name": "A", "last_name": "Head"},
    )
    assert "head.a@example.org already has an account" in response.content.decode()


def test_officer_can_send_a_pending_invitation_again(
    as_user, officer, mailoutbox, django_capture_on_commit_callbacks
):
    person = UserFactory(email="pending@example.org", password=None)
    person.set_unusable_password()
    person.save()
    client = as_user("officer")
    assert "Send the invitation again" in client.get(f"/people/{person.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/people/{person.pk}/invitation/", follow=True)
    assert "Invitation sent again to pending@example.org" in response.content.decode()
    assert len(mailoutbox) == 1


# Giving and ending roles -------------------------------------------------------------------


def test_person_page_shows_current_and_past_roles(as_user, officer, target, world):
    person, _ = target
    RoleAssignmentFactory(
        user=person,
        role=Role.CLUSTER_LEAD,
        cluster=world.cluster_b1,
        starts_on=TODAY - timedelta(days=400),
        ends_on=TODAY - timedelta(days=30),
    )
    content = as_user("officer").get(f"/people/{person.pk}/").content.decode()
    assert content.count('name="csrfmiddlewaretoken"') == 2  # sign out, and give a role
    current = content.split("Current roles</h2>")[1].split('id="assign"')[0]
    past = content.split("Past roles</h2>")[1]
    assert "Zeals Junior School (100004)" in current
    assert "Bishops Waltham Cluster" in past
    assert "Bishops Waltham Cluster" not in current


def test_officer_makes_someone_headteacher_by_the_schools_urn(as_user, officer, target, world):
    person, _ = target
    response = as_user("officer").post(
        f"/people/{person.pk}/",
        {"role": "headteacher", "school": "100001", "alliance": world.alliance_b.pk},
        follow=True,
    )
    assert "Tess Target is now Headteacher, Ashdown Primary School (100001)" in (
        response.content.decode()
    )
    assignment = person.role_assignments.get(school=world.school_a)
    # The alliance answered under another role does not count.
    assert assignment.alliance is None
    assert assignment.granted_by == officer


@pytest.mark.parametrize(
    "data,message",
    [
        ({}, "Select a role"),
        ({"role": "headteacher"}, "Choose the school this headteacher leads"),
        ({"role": "headteacher", "school": "12ab"}, "Enter the school&#x27;s URN as 6 digits"),
        ({"role": "headteacher", "school": "999999"}, "There is no school with URN 999999"),
        ({"role": "alliance_chair"}, "Choose the alliance this alliance chair leads"),
        ({"role": "cluster_lead"}, "Choose the cluster this cluster lead leads"),
        (
            {"role": "provider", "starts_on_0": "31", "starts_on_1": "2", "starts_on_2": "2026"},
            "Enter a real date",
        ),
        (
            {"role": "headteacher", "school": "100004"},
            "Tess Target is already Headteacher, Zeals Junior School (100004)",
        ),
    ],
)
def test_giving_a_role_shows_what_to_fix(as_user, officer, target, data, message):
    person, _ = target
    response = as_user("officer").post(f"/people/{person.pk}/", data)
    content = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in content
    assert "govuk-error-summary" in content
    assert message in content
    assert person.role_assignments.count() == 1


def test_officer_makes_someone_a_substitute_for_a_board_member(
    as_user, officer, board_member, target
):
    person, _ = target
    member = board_member.role_assignments.get()
    client = as_user("officer")
    assert f'value="{member.pk}"' in client.get(f"/people/{person.pk}/").content.decode()
    client.post(
        f"/people/{person.pk}/",
        {"role": "board_member", "substitute_for": member.pk, "nominated_by": "Diocese"},
    )
    substitute = person.role_assignments.get(role=Role.BOARD_MEMBER)
    assert substitute.substitute_for == member
    assert substitute.nominated_by == "Diocese"


def test_ending_a_role_asks_for_confirmation_then_ends_it(as_user, officer, target):
    person, assignment = target
    client = as_user("officer")
    confirm = client.get(f"/people/{person.pk}/roles/{assignment.pk}/end/").content.decode()
    assert "End the role Headteacher, Zeals Junior School (100004)?" in confirm
    assignment.refresh_from_db()
    assert assignment.ends_on is None
    response = client.post(f"/people/{person.pk}/roles/{assignment.pk}/end/", follow=True)
    assert "Tess Target is no longer Headteacher, Zeals Junior School (100004)" in (
        response.content.decode()
    )
    assignment.refresh_from_db()
    assert assignment.ends_on == TODAY


def test_an_officer_is_told_they_cannot_end_their_own_last_officer_role(as_user, officer):
    assignment = officer.role_assignments.get()
    response = as_user("officer").post(f"/people/{officer.pk}/roles/{assignment.pk}/end/")
    content = response.content.decode()
    assert "<title>Error: " in content
    assert "You cannot end your own LA officer role" in content
    assignment.refresh_from_db()
    assert assignment.ends_on is None


def test_a_role_of_another_person_is_not_found_under_this_person(as_user, officer, target, head_a):
    person, _ = target
    other = head_a.role_assignments.get()
    assert as_user("officer").get(f"/people/{person.pk}/roles/{other.pk}/end/").status_code == 404


def test_officer_closes_an_account(as_user, officer, target):
    person, assignment = target
    response = as_user("officer").post(f"/people/{person.pk}/close/", follow=True)
    assert "Tess Target&#x27;s account is closed" in response.content.decode()
    person.refresh_from_db()
    assert not person.is_active
    assert not RoleAssignment.objects.current().filter(user=person).exists()
