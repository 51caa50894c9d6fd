"""The runs list (and starting a run), a run's page with its results table, and one result's
page with its explanation."""

import re

import pytest
from django.utils import timezone

from categorisation.jobs import CATEGORISATION_RUN
from categorisation.measures import measures_ensure
from categorisation.models import (
    DataRelease,
    Measure,
    MeasureValue,
    NationalValue,
    Result,
    RuleSet,
    RuleSetStatus,
    Run,
)
from clusters.models import ClusterMembership
from kernel.jobs import job_create
from kernel.models import Job
from schools.models import School
from tests.categorisation.factories import (
    DEFINITION,
    RunFactory,
    build_categorised,
    run_with_results,
)
from tests.factories import SchoolFactory

RUNS = "/categorisation/runs/"
# Runs pages are for those who see categories (officers, the board, alliance chairs).
RUNS_STATUS = {
    "officer": 200,
    "board_chair": 200,
    "board_member": 200,
    "alliance_chair": 200,
    "cluster_lead": 403,
    "head_a": 403,
    "head_b": 403,
    "provider": 403,
    "no_role": 403,
}


@pytest.fixture
def categorised(world, officer):
    return build_categorised(world, officer)


def _rows(content: str, table_id: str) -> list[str]:
    table = content.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', table, re.S)[1:]


def _result_url(run: Run, school) -> str:
    return f"/categorisation/runs/{run.pk}/results/{run.results.get(school=school).pk}/"


@pytest.mark.parametrize("persona,status", RUNS_STATUS.items())
def test_runs_pages_are_for_officers_the_board_and_alliance_chairs(
    as_user, categorised, world, persona, status
):
    run = categorised.agreed
    client = as_user(persona)
    assert client.get(RUNS).status_code == status
    assert client.get(f"{RUNS}{run.pk}/").status_code == status
    # A headteacher may not open even their own school's result through the runs pages.
    assert client.get(_result_url(run, world.school_a)).status_code == status


@pytest.mark.parametrize(
    "path", [RUNS, "/categorisation/runs/1/", "/categorisation/runs/1/results/1/"]
)
def test_anonymous_visitor_is_sent_to_sign_in(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_runs_list_shows_each_run_with_its_rule_set_state_and_counts(as_user, categorised):
    content = as_user("officer").get(RUNS).content.decode()
    rows = _rows(content, "runs")
    assert len(rows) == 3
    newest = rows[0]
    assert f"Run {categorised.pending.pk}" in newest
    assert "Partnership rules, version 1" in newest
    assert "Started by a test" in newest
    assert "Succeeded" in newest and "Agreed" not in newest
    assert re.findall(r'numeric">(\d+)</td>', newest) == ["4", "4"]
    assert "Agreed" in rows[1]
    assert re.findall(r'numeric">(\d+)</td>', rows[1]) == ["4", "0"]


def test_alliance_chair_sees_counts_of_their_alliance_schools_only(as_user, categorised):
    content = as_user("alliance_chair").get(RUNS).content.decode()
    assert re.findall(r'numeric">(\d+)</td>', _rows(content, "runs")[0]) == ["2", "2"]
    assert "Start a categorisation run" not in content


def test_officer_starts_an_official_run_with_the_adopted_rules(
    as_user, categorised, django_capture_on_commit_callbacks
):
    measures_ensure()  # the rules name measures of the catalogue
    content = as_user("officer").get(RUNS).content.decode()
    assert "Start a categorisation run" in content
    assert "Partnership rules (version 1, adopted)" in content
    with django_capture_on_commit_callbacks() as callbacks:
        response = as_user("officer").post(RUNS)
    run = Run.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == f"{RUNS}{run.pk}/"
    assert (run.purpose, run.rule_set, run.state) == ("official", categorised.rule_set, "queued")
    assert run.created_by.email == "officer@example.org"
    assert run.job.kind == CATEGORISATION_RUN
    assert len(callbacks) == 1  # the task is enqueued once the run is committed


def test_starting_a_run_needs_an_adopted_rule_set(as_user, world):
    RuleSet.objects.create(name="Draft", version=3, definition=DEFINITION)
    assert "No rule set is adopted" in as_user("officer").get(RUNS).content.decode()
    response = as_user("officer").post(RUNS, follow=True)
    assert "Adopt a rule set before starting a categorisation run" in response.content.decode()
    assert not Run.objects.exists()


@pytest.mark.parametrize("persona", ["board_chair", "board_member", "alliance_chair"])
def test_only_officers_start_a_run(as_user, categorised, persona):
    assert "Start a categorisation run" not in as_user(persona).get(RUNS).content.decode()
    assert as_user(persona).post(RUNS).status_code == 403
    assert Run.objects.count() == 3


def test_a_queued_run_shows_its_progress_and_refreshes_itself(as_user, categorised, officer):
    job = job_create(kind=CATEGORISATION_RUN, created_by=officer)
    Job.objects.filter(pk=job.pk).update(progress=40, stage="Categorising 2,000 schools")
    run = RunFactory(
        rule_set=categorised.rule_set, state=Run.State.RUNNING, job=job, finished_at=None
    )
    content = as_user("board_member").get(f"{RUNS}{run.pk}/").content.decode()
    assert '<meta http-equiv="refresh" content="3">' in content
    assert "Categorising 2,000 schools" in content
    assert 'value="40"' in content
    assert "js/job-progress.mjs" in content
    fragment = as_user("board_member").get(f"{RUNS}{run.pk}/?partial=1").content.decode()
    assert fragment.lstrip().startswith('<div id="job-status"')
    assert 'data-finished="false"' in fragment


def test_a_failed_run_says_so_and_that_nothing_changed(as_user, categorised):
    run = RunFactory(
        rule_set=categorised.rule_set, state=Run.State.FAILED, error="The run stopped (KeyError)"
    )
    content = as_user("officer").get(f"{RUNS}{run.pk}/").content.decode()
    assert "The categorisation run failed" in content
    assert "The run stopped (KeyError)" in content
    assert 'http-equiv="refresh"' not in content


def test_run_page_lists_results_with_their_columns(as_user, categorised, world):
    Result.objects.filter(run=categorised.pending, school=world.school_b).update(revised_data=True)
    content = as_user("officer").get(f"{RUNS}{categorised.pending.pk}/").content.decode()
    rows = _rows(content, "results")
    assert [re.search(r">([^<]+)</a>", row).group(1) for row in rows] == [
        "Abbotts Ann Primary School",
        "Ashdown Primary School",
        "Bramley Infant School",
        "Zeals Junior School",
    ]
    bramley = rows[2]
    for text in [
        "South Alliance",
        "LA maintained",
        "Primary",
        "4: Intensive support",
        "High",
        "12.00",
        "Inadequate at the latest graded inspection",
        "Not moderated",
        "Revised data",
    ]:
        assert text in bramley, text
    assert "Revised data" not in rows[0]
    assert "4 schools: 4 not moderated, 0 confirmed, 0 changed at moderation" in content


@pytest.mark.parametrize(
    "query,schools",
    [
        ("category=2", ["Abbotts Ann Primary School", "Zeals Junior School"]),
        ("alliance={south}", ["Bramley Infant School"]),
        ("moderation=overridden", ["Ashdown Primary School"]),
        ("category=2&alliance={north}", ["Abbotts Ann Primary School"]),
        ("category=nonsense", None),
    ],
)
def test_run_results_filter_by_category_alliance_and_moderation(
    as_user, categorised, world, officer, query, schools
):
    Result.objects.filter(run=categorised.pending, school=world.school_a).update(
        moderation="overridden", category="3", support_band="low", override_reason="Context"
    )
    query = query.format(south=world.alliance_b.pk, north=world.alliance_a.pk)
    content = as_user("officer").get(f"{RUNS}{categorised.pending.pk}/?{query}").content.decode()
    names = [re.search(r">([^<]+)</a>", row).group(1) for row in _rows(content, "results")]
    # A value not on offer is ignored rather than an error: the whole run is listed.
    assert names == (schools if schools is not None else sorted(names))
    assert len(names) == (len(schools) if schools is not None else 4)


def test_alliance_chair_sees_only_their_alliance_schools_in_a_run(as_user, categorised, world):
    content = as_user("alliance_chair").get(f"{RUNS}{categorised.pending.pk}/").content.decode()
    names = [re.search(r">([^<]+)</a>", row).group(1) for row in _rows(content, "results")]
    assert names == ["Abbotts Ann Primary School", "Ashdown Primary School"]
    assert "Bramley" not in content
    assert "Confirm all" not in content and "Record the board" not in content
    response = as_user("alliance_chair").get(_result_url(categorised.pending, world.school_b))
    assert response.status_code == 404


def test_run_page_runs_a_fixed_number_of_queries_and_pages_the_results(
    as_user, categorised, world, django_assert_max_num_queries
):
    client = as_user("officer")
    counts = []
    for total, first_urn in ((20, 600000), (300, 700000)):
        schools = School.objects.bulk_create(
            SchoolFactory.build(urn=first_urn + i, name=f"School {first_urn + i}")
            for i in range(total)
        )
        ClusterMembership.objects.bulk_create(
            ClusterMembership(school=school, cluster=world.cluster_a1) for school in schools
        )
        run = run_with_results(dict.fromkeys(schools, "2"), rule_set=categorised.rule_set)
        with django_assert_max_num_queries(14) as captured:
            response = client.get(f"{RUNS}{run.pk}/?page=2")
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
    assert len(_rows(response.content.decode(), "results")) == 50
    assert "Showing 51 to 100 of 300" in response.content.decode()


def test_result_page_shows_the_full_explanation(as_user, categorised, world):
    content = (
        as_user("board_member")
        .get(_result_url(categorised.agreed, world.school_a))
        .content.decode()
    )
    assert '<h1 class="govuk-heading-l">Ashdown Primary School</h1>' in content
    assert "3: Focused support, medium support band" in content
    explanation = content.split("Why the school is in this category", 1)[1]
    for text in [
        "KS2 reading, writing and maths at the expected standard",
        "KS2_PTRWM_EXP, 2022-2023",
        "48",
        "England: 60",
        "Compared number: -12",
        "10 points or more below England",
        "Latest graded inspection",
        "Requires improvement",
        "No trigger fired.",
    ]:
        assert text in explanation, text


def test_result_page_says_why_a_value_is_missing_and_which_trigger_fired(
    as_user, categorised, world
):
    content = (
        as_user("officer").get(_result_url(categorised.previous, world.school_a)).content.decode()
    )
    assert "Missing: Not judged" in content
    content = (
        as_user("officer").get(_result_url(categorised.agreed, world.school_b)).content.decode()
    )
    assert "Inadequate at the latest graded inspection: at least 4: Intensive support" in content


def test_moderation_form_is_shown_only_while_the_run_can_be_moderated(as_user, categorised, world):
    agreed = as_user("officer").get(_result_url(categorised.agreed, world.school_a))
    assert "Confirm the computed category" not in agreed.content.decode()
    assert "Confirmed" in agreed.content.decode()
    what_if = run_with_results(
        {world.school_a: "2"}, rule_set=categorised.rule_set, purpose=Run.Purpose.WHAT_IF
    )
    page = as_user("officer").get(_result_url(what_if, world.school_a)).content.decode()
    assert "Confirm the computed category" not in page
    assert "what-if (draft rules)" in page


def test_agreement_time_is_shown_on_an_agreed_run(as_user, categorised):
    Run.objects.filter(pk=categorised.agreed.pk).update(agreement_note="Minute 5")
    content = as_user("alliance_chair").get(f"{RUNS}{categorised.agreed.pk}/").content.decode()
    agreed_on = timezone.localtime(categorised.agreed.agreed_at).strftime("%-d %B %Y")
    assert agreed_on in content and "Minute 5" in content
    assert RuleSetStatus.ADOPTED.label.lower() in content


def _load_some_data(world) -> None:
    """KS2 results against England for schools A, A2 and B, and an Inadequate grade for B."""
    measures = {m.code: m for m in Measure.objects.all()}
    release = DataRelease.objects.create(source="ks2", academic_year="2022-2023", checksum="x")
    NationalValue.objects.create(
        measure=measures["KS2_PTRWM_EXP"], academic_year="2022-2023", release=release, value=60
    )
    rows = [
        (world.school_a, "KS2_PTRWM_EXP", 45.0),
        (world.school_a2, "KS2_PTRWM_EXP", 70.0),
        (world.school_b, "KS2_PTRWM_EXP", 58.0),
        (world.school_b, "OFSTED_OE", 4.0),
    ] + [(s, "KS2_TELIG", 30.0) for s in (world.school_a, world.school_a2, world.school_b)]
    MeasureValue.objects.bulk_create(
        MeasureValue(
            school=school,
            measure=measures[code],
            academic_year="2022-2023",
            release=release,
            value=value,
        )
        for school, code, value in rows
    )


def test_a_run_started_from_the_page_runs_and_its_results_can_be_moderated_and_agreed(
    as_user, world, officer, django_capture_on_commit_callbacks
):
    """End to end with the real engine (Celery runs eagerly in the tests)."""
    measures_ensure()
    _load_some_data(world)
    RuleSet.objects.create(
        name="Rules", version=1, status=RuleSetStatus.ADOPTED, definition=DEFINITION
    )
    with django_capture_on_commit_callbacks(execute=True):
        as_user("officer").post(RUNS)
    run = Run.objects.get()
    assert run.state == Run.State.SUCCEEDED, run.error
    content = as_user("officer").get(f"{RUNS}{run.pk}/").content.decode()
    assert "4 schools: 4 not moderated" in content
    as_user("officer").post(f"{RUNS}{run.pk}/", {"confirm_pending": ""})
    as_user("board_chair").post(f"{RUNS}{run.pk}/agree/", {"note": "Minute 2"})
    run.refresh_from_db()
    assert run.is_agreed
    section = (
        as_user("head_b")
        .get("/schools/100003/")
        .content.decode()
        .split('id="categorisation"', 1)[1]
    )
    assert "4: Intensive support" in section
    assert "Inadequate at the latest graded inspection: at least 4: Intensive support" in section
    assert "England: 60" in section
