"""Signing in and out, resetting a password, throttling failed sign-ins and session expiry."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

PASSWORD = "correct horse battery staple"
LOGIN = "/accounts/login/"


def _sign_in(client: Client, email: str, password: str, **extra):
    return client.post(LOGIN, {"username": email, "password": password}, **extra)


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# Sign in and out ---------------------------------------------------------------------------


def test_signing_in_goes_to_the_home_page(client, head_a):
    response = _sign_in(client, "head.a@example.org", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert _signed_in(client)


def test_sign_out_is_a_post_button_in_the_header(as_user, head_a):
    client = as_user("head_a")
    content = client.get("/").content.decode()
    assert re.search(r'<form method="post" action="/accounts/logout/"[^>]*>', content)
    assert "Sign out" in content


def test_signing_out_by_post_ends_the_session(as_user, head_a):
    client = as_user("head_a")
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert not _signed_in(client)
    assert client.get("/").status_code == 302


def test_signing_out_by_get_is_refused(as_user, head_a):
    client = as_user("head_a")
    assert client.get("/accounts/logout/").status_code == 405
    assert _signed_in(client)


# Password reset ----------------------------------------------------------------------------


def _reset_link(message) -> str:
    return re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)


def test_password_reset_emails_a_link_that_sets_a_new_password_once(client, head_a, mailoutbox):
    response = client.post("/accounts/password_reset/", {"email": "head.a@example.org"})
    assert response["Location"] == "/accounts/password_reset/done/"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["head.a@example.org"]
    assert mailoutbox[0].subject == "Reset your password"
    link = _reset_link(mailoutbox[0])

    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    new_password = "a different long password"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
        follow=True,
    )
    assert "Password changed" in done.content.decode()

    assert _sign_in(Client(), "head.a@example.org", PASSWORD).status_code == 200
    fresh = Client()
    assert _sign_in(fresh, "head.a@example.org", new_password).status_code == 302
    assert _signed_in(fresh)
    assert "This link has expired" in Client().get(link, follow=True).content.decode()


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(
    client, db, mailoutbox
):
    response = client.post("/accounts/password_reset/", {"email": "nobody@nowhere.example"})
    assert response["Location"] == "/accounts/password_reset/done/"
    assert mailoutbox == []


def test_password_reset_refuses_a_weak_password_with_a_message(client, head_a, mailoutbox):
    client.post("/accounts/password_reset/", {"email": "head.a@example.org"})
    form_page = client.get(_reset_link(mailoutbox[0]), follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "12345", "new_password2": "12345"}
    )
    content = response.content.decode()
    assert "<title>Error: " in content
    assert "This password is too short" in content


# Throttling --------------------------------------------------------------------------------


def test_five_failed_sign_ins_lock_the_account_even_for_the_right_password(client, head_a):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(client, "head.a@example.org", "wrong").status_code == 200
    fifth = _sign_in(client, "head.a@example.org", "wrong")
    assert fifth.status_code == 429
    sixth = _sign_in(client, "head.a@example.org", PASSWORD)
    assert sixth.status_code == 429
    content = sixth.content.decode()
    assert "Too many attempts to sign in" in content
    assert "Wait 30 minutes" in content
    assert not _signed_in(client)


def test_a_lock_applies_to_that_address_only(client, head_a):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "head.a@example.org", "wrong")
    elsewhere = Client()
    response = _sign_in(elsewhere, "head.a@example.org", PASSWORD, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302
    assert _signed_in(elsewhere)


def test_a_lock_on_one_person_does_not_lock_another_at_the_same_address(client, head_a, head_b):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "head.a@example.org", "wrong")
    assert _sign_in(client, "head.b@example.org", PASSWORD).status_code == 302


@pytest.mark.parametrize("minutes_ago,locked", [(29, True), (31, False)])
def test_the_lock_lasts_thirty_minutes(client, head_a, minutes_ago, locked):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "head.a@example.org", "wrong")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=minutes_ago))
    response = _sign_in(client, "head.a@example.org", PASSWORD)
    assert response.status_code == (429 if locked else 302)
    assert _signed_in(client) is not locked


def test_a_successful_sign_in_clears_earlier_failures(client, head_a):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, "head.a@example.org", "wrong")
    assert _sign_in(client, "head.a@example.org", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(client, "head.a@example.org", "wrong").status_code == 200


# Sessions ----------------------------------------------------------------------------------


def test_session_cookie_ends_when_the_browser_closes(client, head_a):
    response = _sign_in(client, "head.a@example.org", PASSWORD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == ""
    assert cookie["max-age"] == ""
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_session_expires_on_the_server_after_the_session_age(client, head_a):
    _sign_in(client, "head.a@example.org", PASSWORD)
    session = Session.objects.get(session_key=client.session.session_key)
    expected = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert abs((session.expire_date - expected).total_seconds()) < 60


def test_an_expired_session_is_sent_to_sign_in(client, head_a):
    _sign_in(client, "head.a@example.org", PASSWORD)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_each_request_renews_the_session_so_only_idle_sessions_expire(client, head_a):
    _sign_in(client, "head.a@example.org", PASSWORD)
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + timedelta(minutes=1)
    )
    assert client.get("/").status_code == 200
    renewed = Session.objects.get(session_key=key).expire_date
    assert renewed > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)


def test_a_shorter_session_age_takes_effect(client, head_a, settings):
    settings.SESSION_COOKIE_AGE = 30 * 60
    _sign_in(client, "head.a@example.org", PASSWORD)
    session = Session.objects.get(session_key=client.session.session_key)
    assert session.expire_date < timezone.now() + timedelta(minutes=31)
