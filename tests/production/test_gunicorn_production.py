"""The production layout really starts and serves every role: static files collected with
``DJANGO_ENV=production`` (WhiteNoise's compressed manifest, as the Dockerfile does), gunicorn on
the test database behind a TLS-ending proxy, each role signs in, every main page it may see
answers 200 and every stylesheet, script and module it loads is served. Private pages carry
``Cache-Control: no-store``; static files stay cacheable."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml
from django.urls import reverse

from kernel.jobs import job_create
from schools.jobs import GIAS_IMPORT
from tests.categorisation.factories import build_categorised
from tests.conftest import PASSWORD
from tests.production.server import (
    BASE_DIR,
    Browser,
    asset_references,
    collect_static,
    page_assets,
    production_env,
    start_gunicorn,
)
from tests.workers import _database_url

pytestmark = pytest.mark.production

UPLOAD = b"URN,EstablishmentName\n100001,Ashdown Primary School\n"


@pytest.fixture(autouse=True)
def fast_passwords():
    """Real password hashes: gunicorn's process checks them with the default hashers."""


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("staticfiles")
    collect_static(root)
    return root


@pytest.fixture(scope="module")
def gunicorn(django_db_setup, static_root, tmp_path_factory):
    """gunicorn serving the production settings against pytest-django's test database."""
    folder = tmp_path_factory.mktemp("gunicorn")
    server = start_gunicorn(
        database_url=_database_url(),
        static_root=static_root,
        media_root=folder / "media",
        log=folder / "gunicorn.log",
    )
    yield server
    server.stop()


def main_pages(world, categorised, job) -> list[tuple[str, str, object]]:
    """(address, permission needed, the permission's object) for each main page of the app."""
    agreed = categorised.agreed
    result = agreed.results.get(school=world.school_a)
    return [
        ("/", "", None),
        (reverse("schools:list"), "schools.view_register", None),
        (
            reverse("schools:detail", args=[world.school_a.urn]),
            "schools.view_school",
            world.school_a,
        ),
        (reverse("schools:export"), "schools.export_register", None),
        (reverse("clusters:structure"), "clusters.view_structure", None),
        (reverse("clusters:upload"), "clusters.change_structure", None),
        (reverse("schools:import"), "schools.import_register", None),
        (reverse("schools:import-job", args=[job.pk]), "schools.import_register", None),
        (reverse("partnership:people"), "partnership.manage_people", None),
        (reverse("board:audit"), "board.view_audit", None),
        (reverse("categorisation:summary"), "categorisation.view_categories", None),
        (reverse("categorisation:runs"), "categorisation.view_categories", None),
        (reverse("categorisation:run", args=[agreed.pk]), "categorisation.view_categories", None),
        (
            reverse("categorisation:result", args=[agreed.pk, result.pk]),
            "categorisation.view_categories",
            None,
        ),
        (reverse("categorisation:rules"), "categorisation.view_rules", None),
        (
            reverse("categorisation:rule-set", args=[categorised.rule_set.pk]),
            "categorisation.view_rules",
            None,
        ),
        (reverse("categorisation:data"), "categorisation.import_data", None),
        (reverse("api-docs"), "schools.view_register", None),
        ("/api/schools/", "schools.view_register", None),
        # Sections that open on the person's own part (an alliance chair's dashboard and fund,
        # a provider's engagements) answer with a redirect, followed as a browser would.
        (reverse("board:dashboard"), "board.view_dashboard", None),
        (reverse("brokerage:home"), "brokerage.view_support", None),
        (reverse("funding:home"), "funding.view_nav", None),
        (reverse("clusters:peer-cycle-list"), "clusters.view_peer_cycles", None),
        (reverse("board:meeting-list"), "board.view_meetings", None),
    ]


class Visit:
    """Fetches pages and, once each, every asset they load; records what went wrong."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self.fetched: set[str] = set()
        self.problems: list[str] = []

    def page(self, url: str) -> list[str]:
        response = self.browser.get(url)
        for _ in range(3):
            location = response.headers.get("Location", "")
            if response.status not in (301, 302, 303) or not location.startswith("/"):
                break
            url, response = location, self.browser.get(location)
        if response.status != 200:
            self.problems.append(f"{url} answered {response.status}")
            return []
        if "no-store" not in response.headers.get("Cache-Control", ""):
            self.problems.append(f"{url} may be cached: {response.headers.get('Cache-Control')}")
        if "text/html" not in response.headers.get("Content-Type", ""):
            return []
        assets, navigation = page_assets(response.text)
        if not any(a.endswith(".css") for a in assets):
            self.problems.append(f"{url} loads no stylesheet")
        for asset in assets:
            self.asset(asset, page=url)
        return navigation

    def asset(self, url: str, *, page: str) -> None:
        if url in self.fetched:
            return
        self.fetched.add(url)
        response = self.browser.get(url)
        if response.status != 200 or not response.body:
            self.problems.append(f"{url} (loaded by {page}) answered {response.status}")
            return
        if "no-store" in response.headers.get("Cache-Control", ""):
            self.problems.append(f"{url} is a static file marked no-store")
        for reference in asset_references(url, response.text):
            self.asset(reference, page=url)


# How many of main_pages each role may see (the README's permission table).
PAGES_SEEN = {
    "officer": 24,
    "board_chair": 18,
    "board_member": 18,
    "alliance_chair": 16,
    "cluster_lead": 10,
    "head_a": 10,
    "provider": 9,
}


@pytest.mark.parametrize("role,seen", PAGES_SEEN.items())
def test_each_role_signs_in_and_every_page_it_may_see_loads_with_its_assets(
    gunicorn, transactional_db, request, world, officer, settings, role, seen
):
    settings.MEDIA_ROOT = gunicorn.media_root
    categorised = build_categorised(world, officer)
    job = job_create(kind=GIAS_IMPORT, created_by=officer, data=UPLOAD, filename="a.csv")
    user = request.getfixturevalue(role)
    pages = [
        url
        for url, perm, obj in main_pages(world, categorised, job)
        if not perm or user.has_perm(perm, obj)
    ]
    assert len(pages) == seen

    browser = Browser(gunicorn)
    signed_in = browser.sign_in(user.email, PASSWORD)
    assert signed_in.status == 302, f"sign-in answered {signed_in.status}:\n{gunicorn.output()}"
    assert signed_in.headers["Location"] == "/"
    visit = Visit(browser)
    navigation = visit.page("/")
    for url in pages[1:]:
        visit.page(url)

    assert not visit.problems, "\n".join(visit.problems) + "\n" + gunicorn.output()
    assert set(navigation) - {"/"} <= set(pages), "a navigation item is missing from this test"
    assert any(url.endswith(".css") for url in visit.fetched)
    assert any(url.endswith((".js", ".mjs")) for url in visit.fetched)


def test_officer_pages_include_the_chart_and_uploaded_file_through_the_download_view(
    gunicorn, transactional_db, world, officer, settings
):
    settings.MEDIA_ROOT = gunicorn.media_root
    build_categorised(world, officer)
    job = job_create(kind=GIAS_IMPORT, created_by=officer, data=UPLOAD, filename="a.csv")
    browser = Browser(gunicorn)
    assert browser.sign_in(officer.email, PASSWORD).status == 302

    summary = browser.get(reverse("categorisation:summary"))
    scripts, _ = page_assets(summary.text)
    chart = [url for url in scripts if "chart.umd.min" in url]
    assert chart and browser.get(chart[0]).status == 200, scripts

    download = browser.get(reverse("job-file", args=[job.pk]))
    assert download.status == 200 and download.body == UPLOAD
    assert download.headers["Content-Disposition"] == 'attachment; filename="a.csv"'
    assert "no-store" in download.headers["Cache-Control"]
    assert browser.get(f"/media/{job.file.name}").status == 404
    assert Browser(gunicorn).get(reverse("job-file", args=[job.pk])).status == 302


def test_plain_http_is_redirected_to_https_and_static_files_are_long_cached(gunicorn, db):
    browser = Browser(gunicorn)
    plain = browser.request("GET", "/accounts/login/", headers={"X-Forwarded-Proto": "http"})
    assert plain.status == 301
    assert plain.headers["Location"].startswith("https://")

    sign_in = browser.get("/accounts/login/")
    assert sign_in.status == 200 and "Sign in" in sign_in.text
    assert "max-age=31536000" in sign_in.headers["Strict-Transport-Security"]
    stylesheet = next(url for url in page_assets(sign_in.text)[0] if url.endswith(".css"))
    css = browser.get(stylesheet)
    assert css.status == 200
    assert "immutable" in css.headers["Cache-Control"], css.headers["Cache-Control"]


def test_the_compose_files_web_health_check_passes_against_the_production_server(gunicorn, db):
    compose = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
    kind, python, flag, code = compose["services"]["web"]["healthcheck"]["test"]
    assert (kind, python, flag) == ("CMD", "python", "-c")
    assert "127.0.0.1:8000" in code
    check = subprocess.run(
        [sys.executable, "-c", code.replace("127.0.0.1:8000", f"127.0.0.1:{gunicorn.port}")],
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert check.returncode == 0, check.stderr[-2000:]
