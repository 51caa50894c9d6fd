"""``manage.py create_officer``: the first LA officer of a new installation."""

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from partnership.models import Role, User
from partnership.permissions import roles_of


def test_a_new_address_gets_an_account_an_officer_role_and_an_invitation(
    db, capsys, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("create_officer", "Lead.Officer@Example.org", "--first-name", "Amira")
    user = User.objects.get(email="lead.officer@example.org")
    assert roles_of(user).is_officer
    assert not user.has_usable_password()
    assert [message.to for message in mail.outbox] == [["lead.officer@example.org"]]
    assert "is now an LA officer" in capsys.readouterr().out


def test_an_existing_person_is_given_the_role_without_a_new_invitation(
    db, no_role, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("create_officer", no_role.email)
    assert roles_of(User.objects.get(pk=no_role.pk)).is_officer
    assert mail.outbox == []


def test_someone_who_is_already_an_officer_is_told_so(db, officer):
    with pytest.raises(CommandError, match="already"):
        call_command("create_officer", officer.email)
    assert officer.role_assignments.filter(role=Role.OFFICER).count() == 1
