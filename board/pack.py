"""Board packs: a meeting's agenda, papers' summaries and the dashboard's tables as one PDF,
built by a background job (``board.pack_tasks``).

Two audiences: the members' pack (confidential items included and marked on every page they
occupy) for those who may see the meeting's confidential items, and the public pack
(confidential items left out, schools named by their codes where the board hides names) for
anyone who may read the meeting's published minutes. The current pack of an audience is the
newest job that succeeded, so a failed job leaves the previous pack current. The PDF is kept
in the private media storage (no URL serves it) at the path the job's result names, and is
served only by the permission-checked download view.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse

from kernel.jobs import job_create, job_fail, job_progress, job_start, job_succeed
from kernel.models import Job

from .jobs import BOARD_PACK
from .models import Meeting

logger = logging.getLogger(__name__)

MEMBERS, PUBLIC = "members", "public"
AUDIENCES = {MEMBERS: "Members' pack", PUBLIC: "Public pack"}
# Who may download each pack (``board.meeting_rules``); the members' pack needs both.
DOWNLOAD_PERMS = {
    MEMBERS: ("board.view_meeting", "board.view_confidential"),
    PUBLIC: ("board.view_minutes",),
}
PACK_STATES = (
    Meeting.State.AGENDA_PUBLISHED,
    Meeting.State.HELD,
    Meeting.State.MINUTES_APPROVED,
)
AGENDA_NOT_PUBLISHED = "Publish the agenda before you create the board pack"
NO_SUCH_AUDIENCE = "Choose the members' pack or the public pack"
UNEXPECTED = (
    "The board pack could not be created. The previous board pack is still the current one: "
    "create the board pack again, and tell the service desk if it fails again"
)


def pack_may_download(*, user, meeting: Meeting, audience: str) -> bool:
    """Whether the user may download this audience's pack of the meeting."""
    return all(user.has_perm(perm, meeting) for perm in DOWNLOAD_PERMS[audience])


def pack_current(*, meeting: Meeting, audience: str) -> Job | None:
    """The newest pack of this audience that was built (a failed job never replaces it)."""
    return (
        Job.objects.filter(
            kind=BOARD_PACK,
            state=Job.State.SUCCEEDED,
            options__meeting=meeting.pk,
            options__audience=audience,
        )
        .filter(result__has_key="file")
        .order_by("-finished_at", "-pk")
        .first()
    )


def pack_jobs(*, meeting: Meeting, limit: int = 5) -> list[Job]:
    """The meeting's latest pack jobs, newest first, for its pack page."""
    jobs = Job.objects.filter(kind=BOARD_PACK, options__meeting=meeting.pk).select_related(
        "created_by"
    )
    return list(jobs.defer("result").order_by("-created_at", "-pk")[:limit])


@transaction.atomic
def pack_request(*, meeting: Meeting, audience: str, by) -> Job:
    """Queue a job that builds the meeting's pack for an audience (once the agenda is
    published); the task starts when the transaction commits."""
    from .pack_tasks import board_pack_task

    if audience not in AUDIENCES:
        raise ValidationError(NO_SUCH_AUDIENCE)
    if meeting.state not in PACK_STATES:
        raise ValidationError(AGENDA_NOT_PUBLISHED)
    job = job_create(
        kind=BOARD_PACK, created_by=by, options={"meeting": meeting.pk, "audience": audience}
    )
    transaction.on_commit(lambda: board_pack_task.delay(job.pk))
    return job


def pack_filename(*, meeting: Meeting, audience: str) -> str:
    """The name a downloaded pack is saved under."""
    return f"board-pack-{audience}-{meeting.starts_at:%Y-%m-%d}-{meeting.pk}.pdf"


def pack_build(*, job: Job) -> dict | None:
    """Build the job's pack, keep the PDF privately (its path in the result), mark the job done; any
    failure marks it failed and keeps the previous pack current. Returns the result."""
    from .pack_content import pack_context
    from .pack_render import pdf_render

    job_start(job=job)
    progress = job_progress(job=job)
    try:
        meeting = Meeting.objects.select_related("alliance").get(pk=job.options["meeting"])
        audience = job.options["audience"]
        if meeting.state not in PACK_STATES:
            raise ValidationError(AGENDA_NOT_PUBLISHED)
        progress(10, "Reading the agenda, papers and dashboard")
        context = pack_context(meeting=meeting, audience=audience, user=job.created_by)
        progress(40, "Laying out the pages")
        pdf, pages = pdf_render(template="board/pack/pack.html", context=context)
        progress(90, "Keeping the PDF")
        name = f"board-packs/{meeting.pk}/{job.pk}-{audience}.pdf"
        if default_storage.exists(name):  # the task ran again: its pack replaces the first
            default_storage.delete(name)
        stored = default_storage.save(name, ContentFile(pdf))
    except ValidationError as refused:
        job_fail(job=job, error=" ".join(refused.messages))
        return None
    except Exception:
        logger.exception("Board pack job %s stopped", job.pk)
        job_fail(job=job, error=UNEXPECTED)
        return None
    result = {
        "summary": f"{AUDIENCES[audience]} for {meeting}: {pages} pages",
        "file": stored,
        "pages": pages,
        "counts": {"pages": pages, "agenda items": len(context["items"])},
        "link": {
            "url": reverse("board:pack-download", args=[meeting.pk, audience]),
            "text": f"Download the {AUDIENCES[audience].lower()} (PDF)",
        },
    }
    job_succeed(job=job, result=result)
    return result
