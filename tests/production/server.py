"""The production layout in a test: static files collected as the Dockerfile collects them, and
gunicorn serving ``config.wsgi`` with ``DJANGO_ENV=production`` on a free loopback port, against
pytest-django's test database. A small HTTP client talks to it as a browser behind a TLS-ending
reverse proxy would (``Host``, ``X-Forwarded-Proto: https``), keeping its own cookies: the
session and CSRF cookies are ``Secure``, which a standard cookie jar would not send over http.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
HOST = "partnership.example.org"
START_TIMEOUT = 30


def production_env(**extra: str) -> dict[str, str]:
    """The environment docker-compose.yml gives the app (``.env`` values made up)."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
        "CELERY_BROKER_URL": "",
        "CONN_MAX_AGE": "0",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def collect_static(static_root: Path) -> None:
    """``manage.py collectstatic`` as the Dockerfile runs it; fails the test with its output."""
    built = ("build/app.css", "build/chart.umd.min.js", "govuk/govuk-frontend.min.js")
    missing = [path for path in built if not (BASE_DIR / "static" / path).exists()]
    if missing:
        pytest.fail(f"static/{missing[0]} is missing: run `make assets` (scripts/build_assets.sh)")
    done = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=BASE_DIR,
        env=production_env(STATIC_ROOT=str(static_root)),
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0:
        pytest.fail(f"collectstatic failed in production mode:\n{done.stderr[-3000:]}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Gunicorn:
    process: subprocess.Popen
    port: int
    log: Path
    media_root: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-5000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start_gunicorn(*, database_url: str, static_root: Path, media_root: Path, log: Path):
    """gunicorn as the compose file's ``web`` service runs it, bound to 127.0.0.1 only."""
    port = free_port()
    env = production_env(
        DATABASE_URL=database_url, STATIC_ROOT=str(static_root), MEDIA_ROOT=str(media_root)
    )
    command = [sys.executable, "-m", "gunicorn", "config.wsgi:application"]
    command += ["--config", "config/gunicorn.py"]  # preloaded and warmed, as in production
    command += ["--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2"]
    command += ["--timeout", "60", "--access-logfile", "-"]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=out, stderr=out)
    server = Gunicorn(process=process, port=port, log=log, media_root=media_root)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited early:\n{server.output()}")
        try:
            Browser(server).get("/healthz")
            return server
        except OSError:
            time.sleep(0.2)
    server.stop()
    pytest.fail(f"gunicorn did not answer:\n{server.output()}")


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


@dataclass
class Browser:
    """Requests to the server as they arrive from the proxy, with the browser's cookies."""

    server: Gunicorn
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, body: str = "", headers=None) -> Response:
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=60)
        sent = {"Host": HOST, "X-Forwarded-Proto": "https", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            connection.request(method, path, body=body or None, headers=sent)
            reply = connection.getresponse()
            response = Response(reply.status, reply.headers, reply.read())
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def sign_in(self, email: str, password: str) -> Response:
        page = self.get("/accounts/login/")
        assert page.status == 200, page.status
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        form = {"username": email, "password": password, "csrfmiddlewaretoken": token}
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"https://{HOST}",
            "Referer": f"https://{HOST}/accounts/login/",
        }
        return self.request("POST", "/accounts/login/", urlencode(form), headers)


class _Assets(HTMLParser):
    """Stylesheets, icons and scripts a page asks the browser to load."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.navigation: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        attrs = dict(attrs)
        if tag == "link" and attrs.get("href"):
            self.urls.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])
        elif tag == "a" and "govuk-service-navigation__link" in (attrs.get("class") or ""):
            self.navigation.append(attrs["href"])


def page_assets(html: str) -> tuple[list[str], list[str]]:
    """The page's ``<link href>`` and ``<script src>`` addresses, and its navigation links."""
    parser = _Assets()
    parser.feed(html)
    return parser.urls, parser.navigation


IMPORT = re.compile(r"""(?:\bimport\b[^"';]*?\bfrom\s*|\bimport\s*\(?\s*)["']([^"']+)["']""")
CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)""")


def asset_references(url: str, body: str) -> list[str]:
    """What a fetched asset loads in turn: a module's relative imports, a stylesheet's url()s,
    resolved against the asset's own address."""
    if url.endswith((".mjs", ".js")):
        found = [m for m in IMPORT.findall(body) if m.startswith((".", "/"))]
    elif url.endswith(".css"):
        found = [m for m in CSS_URL.findall(body) if not m.startswith(("data:", "#"))]
    else:
        return []
    return [urlsplit(urljoin(url, ref)).path for ref in found]
