"""Every categorisation page, read or written, from both sides: those without a categorisation
role (the headteachers, even for their own school; a cluster lead; a provider; a user with no
role) get the 403 page and change nothing, while officers open every page. A headteacher sees
their own school's agreed category only on the school's page (tests/categorisation/
test_confidentiality.py) and in the API (test_categorisation_api.py)."""

from __future__ import annotations

import re

import pytest

from categorisation.jobs import PERFORMANCE_IMPORT
from categorisation.models import Result, RuleSet, RuleSetStatus, Run
from kernel.jobs import job_create
from kernel.models import Job
from tests.categorisation.factories import DEFINITION, RuleSetFactory, build_categorised

OUTSIDERS = ["head_a", "head_b", "cluster_lead", "provider", "no_role"]
CATEGORY_WORDS = ["Universal support", "Monitor", "Focused support", "Intensive support"]


@pytest.fixture
def place(world, officer):
    """A categorised partnership, a draft rule set and a performance data upload: something
    behind every categorisation address."""
    categorised = build_categorised(world, officer)
    draft = RuleSetFactory(status=RuleSetStatus.DRAFT, definition={**DEFINITION})
    job = job_create(
        kind=PERFORMANCE_IMPORT, created_by=officer, data=b"URN\n1\n", filename="a.csv"
    )
    own = categorised.agreed.results.get(school=world.school_a)
    return {
        "agreed": categorised.agreed.pk,
        "pending": categorised.pending.pk,
        "own_result": own.pk,
        "adopted": categorised.rule_set.pk,
        "draft": draft.pk,
        "job": job.pk,
    }


def _reads(p: dict) -> list[str]:
    rules = f"/categorisation/rules/{p['draft']}"
    return [
        "/categorisation/",
        "/categorisation/runs/",
        f"/categorisation/runs/{p['pending']}/",
        f"/categorisation/runs/{p['pending']}/?partial=1",
        f"/categorisation/runs/{p['agreed']}/results/{p['own_result']}/",
        f"/categorisation/runs/{p['pending']}/agree/",
        f"/categorisation/runs/{p['pending']}/compare/",
        "/categorisation/data/",
        f"/categorisation/data/{p['job']}/",
        "/categorisation/rules/",
        f"/categorisation/rules/{p['adopted']}/",
        f"{rules}/",
        f"{rules}/adopt/",
        f"{rules}/settings/",
        f"{rules}/indicators/add/",
        f"{rules}/indicators/1/",
        f"{rules}/indicators/1/remove/",
        f"{rules}/triggers/add/",
        f"{rules}/triggers/1/",
        f"{rules}/triggers/1/remove/",
    ]


def _writes(p: dict) -> list[tuple[str, dict]]:
    rules = f"/categorisation/rules/{p['draft']}"
    return [
        ("/categorisation/runs/", {}),
        (f"/categorisation/runs/{p['pending']}/", {"confirm_pending": ""}),
        (f"/categorisation/runs/{p['agreed']}/results/{p['own_result']}/", {"confirm": ""}),
        (f"/categorisation/runs/{p['pending']}/agree/", {"note": "Agreed"}),
        ("/categorisation/rules/new/", {}),
        (f"/categorisation/rules/{p['adopted']}/copy/", {}),
        (f"{rules}/adopt/", {}),
        (f"{rules}/what-if/", {}),
        (f"{rules}/indicators/1/remove/", {}),
        (f"{rules}/triggers/1/remove/", {}),
    ]


def _state() -> tuple:
    """Everything a write through these pages could change."""
    return (
        sorted(Run.objects.values_list("pk", "agreed_at")),
        sorted(RuleSet.objects.values_list("pk", "status", "definition")),
        sorted(Result.objects.values_list("pk", "moderation", "category")),
        Job.objects.count(),
    )


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_people_without_a_categorisation_role_get_403_on_every_categorisation_page(
    as_user, place, persona
):
    client = as_user(persona)
    for url in _reads(place):
        response = client.get(url)
        assert response.status_code == 403, url
        content = response.content.decode()
        assert "You cannot see this page" in content, url
        assert not any(word in content for word in CATEGORY_WORDS), url


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_people_without_a_categorisation_role_change_nothing_by_posting(as_user, place, persona):
    client = as_user(persona)
    before = _state()
    for url, data in _writes(place):
        assert client.post(url, data).status_code == 403, url
    assert _state() == before


def test_an_officer_opens_every_categorisation_page(as_user, place):
    client = as_user("officer")
    for url in _reads(place):
        response = client.get(url)
        assert response.status_code == 200, url
        if "partial" in url:  # the progress fragment the run page swaps in
            continue
        content = response.content.decode()
        assert '<nav class="govuk-breadcrumbs" aria-label="Breadcrumb">' in content, url
        assert '<h1 class="govuk-heading-l">' in content, url
        title = content.split("<title>", 1)[1].split("</title>", 1)[0]
        page_title, service = title.split(" – ", 1)
        assert page_title.strip() and page_title.strip() != service.strip(), url


@pytest.mark.parametrize(
    "url",
    [
        "/categorisation/runs/999999/",
        "/categorisation/runs/999999/compare/",
        "/categorisation/rules/999999/",
        "/categorisation/data/999999/",
    ],
)
def test_an_address_that_names_nothing_gives_the_page_not_found(as_user, place, url):
    response = as_user("officer").get(url)
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_result_is_found_only_under_its_own_run(as_user, place):
    url = f"/categorisation/runs/{place['pending']}/results/{place['own_result']}/"
    assert as_user("officer").get(url).status_code == 404


def test_a_headteacher_sees_their_own_school_categorisation_only_on_its_page(as_user, place):
    content = as_user("head_a").get("/schools/100001/").content.decode()
    assert 'id="categorisation"' in content and "Focused support" in content
    # ...and the school page does not link them into the confidential pages (only, while a run
    # is moderated, to their own school's proposed category: categorisation.head_responses).
    links = re.findall(r'href="(/categorisation/[^"]*)"', content)
    assert all(link == "/categorisation/schools/100001/proposed/" for link in links)
