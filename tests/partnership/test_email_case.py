"""An email address is one account whatever its case: signing in on the page or for an API
token, resetting a password and the failed sign-in lock all ignore case, and no two accounts
may hold the same address in different cases."""

import importlib

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.test import Client
from rest_framework.test import APIClient

from partnership.admin import UserCreationForm
from partnership.models import User
from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"
TOKEN = "/api/token/"
lower_case_migration = importlib.import_module("partnership.migrations.0006_user_email_lower_case")


def _sign_in(client: Client, email: str, password: str = PASSWORD):
    return client.post(LOGIN, {"username": email, "password": password})


def _token(email: str, password: str = PASSWORD):
    return APIClient().post(TOKEN, {"email": email, "password": password}, format="json")


@pytest.mark.parametrize(
    "typed", ["head.a@example.org", "HEAD.A@EXAMPLE.ORG", "Head.A@Example.org"]
)
def test_signing_in_on_the_page_ignores_the_case_of_the_email_address(client, head_a, typed):
    response = _sign_in(client, typed)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == head_a.pk


@pytest.mark.parametrize(
    "typed", ["head.a@example.org", "HEAD.A@EXAMPLE.ORG", "Head.A@Example.org"]
)
def test_an_api_token_ignores_the_case_of_the_email_address(head_a, typed):
    response = _token(typed)
    assert response.status_code == 200
    assert response.json()["token"]


def test_an_account_stored_with_capitals_signs_in_typed_in_lower_case(world):
    user = User.objects.create_user(email="x@example.org", password=PASSWORD)
    User.objects.filter(pk=user.pk).update(email="Mixed.Case@Example.org")  # as older data may be
    assert _sign_in(Client(), "mixed.case@example.org").status_code == 302
    assert _token("MIXED.CASE@EXAMPLE.ORG").status_code == 200


def test_a_wrong_password_in_capitals_still_says_enter_a_correct_address(client, head_a):
    response = _sign_in(client, "HEAD.A@EXAMPLE.ORG", "wrong")
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.content.decode()


def test_failures_in_any_case_count_against_one_account_and_lock_it(client, head_a):
    cases = ["HEAD.A@EXAMPLE.ORG", "head.a@example.org", "Head.A@Example.org", "head.A@example.ORG"]
    for typed in cases[: settings.AXES_FAILURE_LIMIT - 1]:
        assert _sign_in(client, typed, "wrong").status_code == 200
    assert _sign_in(client, "HEAD.a@example.org", "wrong").status_code == 429
    assert _sign_in(client, "head.a@example.org").status_code == 429
    assert _sign_in(client, "HEAD.A@EXAMPLE.ORG").status_code == 429
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"head.a@example.org"}


def test_failures_for_a_token_in_capitals_lock_the_sign_in_page_too(head_a):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _token("HEAD.A@EXAMPLE.ORG", "wrong")
    assert _sign_in(Client(), "head.a@example.org").status_code == 429
    assert _token("head.a@example.org").status_code == 429


def test_failures_at_the_admin_sign_in_in_capitals_count_against_the_same_account(head_a):
    admin = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        admin.post("/admin/login/", {"username": "HEAD.A@EXAMPLE.ORG", "password": "wrong"})
    assert _sign_in(Client(), "head.a@example.org").status_code == 429


def test_a_reset_link_is_sent_to_the_account_whatever_the_case_typed(client, head_a, mailoutbox):
    response = client.post("/accounts/password_reset/", {"email": "HEAD.A@Example.ORG"})
    assert response["Location"] == "/accounts/password_reset/done/"
    assert [message.to for message in mailoutbox] == [["head.a@example.org"]]


def test_the_database_refuses_a_second_account_differing_only_in_case(head_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="Head.A@Example.org")


def test_new_accounts_are_stored_in_lower_case(world):
    assert (
        User.objects.create_user(email="  Sam.Jones@EXAMPLE.org ").email == "sam.jones@example.org"
    )


def test_the_admin_refuses_an_address_that_has_an_account_in_another_case(head_a):
    form = UserCreationForm(data={"email": "HEAD.A@Example.org", "usable_password": "false"})
    assert not form.is_valid()
    assert "email" in form.errors or "__all__" in form.errors
    assert User.objects.filter(email__iexact="head.a@example.org").count() == 1


def test_the_admin_stores_a_new_address_in_lower_case(world):
    form = UserCreationForm(data={"email": "New.Person@Example.ORG", "usable_password": "false"})
    assert form.is_valid(), form.errors
    assert form.save().email == "new.person@example.org"


# The migration that makes addresses unique regardless of case --------------------------------


@pytest.fixture
def without_the_constraint(db):
    """Older data, before the constraint: dropped inside the test's transaction, which puts it
    back when it rolls back."""
    constraint = next(
        c for c in User._meta.constraints if c.name == "user_email_unique_ignoring_case"
    )
    with connection.schema_editor() as editor:
        editor.remove_constraint(User, constraint)


def test_the_migration_puts_every_address_in_lower_case(without_the_constraint):
    User.objects.create(email="Sam.Jones@Example.org")
    lower_case_migration.emails_to_lower_case(_Apps(), None)
    assert list(User.objects.values_list("email", flat=True)) == ["sam.jones@example.org"]


def test_the_migration_stops_and_names_addresses_held_by_two_accounts(without_the_constraint):
    User.objects.create(email="sam.jones@example.org")
    User.objects.create(email="Sam.Jones@Example.org")
    User.objects.create(email="only.one@example.org")
    with pytest.raises(RuntimeError) as excinfo:
        lower_case_migration.emails_to_lower_case(_Apps(), None)
    message = str(excinfo.value)
    assert "belong to more than one account when case is ignored: sam.jones@example.org." in message
    assert "only.one" not in message
    assert "then run migrate again" in message
    assert User.objects.filter(email="Sam.Jones@Example.org").exists()  # nothing changed


class _Apps:
    @staticmethod
    def get_model(app_label: str, name: str):
        return User
