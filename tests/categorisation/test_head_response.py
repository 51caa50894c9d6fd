"""The head's voice in categorisation, the services: a head agrees with or challenges the
proposed result of a run being moderated, the officer resolves a challenge, and the board's
agreement records the challenges left unresolved."""

import datetime
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from categorisation.head_responses import (
    RUN_CLOSED,
    head_response_record,
    head_response_resolve,
    proposed_result_get,
    proposed_results_for_head,
)
from categorisation.models import HeadResponse, Result, Run
from categorisation.moderation import run_agree, run_confirm_pending
from tests.categorisation.factories import build_categorised, run_with_results

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def categorised(world, officer):
    return build_categorised(world, officer)


def _result(run: Run, school) -> Result:
    return Result.objects.get(run=run, school=school)


def test_a_head_finds_their_own_schools_proposed_result_in_the_run_being_moderated(
    categorised, world, head_a
):
    found = proposed_result_get(user=head_a, school=world.school_a)
    assert found.run == categorised.pending and found.category == "1"


def test_a_head_finds_no_proposed_result_for_another_school(categorised, world, head_a, officer):
    assert proposed_result_get(user=head_a, school=world.school_b) is None
    # Officers read results through the run pages: this is the heads' way in only.
    assert proposed_result_get(user=officer, school=world.school_a) is None


def test_a_what_if_run_is_never_proposed_to_a_head(world, head_a, officer):
    run_with_results({world.school_a: "3"}, purpose=Run.Purpose.WHAT_IF, by=officer)
    assert proposed_result_get(user=head_a, school=world.school_a) is None
    assert not proposed_results_for_head(user=head_a).exists()


def test_an_agreed_run_is_no_longer_proposed(categorised, world, head_a, officer):
    run_confirm_pending(run=categorised.pending, by=officer)
    run_agree(run=categorised.pending, by=officer)
    assert proposed_result_get(user=head_a, school=world.school_a) is None


def test_agreeing_records_who_and_when_and_keeps_history(categorised, world, head_a):
    result = _result(categorised.pending, world.school_a)
    response = head_response_record(result=result, by=head_a, response="agree")
    assert response.response == HeadResponse.Answer.AGREE
    assert response.responded_by == head_a and response.responded_at is not None
    assert response.history.first().history_user == head_a


def test_a_challenge_needs_a_comment(categorised, world, head_a):
    result = _result(categorised.pending, world.school_a)
    with pytest.raises(ValidationError) as caught:
        head_response_record(result=result, by=head_a, response="challenge", comment="  ")
    assert caught.value.message_dict == {
        "comment": ["Enter why you challenge the proposed category"]
    }
    assert not HeadResponse.objects.exists()


@pytest.mark.parametrize(
    "name,data",
    [("review.pdf", PDF), ("review.docx", docx_bytes())],
)
def test_a_challenge_keeps_pdf_or_word_evidence(categorised, world, head_a, name, data):
    result = _result(categorised.pending, world.school_a)
    upload = SimpleUploadedFile(name, data)
    response = head_response_record(
        result=result, by=head_a, response="challenge", comment="Our LA review", evidence=upload
    )
    assert response.evidence_filename == name and response.evidence_size == len(data)
    assert name not in response.evidence.name  # stored under its checksum, not its name
    assert response.evidence.read() == data


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("review.pdf", b"not a pdf", "The selected file is not a PDF"),
        ("review.docx", PDF, "The selected file is not a Word document"),
        ("review.exe", PDF, "The selected file must be a PDF or a Word document"),
    ],
)
def test_evidence_must_be_what_its_name_says(categorised, world, head_a, name, data, message):
    result = _result(categorised.pending, world.school_a)
    with pytest.raises(ValidationError) as caught:
        head_response_record(
            result=result,
            by=head_a,
            response="challenge",
            comment="See evidence",
            evidence=SimpleUploadedFile(name, data),
        )
    assert message in caught.value.messages[0]
    assert not HeadResponse.objects.exists()


def test_evidence_over_the_limit_is_refused(categorised, world, head_a, settings):
    settings.UPLOAD_LIMITS = {
        **settings.UPLOAD_LIMITS,
        "head_evidence": {"max_bytes": 10, "max_rows": 0},
    }
    result = _result(categorised.pending, world.school_a)
    with pytest.raises(ValidationError) as caught:
        head_response_record(
            result=result,
            by=head_a,
            response="challenge",
            comment="See evidence",
            evidence=SimpleUploadedFile("review.pdf", PDF),
        )
    assert "must be smaller than" in caught.value.messages[0]


def test_answering_again_replaces_the_response_and_reopens_a_resolved_challenge(
    categorised, world, head_a, officer
):
    result = _result(categorised.pending, world.school_a)
    first = head_response_record(result=result, by=head_a, response="challenge", comment="No")
    head_response_resolve(response=first, by=officer, note="Discussed on the phone")
    again = head_response_record(result=result, by=head_a, response="challenge", comment="Still no")
    assert again.pk == first.pk and again.comment == "Still no"
    assert again.resolved_at is None and again.resolution_note == ""
    assert again.history.count() == 3


def test_no_response_once_the_board_has_agreed(categorised, world, head_a, officer):
    run_confirm_pending(run=categorised.pending, by=officer)
    run_agree(run=categorised.pending, by=officer)
    result = _result(categorised.pending, world.school_a)
    with pytest.raises(ValidationError) as caught:
        head_response_record(result=result, by=head_a, response="agree")
    assert caught.value.messages == [RUN_CLOSED]


def test_no_response_on_a_what_if_run(world, head_a, officer):
    run = run_with_results({world.school_a: "3"}, purpose=Run.Purpose.WHAT_IF, by=officer)
    with pytest.raises(ValidationError):
        head_response_record(result=_result(run, world.school_a), by=head_a, response="agree")


def test_resolving_records_the_officer_the_time_and_the_note(categorised, world, head_a, officer):
    result = _result(categorised.pending, world.school_a)
    challenge = head_response_record(result=result, by=head_a, response="challenge", comment="No")
    resolved = head_response_resolve(response=challenge, by=officer, note="Category changed to 2")
    assert resolved.resolved_by == officer and resolved.resolved_at is not None
    assert resolved.resolution_note == "Category changed to 2"
    with pytest.raises(ValidationError, match="already been resolved"):
        head_response_resolve(response=resolved, by=officer, note="Again")


def test_an_agreement_cannot_be_resolved_and_a_resolution_needs_a_note(
    categorised, world, head_a, head_b, officer
):
    agreed = head_response_record(
        result=_result(categorised.pending, world.school_a), by=head_a, response="agree"
    )
    with pytest.raises(ValidationError, match="Only a challenge"):
        head_response_resolve(response=agreed, by=officer, note="Fine")
    challenge = head_response_record(
        result=_result(categorised.pending, world.school_b),
        by=head_b,
        response="challenge",
        comment="No",
    )
    with pytest.raises(ValidationError) as caught:
        head_response_resolve(response=challenge, by=officer, note=" ")
    assert caught.value.message_dict == {"note": ["Enter how the challenge was resolved"]}


def test_the_boards_agreement_records_the_unresolved_challenges_only(
    categorised, world, head_a, head_b, officer
):
    run = categorised.pending
    open_challenge = head_response_record(
        result=_result(run, world.school_a), by=head_a, response="challenge", comment="No"
    )
    resolved = head_response_record(
        result=_result(run, world.school_b), by=head_b, response="challenge", comment="No"
    )
    head_response_resolve(response=resolved, by=officer, note="Agreed to keep it")
    run_confirm_pending(run=run, by=officer)
    agreed = run_agree(run=run, by=officer)
    agreed.refresh_from_db()
    assert agreed.unresolved_challenges == [open_challenge.pk]


def test_an_agreement_without_challenges_records_none(categorised, officer):
    run_confirm_pending(run=categorised.pending, by=officer)
    agreed = run_agree(run=categorised.pending, by=officer)
    agreed.refresh_from_db()
    assert agreed.unresolved_challenges == []


def test_only_the_latest_run_being_moderated_is_proposed(categorised, world, head_a, officer):
    newer = run_with_results({world.school_a: "2"}, rule_set=categorised.rule_set, by=officer)
    found = proposed_result_get(user=head_a, school=world.school_a)
    assert found.run == newer and found.category == "2"
    assert list(proposed_results_for_head(user=head_a)) == [found]


def test_a_run_older_than_the_agreed_one_is_not_proposed(world, head_a, officer):
    older = run_with_results({world.school_a: "2"}, by=officer)
    older.created_at = older.created_at - datetime.timedelta(days=5)
    older.save(update_fields=["created_at"])
    run_with_results({world.school_a: "3"}, agreed_days_ago=1, by=officer)
    assert proposed_result_get(user=head_a, school=world.school_a) is None
