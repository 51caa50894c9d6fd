"""Visit notes from both sides: advisers write them (with PDF or Word attachments, checked by
their first bytes and served only to those who may read the note), the head is emailed and
marks each version accurate or inaccurate, and a correction is a new version."""

import io
import zipfile
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from clusters.visit_models import VisitNote, VisitResponse
from clusters.visit_services import visit_note_correct, visit_note_write
from tests.clusters import peer_world

chair_b = peer_world.chair_b
pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def client_of(request, client):
    def _client(persona: str):
        client.force_login(request.getfixturevalue(persona))
        return client

    return _client


@pytest.fixture
def note(world, officer):
    return visit_note_write(
        school=world.school_a,
        visited_on=date(2026, 2, 3),
        focus="Phonics",
        notes="Phonics is taught daily.",
        attachments=[SimpleUploadedFile("plan.pdf", PDF)],
        by=officer,
    )


def _post_note(client, urn, **extra):
    data = {
        "visited_on_0": "3",
        "visited_on_1": "2",
        "visited_on_2": "2026",
        "focus": "Attendance",
        "notes": "Attendance is improving.",
        **extra,
    }
    return client.post(f"/structure/visits/schools/{urn}/new/", data)


@pytest.mark.parametrize("persona", ["officer", "alliance_chair"])
def test_advisers_record_a_visit_and_the_head_is_emailed(
    world, head_a, client_of, persona, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_note(
            client_of(persona),
            world.school_a.urn,
            attachments=[SimpleUploadedFile("report.docx", docx_bytes())],
        )
    note = VisitNote.objects.get()
    assert response["Location"] == f"/structure/visits/{note.pk}/"
    assert note.attachments.get().extension == "docx"
    assert [m.to for m in mailoutbox] == [[head_a.email]]
    assert f"/structure/visits/{note.pk}/" in mailoutbox[0].body


@pytest.mark.parametrize("persona", ["head_a", "cluster_lead", "board_member", "chair_b"])
def test_others_cannot_record_a_visit(world, client_of, persona):
    response = _post_note(client_of(persona), world.school_a.urn)
    assert response.status_code in (403, 404)
    assert not VisitNote.objects.exists()


def test_a_file_that_is_not_what_its_name_says_is_refused(world, client_of):
    response = _post_note(
        client_of("officer"),
        world.school_a.urn,
        attachments=[SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 not a pdf")],
    )
    assert "The selected file is not a PDF" in response.content.decode()
    assert not VisitNote.objects.exists()


def test_a_file_of_another_type_is_refused(world, client_of):
    response = _post_note(
        client_of("officer"),
        world.school_a.urn,
        attachments=[SimpleUploadedFile("marks.xlsx", docx_bytes())],
    )
    assert "must be a PDF or a Word document" in response.content.decode()


def test_an_attachment_over_the_limit_is_refused(world, client_of, settings):
    settings.UPLOAD_LIMITS = {
        **settings.UPLOAD_LIMITS,
        "visit_attachment": {"max_bytes": 10, "max_rows": 0},
    }
    response = _post_note(
        client_of("officer"), world.school_a.urn, attachments=[SimpleUploadedFile("a.pdf", PDF)]
    )
    assert "must be smaller than" in response.content.decode()


@pytest.mark.parametrize(
    "persona, status",
    [
        ("head_a", 200),
        ("officer", 200),
        ("alliance_chair", 200),
        ("head_b", 404),
        ("cluster_lead", 404),
        ("chair_b", 404),
        ("provider", 404),
    ],
)
def test_note_and_attachment_only_for_those_who_read_the_schools_notes(
    note, client_of, persona, status
):
    client = client_of(persona)
    assert client.get(f"/structure/visits/{note.pk}/").status_code == status
    attachment = note.attachments.get()
    response = client.get(f"/structure/visits/attachments/{attachment.pk}/")
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF


def test_head_marks_a_note_inaccurate_with_a_comment(note, client_of):
    client = client_of("head_a")
    refused = client.post(f"/structure/visits/{note.pk}/respond/", {"accurate": "no"})
    assert "Enter what is inaccurate in the note" in refused.content.decode()
    client.post(
        f"/structure/visits/{note.pk}/respond/",
        {"accurate": "no", "comment": "Phonics is taught twice a day."},
    )
    response = VisitResponse.objects.get(note=note)
    assert (response.accurate, response.comment) == (False, "Phonics is taught twice a day.")


@pytest.mark.parametrize("persona", ["officer", "alliance_chair", "head_b"])
def test_only_the_head_responds(note, client_of, persona):
    response = client_of(persona).post(f"/structure/visits/{note.pk}/respond/", {"accurate": "yes"})
    assert response.status_code in (403, 404)
    assert not VisitResponse.objects.exists()


def test_a_correction_is_a_new_version_and_the_old_one_stays_readable(note, officer, client_of):
    client_of("officer").post(
        f"/structure/visits/{note.pk}/correct/",
        {
            "visited_on_0": "3",
            "visited_on_1": "2",
            "visited_on_2": "2026",
            "focus": "Phonics",
            "notes": "Phonics is taught twice a day.",
            "reason": "The head's comment",
        },
    )
    corrected = VisitNote.objects.get(previous=note)
    assert (corrected.version, corrected.original_id) == (2, note.pk)
    note.refresh_from_db()
    assert note.notes == "Phonics is taught daily."  # never edited
    old_page = client_of("head_a").get(f"/structure/visits/{note.pk}/").content.decode()
    assert "It has been corrected" in old_page and "Phonics is taught daily." in old_page
    list_page = client_of("head_a").get("/structure/visits/schools/100001/").content.decode()
    assert "Awaiting response" in list_page and list_page.count("Phonics") == 1


def test_only_the_latest_version_can_be_corrected(note, officer):
    visit_note_correct(
        note=note, visited_on=note.visited_on, focus="F", notes="N", reason="R", by=officer
    )
    with pytest.raises(ValidationError, match="has been corrected"):
        visit_note_correct(
            note=note, visited_on=note.visited_on, focus="F", notes="N", reason="R", by=officer
        )


@pytest.mark.parametrize("persona", ["alliance_chair", "head_a"])
def test_only_the_author_or_an_officer_corrects(note, client_of, persona):
    assert client_of(persona).get(f"/structure/visits/{note.pk}/correct/").status_code == 403


def test_visit_list_runs_a_bounded_number_of_queries(
    world, officer, client_of, django_assert_max_num_queries
):
    for day in range(1, 29):
        visit_note_write(
            school=world.school_a, visited_on=date(2026, 2, day), focus="F", notes="N", by=officer
        )
    client = client_of("head_a")
    with django_assert_max_num_queries(12):
        page = client.get("/structure/visits/schools/100001/")
    assert page.content.decode().count("Awaiting response") == 25


def test_visit_notes_of_another_school_are_not_found(world, client_of):
    assert client_of("head_b").get("/structure/visits/schools/100001/").status_code == 404
