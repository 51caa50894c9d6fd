"""Where the four parts of categorisation meet: an adoption or an upload starts a run that the
runs pages show; a run's notes; revised data on the run, result and school pages; overrides in a
school's history; the summary's links; the comparison's baseline; ``categorise --json`` when the
run fails."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from categorisation import runs as runs_module
from categorisation.counts import run_counts_store
from categorisation.default_rules import default_rules_load
from categorisation.measures import measures_ensure
from categorisation.models import Result, RuleSetStatus, Run
from categorisation.runs import rule_set_create_draft, run_current_agreed
from categorisation.selectors import run_agreed_list
from tests.categorisation.factories import RuleSetFactory, build_categorised, run_with_results
from tests.categorisation.test_data_page import KS2_850, post_and_run, upload
from tests.categorisation.test_import_ks2 import ks2_file

RUNS = "/categorisation/runs/"
# The keys issue 4 names for ``import_performance --json`` (the command adds stage, dry_run and
# message).
ISSUE_IMPORT_KEYS = {
    "kind",
    "year",
    "rows",
    "schools_matched",
    "unknown_urns",
    "values_written",
    "missing_by_reason",
    "errors",
}


@pytest.fixture
def categorised(world, officer):
    return build_categorised(world, officer)


# Runs that start by themselves --------------------------------------------------------------


def test_adopting_rules_on_the_page_starts_a_run_that_the_runs_pages_show(
    as_user, world, board_chair, django_capture_on_commit_callbacks
):
    default_rules_load(by=None)
    draft = rule_set_create_draft(based_on=None, by=board_chair)
    client = as_user("board_chair")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/categorisation/rules/{draft.pk}/adopt/")

    run = Run.objects.get(rule_set=draft)
    assert response["Location"] == f"{RUNS}{run.pk}/"
    assert (run.purpose, run.state, run.created_by) == ("official", "succeeded", board_chair)
    page = client.get(response["Location"]).content.decode()
    assert f"Rules version {draft.version} adopted" in page
    assert "4 schools: 4 not moderated" in page
    listed = client.get(RUNS).content.decode()
    assert f'href="{RUNS}{run.pk}/"' in listed
    assert f"Rules version {draft.version} adopted" in listed


def test_an_upload_starts_a_run_that_the_runs_pages_show(
    as_user, officer, register, shared_data, django_capture_on_commit_callbacks
):
    default_rules_load(by=officer)
    client = as_user("officer")

    post_and_run(client, django_capture_on_commit_callbacks, upload(ks2_file(shared_data, KS2_850)))

    run = Run.objects.get()
    assert run.state == Run.State.SUCCEEDED, run.error
    listed = client.get(RUNS).content.decode()
    assert f'href="{RUNS}{run.pk}/"' in listed and f"Data upload: {KS2_850}" in listed
    page = client.get(f"{RUNS}{run.pk}/").content.decode()
    assert f"Data upload: {KS2_850}" in page
    schools = run.results.count()
    assert schools > 300
    assert f"{schools:,} schools: {schools:,} not moderated" in page


def test_import_performance_json_is_still_one_object_when_the_import_starts_a_run(
    register, shared_data, django_capture_on_commit_callbacks
):
    default_rules_load(by=None)
    out = StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_performance", str(shared_data / "ks2" / KS2_850), "--json", stdout=out)

    printed = json.loads(out.getvalue())
    assert set(printed) >= ISSUE_IMPORT_KEYS
    assert printed["values_written"] == 315 * 12
    run = Run.objects.get()
    assert run.trigger == f"Data upload: {KS2_850}" and run.state == Run.State.SUCCEEDED


def test_without_adopted_rules_an_upload_starts_no_run(
    as_user, officer, register, shared_data, django_capture_on_commit_callbacks
):
    client = as_user("officer")
    post_and_run(client, django_capture_on_commit_callbacks, upload(ks2_file(shared_data, KS2_850)))
    assert not Run.objects.exists()
    assert "No categorisation has been run yet." in client.get(RUNS).content.decode()


# What a run could not use --------------------------------------------------------------------


def test_run_page_lists_what_the_run_could_not_use(as_user, categorised):
    note = "KS2_READPROG has no data for 2022-2023, so the rules could not use it"
    Run.objects.filter(pk=categorised.pending.pk).update(stats={"notes": [note]})
    content = as_user("alliance_chair").get(f"{RUNS}{categorised.pending.pk}/").content.decode()
    assert "Data the rule set asked for that this run could not use (1)" in content
    assert f"<li>{note}</li>" in content


def test_run_page_says_nothing_of_unused_data_when_the_run_used_it_all(as_user, categorised):
    content = as_user("officer").get(f"{RUNS}{categorised.pending.pk}/").content.decode()
    assert "could not use" not in content


# Revised data --------------------------------------------------------------------------------


def _revise(run: Run, school) -> None:
    Result.objects.filter(run=run, school=school).update(revised_data=True)
    run_counts_store(run=run)  # a run marks revised data before it stores its counts


def test_run_page_counts_and_filters_schools_moved_by_revised_data(as_user, categorised, world):
    _revise(categorised.pending, world.school_b)
    client = as_user("officer")
    url = f"{RUNS}{categorised.pending.pk}/"

    content = client.get(url).content.decode()
    assert "1 school changed category because a later release revised the published data" in (
        content
    )
    filtered = client.get(f"{url}?revised=yes").content.decode()
    results = filtered.split('id="results"', 1)[1]
    assert "Bramley Infant School" in results and "Ashdown Primary School" not in results


def test_alliance_chair_counts_revised_data_only_for_their_alliance(as_user, categorised, world):
    _revise(categorised.pending, world.school_b)  # South Alliance; the chair is North's
    content = as_user("alliance_chair").get(f"{RUNS}{categorised.pending.pk}/").content.decode()
    assert 'id="revised-data"' not in content


def test_run_page_says_nothing_of_revised_data_when_none_moved(as_user, categorised):
    content = as_user("officer").get(f"{RUNS}{categorised.pending.pk}/").content.decode()
    assert 'id="revised-data"' not in content


def test_result_page_says_the_category_changed_because_of_revised_data(as_user, categorised, world):
    _revise(categorised.pending, world.school_b)
    run = categorised.pending
    revised = run.results.get(school=world.school_b).pk
    other = run.results.get(school=world.school_a).pk
    client = as_user("officer")
    sentence = "A later release of the data changed this school's category."
    assert sentence in client.get(f"{RUNS}{run.pk}/results/{revised}/").content.decode()
    assert sentence not in client.get(f"{RUNS}{run.pk}/results/{other}/").content.decode()


@pytest.mark.parametrize("persona", ["officer", "alliance_chair", "head_a"])
def test_school_page_says_when_revised_data_changed_the_agreed_category(
    as_user, categorised, world, persona
):
    _revise(categorised.agreed, world.school_a)
    section = as_user(persona).get("/schools/100001/").content.decode()
    current = section.split(f'id="categorisation-run-{categorised.agreed.pk}"', 1)[1]
    current = current.split('id="categorisation-run-', 1)[0]
    assert "A later release of the published data changed this school's category." in current
    earlier = section.split(f'id="categorisation-run-{categorised.previous.pk}"', 1)[1]
    assert "Revised data" not in earlier


def test_school_page_says_nothing_of_revised_data_for_an_unrevised_school(as_user, categorised):
    section = as_user("head_a").get("/schools/100001/").content.decode()
    assert "Revised data" not in section


# Overrides in the school's history ------------------------------------------------------------


def test_school_history_shows_who_changed_the_category_and_when(
    as_user, categorised, world, officer
):
    when = timezone.make_aware(timezone.datetime(2025, 3, 14, 10, 0))
    Result.objects.filter(run=categorised.agreed, school=world.school_a).update(
        moderation=Result.Moderation.OVERRIDDEN,
        computed_category="2",
        override_reason="New headteacher and a governance review",
        moderated_at=when,
        moderated_by=officer,
    )
    content = as_user("head_a").get("/schools/100001/").content.decode()
    assert "Reason: New headteacher and a governance review" in content
    assert f"Changed 14 March 2025 by {officer}" in content


def test_school_history_does_not_call_a_confirmed_category_changed(as_user, categorised):
    content = as_user("head_a").get("/schools/100001/").content.decode()
    assert "Changed at moderation" not in content and "Changed 1" not in content


# The summary's links and the rules' breadcrumbs --------------------------------------------


@pytest.mark.parametrize(
    "persona,shown,hidden",
    [
        ("officer", ["runs/", "rules/", "data/"], []),
        ("board_member", ["runs/", "rules/"], ["data/"]),
        ("alliance_chair", ["runs/"], ["rules/", "data/"]),
    ],
)
def test_summary_links_to_the_categorisation_pages_each_person_may_open(
    as_user, categorised, persona, shown, hidden
):
    content = as_user(persona).get("/categorisation/").content.decode()
    for path in shown:
        assert f'href="/categorisation/{path}"' in content, path
    for path in hidden:
        assert f'href="/categorisation/{path}"' not in content, path


def test_rules_pages_lead_back_to_the_categorisation_section(as_user, categorised):
    client = as_user("board_member")
    for url in ["/categorisation/rules/", f"/categorisation/rules/{categorised.rule_set.pk}/"]:
        crumbs = client.get(url).content.decode().split('class="govuk-breadcrumbs"', 1)[1]
        crumbs = crumbs.split("</nav>", 1)[0]
        assert 'href="/categorisation/">Categorisation</a>' in crumbs, url


# One definition of the agreed categorisation and the comparison's baseline --------------------


def test_the_current_agreed_run_is_the_first_of_the_agreed_runs(categorised):
    assert run_current_agreed() == run_agreed_list().first() == categorised.agreed


def test_an_older_agreed_run_is_compared_with_the_one_agreed_before_it(
    as_user, categorised, world, officer
):
    oldest = run_with_results(
        {world.school_a: "1"}, rule_set=categorised.rule_set, agreed_days_ago=90, by=officer
    )
    client = as_user("officer")
    previous = client.get(f"{RUNS}{categorised.previous.pk}/compare/").content.decode()
    assert f"Compared with run {oldest.pk}," in previous
    current = client.get(f"{RUNS}{categorised.agreed.pk}/compare/").content.decode()
    assert f"Compared with run {categorised.previous.pk}," in current
    pending = client.get(f"{RUNS}{categorised.pending.pk}/compare/").content.decode()
    assert f"Compared with run {categorised.agreed.pk}," in pending


def test_the_first_agreed_run_has_nothing_to_be_compared_with(as_user, world, officer):
    run = run_with_results({world.school_a: "1"}, rule_set=RuleSetFactory(), agreed_days_ago=3)
    content = as_user("officer").get(f"{RUNS}{run.pk}/compare/").content.decode()
    assert "there is nothing to compare this run with" in content


# categorise --json when the run fails ---------------------------------------------------------


def test_categorise_json_prints_one_object_when_the_run_fails(world, monkeypatch):
    measures_ensure()
    rules = RuleSetFactory(status=RuleSetStatus.ADOPTED)

    def broken(**kwargs):
        raise RuntimeError("the engine broke")

    monkeypatch.setattr(runs_module, "categorise", broken)
    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("categorise", "--json", stdout=out)

    assert raised.value.returncode == 1
    printed = json.loads(out.getvalue())
    run = Run.objects.get(rule_set=rules)
    assert printed["run"] == run.pk and run.state == Run.State.FAILED
    assert (printed["schools"], printed["by_category"], printed["insufficient_data"]) == (0, {}, 0)
    assert "RuntimeError: the engine broke" in printed["error"]
    assert not Result.objects.filter(run=run).exists()


# The API carries an override's reason, who and when, as the school page does ---------------


def test_api_history_gives_an_override_with_its_reason_who_and_when(
    categorised, world, officer, head_a
):
    Result.objects.filter(run=categorised.agreed, school=world.school_a).update(
        moderation=Result.Moderation.OVERRIDDEN,
        computed_category="2",
        override_reason="New headteacher and a governance review",
        moderated_by=officer,
    )
    client = APIClient()
    client.force_login(head_a)
    current, previous = client.get("/api/schools/100001/categorisations/").json()["results"]
    assert current["moderation"] == "overridden"
    assert current["override_reason"] == "New headteacher and a governance review"
    assert current["moderated_by"] == str(officer) and current["moderated_at"]
    # The earlier run was confirmed (by the officer) and is not an override.
    assert previous["moderation"] == "confirmed" and previous["override_reason"] == ""


# A what-if run says what it is ----------------------------------------------------------------


def test_a_what_if_run_says_it_changes_no_category_and_an_official_one_does_not(
    as_user, categorised, world
):
    what_if = run_with_results(
        {world.school_a: "2"}, rule_set=RuleSetFactory(), purpose=Run.Purpose.WHAT_IF
    )
    client = as_user("officer")
    assert 'id="what-if-note"' in client.get(f"{RUNS}{what_if.pk}/").content.decode()
    official = client.get(f"{RUNS}{categorised.pending.pk}/").content.decode()
    assert 'id="what-if-note"' not in official
