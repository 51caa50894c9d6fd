"""Production settings (DJANGO_ENV=production), each read in a fresh Python process."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management.utils import get_random_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent.parent
HOST = "partnership.example.org"

# Prints the security settings and the headers of a request as it reaches the app behind the
# TLS-terminating proxy, and the response to the same request over plain HTTP.
PROBE = f"""
import json
import django
django.setup()
from django.conf import settings
from django.test import Client

names = [
    "DEBUG", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_AGE", "SESSION_EXPIRE_AT_BROWSER_CLOSE", "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "X_FRAME_OPTIONS",
]
client = Client()
https = client.get("/healthz", HTTP_HOST="{HOST}", HTTP_X_FORWARDED_PROTO="https")
http = client.get("/healthz", HTTP_HOST="{HOST}", HTTP_X_FORWARDED_PROTO="http")
print(json.dumps({{
    "settings": {{name: getattr(settings, name) for name in names}},
    "headers": dict(https.headers),
    "http": [http.status_code, http.headers.get("Location", "")],
}}))
"""


def _env(**overrides) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "CSRF_TRUSTED_ORIGINS",
            "DEBUG",
            "DJANGO_ALLOW_ASYNC_UNSAFE",  # the test run's own setting, never a deployment's
        }
        and not key.startswith(("SECURE_", "SESSION_"))
    }
    env.update(DJANGO_SETTINGS_MODULE="config.settings", DJANGO_ENV="production", **overrides)
    return env


def _production_env() -> dict:
    return _env(
        SECRET_KEY=get_random_secret_key(),
        ALLOWED_HOSTS=HOST,
        CSRF_TRUSTED_ORIGINS=f"https://{HOST}",
    )


def _run(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def probe() -> dict:
    result = _run(["-c", PROBE], _production_env())
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("first", ["", "$"])
def test_deployment_checklist_passes_in_production(first):
    # One random key in fifty starts with "$", which django-environ would read as a reference.
    env = _production_env()
    env["SECRET_KEY"] = first + env["SECRET_KEY"][len(first) :]
    assert len(env["SECRET_KEY"]) == 50
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_a_secret_key_or_hosts(missing):
    env = _production_env()
    del env[missing]
    result = _run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"Set the {missing} environment variable" in result.stderr


def test_production_sends_a_content_security_policy(probe):
    policy = probe["headers"]["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"].startswith("'self'")
    assert "unsafe-inline" not in policy
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert directives["form-action"] == "'self'"


def test_production_sends_hsts_and_other_security_headers(probe):
    headers = probe["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_production_redirects_plain_http_to_https(probe):
    status, location = probe["http"]
    assert status == 301
    assert location == f"https://{HOST}/healthz"


def test_production_cookies_are_secure_and_sessions_short(probe):
    settings = probe["settings"]
    assert settings["DEBUG"] is False
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["SESSION_COOKIE_HTTPONLY"] is True
    assert settings["CSRF_COOKIE_SECURE"] is True
    assert settings["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is True
    assert settings["SESSION_COOKIE_AGE"] == 30 * 60
    assert settings["SECURE_SSL_REDIRECT"] is True
    assert settings["ALLOWED_HOSTS"] == [HOST]
    assert settings["CSRF_TRUSTED_ORIGINS"] == [f"https://{HOST}"]


def test_the_one_inline_script_carries_the_nonce_of_the_policy(as_user, head_a):
    response = as_user("head_a").get("/")
    policy = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    inline = [
        tag for tag in re.findall(r"<script[^>]*>", response.content.decode()) if "src=" not in tag
    ]
    assert inline == [f'<script nonce="{nonce}">']
