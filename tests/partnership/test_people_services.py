"""The people services: invitations, giving and ending roles, closing accounts."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from partnership.models import Role, RoleAssignment
from partnership.permissions import roles_of
from partnership.services import (
    role_assign,
    role_end,
    user_deactivate,
    user_invitation_resend,
    user_invite,
)
from tests.factories import RoleAssignmentFactory, UserFactory

TODAY = timezone.localdate()


def _messages(excinfo) -> list[str]:
    return excinfo.value.messages


@pytest.fixture
def newcomer(world):
    return UserFactory(email="newcomer@example.org", first_name="Nia", last_name="Owen")


# Invitations -------------------------------------------------------------------------------


def test_invited_person_is_active_with_no_usable_password(
    world, officer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        person = user_invite(
            email="  Sam.Jones@Example.org ", first_name="Sam", last_name="Jones", by=officer
        )
    assert person.email == "sam.jones@example.org"
    assert person.is_active
    assert not person.has_usable_password()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["sam.jones@example.org"]


def test_inviting_an_email_that_has_an_account_is_refused(world, officer, head_a, mailoutbox):
    with pytest.raises(ValidationError) as excinfo:
        user_invite(email="HEAD.A@example.org", first_name="A", last_name="B", by=officer)
    assert excinfo.value.message_dict["email"] == [
        "head.a@example.org already has an account. To send their invitation again, use the "
        "button on their page"
    ]
    assert mailoutbox == []


def test_no_email_is_sent_when_the_invitation_is_rolled_back(world, officer, mailoutbox):
    # Without running the on-commit callbacks (as in a rolled-back transaction), nothing is sent.
    user_invite(email="sam@example.org", first_name="Sam", last_name="Jones", by=officer)
    assert mailoutbox == []


def test_a_pending_invitation_can_be_sent_again_but_not_once_a_password_is_set(
    world, officer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        person = user_invite(
            email="sam@example.org", first_name="Sam", last_name="Jones", by=officer
        )
        user_invitation_resend(user=person, by=officer)
    assert len(mailoutbox) == 2
    person.set_password("a long enough new password")
    person.save()
    with pytest.raises(ValidationError, match="already chosen a password"):
        user_invitation_resend(user=person, by=officer)


# Giving roles ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role,field,message",
    [
        (Role.HEADTEACHER, "school", "Choose the school this headteacher leads"),
        (Role.ALLIANCE_CHAIR, "alliance", "Choose the alliance this alliance chair leads"),
        (Role.CLUSTER_LEAD, "cluster", "Choose the cluster this cluster lead leads"),
    ],
)
def test_a_scoped_role_needs_its_scope(world, officer, newcomer, role, field, message):
    with pytest.raises(ValidationError) as excinfo:
        role_assign(user=newcomer, role=role, by=officer)
    assert excinfo.value.message_dict == {field: [message]}
    assert not newcomer.role_assignments.exists()


def test_a_partnership_wide_role_takes_no_school(world, officer, newcomer):
    with pytest.raises(ValidationError) as excinfo:
        role_assign(user=newcomer, role=Role.BOARD_MEMBER, school=world.school_a, by=officer)
    assert excinfo.value.message_dict == {
        "school": ["A board member is not linked to a school: leave it empty"]
    }


def test_a_closed_alliance_cannot_be_given_a_chair(world, officer, newcomer):
    world.alliance_a.closed_on = TODAY
    world.alliance_a.save()
    with pytest.raises(ValidationError) as excinfo:
        role_assign(user=newcomer, role=Role.ALLIANCE_CHAIR, alliance=world.alliance_a, by=officer)
    assert excinfo.value.message_dict == {
        "alliance": ["North Alliance has closed: choose an open alliance"]
    }


def test_headteacher_role_records_who_gave_it_and_takes_effect_at_once(world, officer, newcomer):
    assert not roles_of(newcomer).school_ids
    assignment = role_assign(
        user=newcomer, role=Role.HEADTEACHER, school=world.school_a, by=officer
    )
    assert assignment.granted_by == officer
    assert assignment.starts_on == TODAY
    assert assignment.history.get().history_user == officer
    assert roles_of(newcomer).school_ids == {world.school_a.pk}


def test_the_same_role_and_scope_cannot_be_given_twice(world, officer, newcomer):
    role_assign(user=newcomer, role=Role.HEADTEACHER, school=world.school_a, by=officer)
    with pytest.raises(ValidationError) as excinfo:
        role_assign(user=newcomer, role=Role.HEADTEACHER, school=world.school_a, by=officer)
    assert _messages(excinfo) == [
        "Nia Owen is already Headteacher, Ashdown Primary School (100001)"
    ]
    # A second school is a different scope: an executive head leads two.
    role_assign(user=newcomer, role=Role.HEADTEACHER, school=world.school_b, by=officer)
    assert newcomer.role_assignments.count() == 2


def test_a_role_can_be_given_again_after_it_ended(world, officer, newcomer):
    first = role_assign(
        user=newcomer,
        role=Role.PROVIDER,
        starts_on=TODAY - timedelta(days=30),
        by=officer,
    )
    role_end(assignment=first, on=TODAY - timedelta(days=1), by=officer)
    role_assign(user=newcomer, role=Role.PROVIDER, by=officer)
    assert newcomer.role_assignments.current().count() == 1


def test_a_substitute_stands_in_for_a_current_board_member(world, officer, board_member, newcomer):
    member = board_member.role_assignments.get()
    member.nominated_by = "Primary headteachers' association"
    member.save()
    substitute = role_assign(
        user=newcomer, role=Role.BOARD_MEMBER, substitute_for=member, by=officer
    )
    assert substitute.substitute_for == member
    assert substitute.nominated_by == "Primary headteachers' association"


@pytest.mark.parametrize(
    "case,message",
    [
        ("headteacher", "Choose a current board member for the substitute to stand in for"),
        ("ended", "Choose a current board member for the substitute to stand in for"),
        ("self", "A board member cannot be their own substitute"),
    ],
)
def test_a_substitute_must_point_at_a_current_board_member(
    world, officer, board_member, head_a, case, message
):
    member = board_member.role_assignments.get()
    target, user = member, UserFactory(email="sub@example.org")
    if case == "headteacher":
        target = head_a.role_assignments.get()
    elif case == "ended":
        member.starts_on = TODAY - timedelta(days=10)
        member.ends_on = TODAY - timedelta(days=1)
        member.save()
    elif case == "self":
        user = board_member
    with pytest.raises(ValidationError) as excinfo:
        role_assign(user=user, role=Role.BOARD_MEMBER, substitute_for=target, by=officer)
    assert excinfo.value.message_dict == {"substitute_for": [message]}


def test_only_a_board_member_can_be_a_substitute(world, officer, board_member, newcomer):
    with pytest.raises(ValidationError) as excinfo:
        role_assign(
            user=newcomer,
            role=Role.PROVIDER,
            substitute_for=board_member.role_assignments.get(),
            by=officer,
        )
    assert excinfo.value.message_dict == {
        "substitute_for": ["Only a board member can be a substitute"]
    }


def test_a_closed_account_cannot_be_given_a_role(world, officer, newcomer):
    newcomer.is_active = False
    newcomer.save()
    with pytest.raises(ValidationError, match="Nia Owen's account has been closed"):
        role_assign(user=newcomer, role=Role.PROVIDER, by=officer)


# Ending roles ------------------------------------------------------------------------------


def test_ending_a_role_removes_access_and_records_who(world, officer, head_a):
    assignment = head_a.role_assignments.get()
    assert roles_of(head_a).school_ids == {world.school_a.pk}
    role_end(assignment=assignment, by=officer)
    assignment.refresh_from_db()
    assert assignment.ends_on == TODAY
    assert assignment.history.first().history_user == officer
    head_a.refresh_from_db()
    assert not roles_of(head_a).roles


def test_a_role_cannot_end_before_it_started(world, officer, head_a):
    assignment = head_a.role_assignments.get()
    with pytest.raises(ValidationError) as excinfo:
        role_end(assignment=assignment, on=TODAY - timedelta(days=1), by=officer)
    assert (
        "The end date must be the same as or after the start date"
        in (excinfo.value.message_dict["ends_on"][0])
    )


def test_an_ended_role_cannot_end_again(world, officer, head_a):
    assignment = head_a.role_assignments.get()
    role_end(assignment=assignment, by=officer)
    with pytest.raises(ValidationError, match="This role has already ended"):
        role_end(assignment=assignment, by=officer)


def test_an_officer_cannot_end_their_own_last_officer_role(world, officer):
    second = UserFactory(email="second.officer@example.org")
    RoleAssignmentFactory(user=second, role=Role.OFFICER)
    with pytest.raises(ValidationError) as excinfo:
        role_end(assignment=officer.role_assignments.get(), by=officer)
    assert _messages(excinfo) == [
        "You cannot end your own LA officer role. Ask another LA officer to end it"
    ]
    # Another officer may end it: the partnership still has one.
    role_end(assignment=officer.role_assignments.get(), by=second)
    assert not RoleAssignment.objects.current().filter(user=officer).exists()


def test_the_last_officer_role_in_the_partnership_cannot_end(world, officer):
    superuser = UserFactory(email="admin@example.org", is_superuser=True)
    with pytest.raises(ValidationError) as excinfo:
        role_end(assignment=officer.role_assignments.get(), by=superuser)
    assert _messages(excinfo) == [
        "The partnership must always have an LA officer. Give someone else the LA officer role "
        "before ending this one"
    ]


def test_ending_a_board_members_role_ends_their_substitutes(world, officer, board_member):
    member = board_member.role_assignments.get()
    substitute = role_assign(
        user=UserFactory(email="sub@example.org"),
        role=Role.BOARD_MEMBER,
        substitute_for=member,
        by=officer,
    )
    role_end(assignment=member, by=officer)
    substitute.refresh_from_db()
    assert substitute.ends_on == TODAY


# Closing accounts --------------------------------------------------------------------------


def test_closing_an_account_ends_every_role_and_stops_sign_in(world, officer, head_a, client):
    RoleAssignmentFactory(user=head_a, role=Role.PROVIDER)
    user_deactivate(user=head_a, by=officer)
    head_a.refresh_from_db()
    assert not head_a.is_active
    assert not RoleAssignment.objects.current().filter(user=head_a).exists()
    response = client.post(
        "/accounts/login/",
        {"username": "head.a@example.org", "password": "correct horse battery staple"},
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_an_officer_cannot_close_their_own_account(world, officer):
    with pytest.raises(ValidationError, match="You cannot close your own account"):
        user_deactivate(user=officer, by=officer)
