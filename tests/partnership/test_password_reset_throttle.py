"""The password reset page is throttled: a few emails per address and a few requests per client
an hour, without ever telling anyone whether an address has an account."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

RESET = "/accounts/password_reset/"
DONE = "/accounts/password_reset/done/"
TOO_MANY = "You have asked for too many password reset emails. Try again in an hour"
BASE_DIR = Path(__file__).resolve().parent.parent.parent


def _ask(email: str, client_ip: str = "127.0.0.1", client: Client | None = None):
    return (client or Client()).post(RESET, {"email": email}, REMOTE_ADDR=client_ip)


def test_thirty_requests_for_one_address_from_many_clients_send_three_emails(head_a, mailoutbox):
    for n in range(30):
        response = _ask("head.a@example.org", client_ip=f"10.0.0.{n + 1}")
        assert response.status_code == 302
        assert response["Location"] == DONE
    assert len(mailoutbox) == 3
    assert {tuple(message.to) for message in mailoutbox} == {("head.a@example.org",)}


def test_thirty_requests_from_one_client_send_three_emails_then_are_refused(head_a, mailoutbox):
    statuses = [_ask("head.a@example.org").status_code for _ in range(30)]
    assert statuses == [302] * 10 + [429] * 20
    assert len(mailoutbox) == 3


def test_past_the_address_limit_the_page_says_the_same_as_for_an_unknown_address(
    head_a, mailoutbox
):
    for n in range(3):
        _ask("head.a@example.org", client_ip=f"10.0.1.{n + 1}")
    throttled = _ask("head.a@example.org", client_ip="10.0.1.99", client=Client())
    unknown = _ask("nobody@nowhere.example", client_ip="10.0.1.98", client=Client())
    assert (throttled.status_code, throttled["Location"]) == (302, DONE)
    assert (unknown.status_code, unknown["Location"]) == (302, DONE)
    assert len(mailoutbox) == 3
    page = Client().get(DONE).content.decode()
    assert "Check your email" in page
    assert "If that address has an account, we have sent it a link" in page


def test_the_address_limit_ignores_the_case_of_the_address(head_a, mailoutbox):
    for n, email in enumerate(["head.a@example.org", "HEAD.A@EXAMPLE.ORG", "Head.A@example.org"]):
        _ask(email, client_ip=f"10.0.2.{n + 1}")
    _ask("HEAD.a@Example.Org", client_ip="10.0.2.9")
    assert len(mailoutbox) == 3


def test_other_addresses_still_get_their_email_when_one_address_is_throttled(
    head_a, head_b, mailoutbox
):
    for n in range(5):
        _ask("head.a@example.org", client_ip=f"10.0.3.{n + 1}")
    response = _ask("head.b@example.org", client_ip="10.0.3.50")
    assert response["Location"] == DONE
    assert [message.to for message in mailoutbox].count(["head.b@example.org"]) == 1
    assert len(mailoutbox) == 4


def test_a_client_past_its_limit_is_told_to_try_again_in_an_hour(head_a, mailoutbox):
    for n in range(10):
        assert _ask(f"nobody{n}@nowhere.example").status_code == 302
    response = _ask("head.a@example.org")
    assert response.status_code == 429
    content = response.content.decode()
    assert "<title>Error: Reset your password" in content
    assert "govuk-error-summary" in content
    assert TOO_MANY in content
    assert mailoutbox == []


def test_the_client_limit_answers_the_same_for_a_known_and_an_unknown_address(head_a):
    for n in range(10):
        _ask(f"nobody{n}@nowhere.example")
    known = _ask("head.a@example.org")
    unknown = _ask("nobody@nowhere.example")
    assert known.status_code == unknown.status_code == 429
    assert TOO_MANY in known.content.decode() and TOO_MANY in unknown.content.decode()


def test_the_client_limit_leaves_other_clients_unaffected(head_a, mailoutbox):
    for n in range(11):
        _ask(f"nobody{n}@nowhere.example", client_ip="10.0.4.1")
    response = _ask("head.a@example.org", client_ip="10.0.4.2")
    assert response["Location"] == DONE
    assert len(mailoutbox) == 1


def test_an_invalid_address_does_not_count_towards_the_client_limit(head_a, mailoutbox):
    for _ in range(15):
        assert _ask("not an email address").status_code == 200
    assert _ask("head.a@example.org")["Location"] == DONE
    assert len(mailoutbox) == 1


def test_the_limits_come_from_the_settings(head_a, mailoutbox, settings):
    settings.PASSWORD_RESET_EMAILS_PER_ADDRESS = 1
    settings.PASSWORD_RESET_REQUESTS_PER_CLIENT = 2
    assert _ask("head.a@example.org").status_code == 302
    assert _ask("head.a@example.org").status_code == 302
    assert _ask("head.a@example.org").status_code == 429
    assert len(mailoutbox) == 1


# Where the counts are kept -------------------------------------------------------------------

PROBE = "import django, json; django.setup(); from django.conf import settings; " + (
    "print(json.dumps(settings.CACHES['default']))"
)


def _cache_settings(**env) -> dict:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"CACHE_URL", "CELERY_BROKER_URL"}
    }
    environment.update(DJANGO_SETTINGS_MODULE="config.settings", **env)
    output = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("env", "backend", "location"),
    [
        ({}, "django.core.cache.backends.locmem.LocMemCache", ""),
        (
            {"CELERY_BROKER_URL": "redis://redis:6379/0"},
            "django.core.cache.backends.redis.RedisCache",
            "redis://redis:6379/0",
        ),
        (
            {"CELERY_BROKER_URL": "redis://redis:6379/0", "CACHE_URL": "redis://cache:6379/1"},
            "django.core.cache.backends.redis.RedisCache",
            "redis://cache:6379/1",
        ),
    ],
)
def test_workers_share_the_cache_when_there_is_redis(env, backend, location):
    cache = _cache_settings(**env)
    assert (cache["BACKEND"], cache["LOCATION"]) == (backend, location)
