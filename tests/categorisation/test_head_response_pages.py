"""The head's voice in categorisation, the pages: the head's page for their school's proposed
category, the evidence download, the officer's view of responses on the run and result pages,
resolving a challenge, the board's agreement with unresolved challenges, the school page and the
home page's worklist. Permissions from both sides."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from categorisation.head_responses import head_response_record, head_response_resolve
from categorisation.models import HeadResponse, Result, Run
from categorisation.moderation import run_agree, run_confirm_pending
from clusters.models import ClusterMembership
from schools.models import School
from tests.categorisation.factories import build_categorised, run_with_results
from tests.categorisation.test_head_response import PDF
from tests.factories import SchoolFactory

EVERYONE = [
    "officer",
    "board_chair",
    "board_member",
    "alliance_chair",
    "cluster_lead",
    "head_a",
    "head_b",
    "provider",
    "no_role",
]


@pytest.fixture
def categorised(world, officer):
    return build_categorised(world, officer)


def _proposed_url(school) -> str:
    return f"/categorisation/schools/{school.urn}/proposed/"


def _result(run: Run, school) -> Result:
    return Result.objects.get(run=run, school=school)


def _result_url(run: Run, school) -> str:
    return f"/categorisation/runs/{run.pk}/results/{_result(run, school).pk}/"


def _challenge(run, world, head_a, evidence=True) -> HeadResponse:
    return head_response_record(
        result=_result(run, world.school_a),
        by=head_a,
        response="challenge",
        comment="Our March review shows leadership is strong",
        evidence=SimpleUploadedFile("march-review.pdf", PDF) if evidence else None,
    )


# The head's page ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", EVERYONE)
def test_only_the_schools_own_head_sees_its_proposed_category(as_user, categorised, world, who):
    response = as_user(who).get(_proposed_url(world.school_a))
    assert response.status_code == (200 if who == "head_a" else 404)


def test_the_head_sees_the_proposed_category_and_its_explanation(as_user, categorised, world):
    response = as_user("head_a").get(_proposed_url(world.school_a))
    page = response.content.decode()
    assert '<h1 class="govuk-heading-l">Your school\'s proposed category</h1>' in page
    assert 'id="proposed-category">1: ' in page
    assert "Why the rules propose this category" in page
    assert 'enctype="multipart/form-data"' in page


def test_the_head_challenges_with_a_comment_and_evidence(as_user, categorised, world, head_a):
    response = as_user("head_a").post(
        _proposed_url(world.school_a),
        {
            "response": "challenge",
            "comment": "Our March review shows leadership is strong",
            "evidence": SimpleUploadedFile("march-review.pdf", PDF),
        },
    )
    assert response.status_code == 302
    saved = HeadResponse.objects.get()
    assert saved.result == _result(categorised.pending, world.school_a)
    assert saved.response == "challenge" and saved.responded_by == head_a
    assert saved.evidence_filename == "march-review.pdf"
    page = as_user("head_a").get(_proposed_url(world.school_a)).content.decode()
    assert "Challenged by the head" in page and "Not resolved" in page


def test_a_challenge_without_a_comment_shows_the_error(as_user, categorised, world):
    response = as_user("head_a").post(_proposed_url(world.school_a), {"response": "challenge"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: " in page
    assert "Enter why you challenge the proposed category" in page
    assert not HeadResponse.objects.exists()


def test_evidence_that_is_not_a_pdf_shows_the_error(as_user, categorised, world):
    response = as_user("head_a").post(
        _proposed_url(world.school_a),
        {
            "response": "challenge",
            "comment": "See the file",
            "evidence": SimpleUploadedFile("review.pdf", b"MZ not a pdf"),
        },
    )
    assert response.status_code == 200
    assert "The selected file is not a PDF" in response.content.decode()
    assert not HeadResponse.objects.exists()


def test_head_b_cannot_respond_for_school_a(as_user, categorised, world):
    response = as_user("head_b").post(_proposed_url(world.school_a), {"response": "agree"})
    assert response.status_code == 404
    assert not HeadResponse.objects.exists()


def test_no_proposed_category_once_the_board_agreed(as_user, categorised, world, officer):
    run_confirm_pending(run=categorised.pending, by=officer)
    run_agree(run=categorised.pending, by=officer)
    client = as_user("head_a")
    assert client.get(_proposed_url(world.school_a)).status_code == 404
    assert client.post(_proposed_url(world.school_a), {"response": "agree"}).status_code == 404
    assert not HeadResponse.objects.exists()


def test_no_proposed_category_from_a_what_if_run(as_user, world, officer):
    run_with_results({world.school_a: "3"}, purpose=Run.Purpose.WHAT_IF, by=officer)
    assert as_user("head_a").get(_proposed_url(world.school_a)).status_code == 404


# The evidence ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who,status",
    [
        ("officer", 200),
        ("board_chair", 200),
        ("board_member", 200),
        ("alliance_chair", 200),  # school A is in the North Alliance
        ("head_a", 200),
        ("head_b", 404),
        ("cluster_lead", 404),
        ("provider", 404),
        ("no_role", 404),
    ],
)
def test_the_evidence_is_served_only_to_those_who_see_the_result(
    as_user, categorised, world, head_a, who, status
):
    challenge = _challenge(categorised.pending, world, head_a)
    response = as_user(who).get(f"/categorisation/responses/{challenge.pk}/evidence/")
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF
        assert "march-review.pdf" in response["Content-Disposition"]


def test_the_other_alliances_chair_cannot_read_the_evidence(
    as_user, categorised, world, head_b, alliance_chair
):
    challenge = head_response_record(
        result=_result(categorised.pending, world.school_b),
        by=head_b,
        response="challenge",
        comment="No",
        evidence=SimpleUploadedFile("b.pdf", PDF),
    )
    response = as_user("alliance_chair").get(f"/categorisation/responses/{challenge.pk}/evidence/")
    assert response.status_code == 404


# The officer's side ---------------------------------------------------------------------------


def test_the_officer_sees_the_response_beside_the_result_in_the_list(
    as_user, categorised, world, head_a, head_b
):
    _challenge(categorised.pending, world, head_a)
    head_response_record(
        result=_result(categorised.pending, world.school_b), by=head_b, response="agree"
    )
    page = as_user("officer").get(f"/categorisation/runs/{categorised.pending.pk}/")
    content = page.content.decode()
    assert content.count("Challenged by the head") == 1
    assert content.count("Agreed by the head") == 1


def test_the_officer_sees_the_comment_and_evidence_on_the_result_page(
    as_user, categorised, world, head_a
):
    challenge = _challenge(categorised.pending, world, head_a)
    page = as_user("officer").get(_result_url(categorised.pending, world.school_a))
    content = page.content.decode()
    assert "Our March review shows leadership is strong" in content
    assert f"/categorisation/responses/{challenge.pk}/evidence/" in content
    assert "Mark the challenge resolved" in content


def test_the_alliance_chair_sees_responses_for_their_alliances_schools_only(
    as_user, categorised, world, head_a
):
    _challenge(categorised.pending, world, head_a)
    client = as_user("alliance_chair")
    content = client.get(_result_url(categorised.pending, world.school_a)).content.decode()
    assert "Our March review shows leadership is strong" in content
    assert "Mark the challenge resolved" not in content
    assert client.get(_result_url(categorised.pending, world.school_b)).status_code == 404


def test_the_officer_marks_a_challenge_resolved(as_user, categorised, world, head_a, officer):
    challenge = _challenge(categorised.pending, world, head_a)
    url = _result_url(categorised.pending, world.school_a) + "resolve/"
    response = as_user("officer").post(url, {"note": "Met the head; category changed to 2"})
    assert response.status_code == 302
    challenge.refresh_from_db()
    assert challenge.resolved_by == officer
    assert challenge.resolution_note == "Met the head; category changed to 2"


@pytest.mark.parametrize("who", ["board_member", "alliance_chair", "head_a", "provider"])
def test_only_officers_resolve_challenges(as_user, categorised, world, head_a, who):
    challenge = _challenge(categorised.pending, world, head_a)
    url = _result_url(categorised.pending, world.school_a) + "resolve/"
    response = as_user(who).post(url, {"note": "Resolved"})
    assert response.status_code == 403
    challenge.refresh_from_db()
    assert challenge.resolved_at is None


# The board's agreement ------------------------------------------------------------------------


def test_the_agree_page_warns_of_unresolved_challenges(as_user, categorised, world, head_a):
    _challenge(categorised.pending, world, head_a)
    page = as_user("officer").get(f"/categorisation/runs/{categorised.pending.pk}/agree/")
    assert "1 challenge by headteachers is not resolved" in page.content.decode()


def test_the_run_page_shows_the_challenges_unresolved_at_agreement(
    as_user, categorised, world, head_a, officer
):
    _challenge(categorised.pending, world, head_a)
    run_confirm_pending(run=categorised.pending, by=officer)
    run_agree(run=categorised.pending, by=officer)
    url = f"/categorisation/runs/{categorised.pending.pk}/"
    content = as_user("board_member").get(url).content.decode()
    assert "Agreed with 1 unresolved challenge by headteachers" in content
    listed = content.split('id="agreed-challenge-list"', 1)[1].split("</ul>", 1)[0]
    assert world.school_a.name in listed
    # Read-only after agreement: no resolving
    result_page = as_user("officer").get(_result_url(categorised.pending, world.school_a))
    assert "Mark the challenge resolved" not in result_page.content.decode()


def test_the_other_alliances_chair_does_not_see_the_challenged_school_listed(
    as_user, categorised, world, head_b, officer
):
    head_response_record(
        result=_result(categorised.pending, world.school_b),
        by=head_b,
        response="challenge",
        comment="No",
    )
    run_confirm_pending(run=categorised.pending, by=officer)
    run_agree(run=categorised.pending, by=officer)
    content = (
        as_user("alliance_chair")
        .get(f"/categorisation/runs/{categorised.pending.pk}/")
        .content.decode()
    )
    assert "Agreed with 1 unresolved challenge" in content
    assert world.school_b.name not in content


# The school page and the worklist -------------------------------------------------------------


def test_the_school_page_links_the_head_to_the_proposed_category(as_user, categorised, world):
    content = as_user("head_a").get(f"/schools/{world.school_a.urn}/").content.decode()
    assert _proposed_url(world.school_a) in content
    officer_page = as_user("officer").get(f"/schools/{world.school_a.urn}/").content.decode()
    assert _proposed_url(world.school_a) not in officer_page


def test_the_heads_worklist_shows_the_proposed_category_until_they_respond(
    as_user, categorised, world, head_a
):
    items = as_user("head_a").get("/").context["worklist"]
    labels = {item.label: item for item in items}
    item = labels["Your school's proposed category to respond to"]
    assert item.count == 1 and item.href == _proposed_url(world.school_a)
    head_response_record(
        result=_result(categorised.pending, world.school_a), by=head_a, response="agree"
    )
    items = as_user("head_a").get("/").context["worklist"]
    assert "Your school's proposed category to respond to" not in {i.label for i in items}


@pytest.mark.parametrize("who", ["officer", "board_member", "alliance_chair", "provider"])
def test_others_have_no_proposed_category_in_their_worklist(as_user, categorised, who):
    items = as_user(who).get("/").context["worklist"]
    assert "Your school's proposed category to respond to" not in {i.label for i in items}


def test_the_worklist_source_runs_a_fixed_number_of_queries(
    categorised, world, head_a, django_assert_max_num_queries
):
    from categorisation.head_response_registrations import proposed_to_respond
    from partnership.models import Role
    from tests.factories import RoleAssignmentFactory

    schools = School.objects.bulk_create(
        SchoolFactory.build(urn=800000 + i, name=f"School {i}") for i in range(10)
    )
    ClusterMembership.objects.bulk_create(
        ClusterMembership(school=school, cluster=world.cluster_a1) for school in schools
    )
    for school in schools:
        RoleAssignmentFactory(user=head_a, role=Role.HEADTEACHER, school=school)
    run_with_results(dict.fromkeys(schools, "2"), rule_set=categorised.rule_set)
    head_a.refresh_from_db()
    with django_assert_max_num_queries(4):
        items = proposed_to_respond(user=head_a)
    # The newer run is the one being moderated: school A's result in the older one is not asked
    assert items[0].count == 10 and len(items[0].examples) == 3


def test_the_resolved_challenge_shows_on_the_heads_page(
    as_user, categorised, world, head_a, officer
):
    challenge = _challenge(categorised.pending, world, head_a, evidence=False)
    head_response_resolve(response=challenge, by=officer, note="Kept at 1 after the meeting")
    content = as_user("head_a").get(_proposed_url(world.school_a)).content.decode()
    assert "Kept at 1 after the meeting" in content and "Resolved" in content


def test_the_audit_trail_shows_the_heads_challenge_and_its_resolution(
    as_user, categorised, world, head_a, officer
):
    challenge = _challenge(categorised.pending, world, head_a, evidence=False)
    head_response_resolve(response=challenge, by=officer, note="Kept at 1")
    response = as_user("officer").get("/people/audit/", {"kind": "head_response"})
    entries = response.context["trail"].entries
    result = _result(categorised.pending, world.school_a)
    assert [(e.who, e.action) for e in entries] == [(officer, "Changed"), (head_a, "Created")]
    assert entries[0].object_label == (
        f"Challenged by the head (run {categorised.pending.pk}, school {world.school_a.pk}), "
        "resolved"
    )
    assert (
        entries[0].object_url
        == f"/categorisation/runs/{categorised.pending.pk}/results/{result.pk}/"
    )
