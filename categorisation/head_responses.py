"""The head's voice in categorisation: while an official run is being moderated, a headteacher
reads their own school's proposed category with its explanation and agrees or challenges it
(with a comment and evidence); the moderating officer marks a challenge resolved; the board's
agreement records the challenges still unresolved (``run_agree``).

Selectors read for a viewer; services do the writes."""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from clusters.visit_services import attachment_sniff
from kernel.uploads import upload_limits
from partnership.permissions import roles_of

from .head_response_models import HeadResponse
from .models import Result, Run

RUN_CLOSED = (
    "The board has agreed this categorisation, or it is no longer being moderated: responses "
    "can no longer be changed"
)
NEEDS_COMMENT = "Enter why you challenge the proposed category"
NOT_A_CHALLENGE = "Only a challenge can be resolved"
ALREADY_RESOLVED = "This challenge has already been resolved"
NEEDS_NOTE = "Enter how the challenge was resolved"


def _moderated_run() -> QuerySet:
    """The run being moderated: the latest official run that succeeded and is not agreed, and
    newer than every agreed run (an older one can never be agreed), as a subquery of its id."""
    newer_agreed = Run.objects.filter(
        purpose=Run.Purpose.OFFICIAL, agreed_at__isnull=False, created_at__gt=OuterRef("created_at")
    )
    return (
        Run.objects.filter(
            purpose=Run.Purpose.OFFICIAL, state=Run.State.SUCCEEDED, agreed_at__isnull=True
        )
        .exclude(Exists(newer_agreed))
        .order_by("-created_at", "-pk")
        .values("pk")[:1]
    )


def proposed_results_for_head(*, user) -> QuerySet:
    """The proposed results of the user's own schools in the official run being moderated (heads
    only: a result in an unagreed run is otherwise the LA's and the board's)."""
    school_ids = roles_of(user).school_ids
    if not school_ids:
        return Result.objects.none()
    return Result.objects.filter(school_id__in=school_ids, run_id__in=_moderated_run())


def proposed_result_get(*, user, school) -> Result | None:
    """The school's proposed result in the run being moderated, if the user may respond
    for this school (its head); None when there is none or they may not."""
    # Only a head's own schools can match: asking no one else spares the permission backends.
    if school.pk not in roles_of(user).school_ids:
        return None
    if not user.has_perm("categorisation.respond_to_category", school):
        return None
    return (
        proposed_results_for_head(user=user)
        .filter(school=school)
        .select_related("run__rule_set", "school")
        .first()
    )


def head_response_of(result: Result) -> HeadResponse | None:
    """The head's response to the result, if any."""
    return HeadResponse.objects.filter(result=result).select_related("responded_by").first()


def unresolved_challenges(*, run: Run) -> QuerySet:
    """The run's challenges by heads that no officer has resolved."""
    return HeadResponse.objects.filter(
        result__run=run, response=HeadResponse.Answer.CHALLENGE, resolved_at__isnull=True
    )


def agreed_challenges_for(*, user, run: Run) -> list[HeadResponse]:
    """The challenges recorded unresolved at the board's agreement, for the schools this user
    may see."""
    visible = Result.objects.filter(run=run).visible_to(user)
    return list(
        HeadResponse.objects.filter(pk__in=run.unresolved_challenges or [], result__in=visible)
        .select_related("result__school")
        .order_by("result__school__name")
    )


def _locked_open_run(run_id: int) -> Run:
    locked = Run.objects.select_for_update().get(pk=run_id)
    if (
        locked.purpose != Run.Purpose.OFFICIAL
        or locked.state != Run.State.SUCCEEDED
        or locked.is_agreed
    ):
        raise ValidationError(RUN_CLOSED)
    return locked


def _attach_evidence(response: HeadResponse, upload) -> None:
    upload_limits("head_evidence").size_check(upload.size)
    extension = attachment_sniff(upload, name=upload.name)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    response.evidence_filename = upload.name.rsplit("/", 1)[-1][-255:]
    response.evidence_extension = extension
    response.evidence_size = upload.size
    response.evidence_checksum = digest.hexdigest()
    response.evidence.save(response.evidence_filename, File(upload), save=False)


@transaction.atomic
def head_response_record(
    *, result: Result, by, response: str, comment: str = "", evidence=None
) -> HeadResponse:
    """Record (or replace) the head's agreement or challenge of the proposed result. A new
    answer reopens a resolved challenge; evidence already given is kept unless replaced."""
    _locked_open_run(result.run_id)
    comment = (comment or "").strip()
    if response == HeadResponse.Answer.CHALLENGE and not comment:
        raise ValidationError({"comment": [NEEDS_COMMENT]})
    found = HeadResponse.objects.select_for_update().filter(result=result).first()
    found = found or HeadResponse(result=result)
    found.response, found.comment = response, comment
    found.responded_by, found.responded_at = by, timezone.now()
    found.resolved_by, found.resolved_at, found.resolution_note = None, None, ""
    if evidence is not None:
        _attach_evidence(found, evidence)
    found._history_user = by
    found.save()
    return found


@transaction.atomic
def head_response_resolve(*, response: HeadResponse, by, note: str) -> HeadResponse:
    """The moderating officer marks a head's challenge resolved, saying how."""
    _locked_open_run(response.result.run_id)
    locked = HeadResponse.objects.select_for_update().get(pk=response.pk)
    if not locked.is_challenge:
        raise ValidationError(NOT_A_CHALLENGE)
    if locked.resolved_at is not None:
        raise ValidationError(ALREADY_RESOLVED)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [NEEDS_NOTE]})
    locked.resolved_by, locked.resolved_at, locked.resolution_note = by, timezone.now(), note
    locked._history_user = by
    locked.save(update_fields=["resolved_by", "resolved_at", "resolution_note"])
    return locked


def evidence_response_get(*, user, pk: int) -> HeadResponse:
    """A response with evidence if the user may read it: those who see its result, or the head
    of its school; raises HeadResponse.DoesNotExist."""
    found = HeadResponse.objects.exclude(evidence="").select_related("result__school").get(pk=pk)
    if user.has_perm("categorisation.respond_to_category", found.result.school):
        return found
    if Result.objects.filter(pk=found.result_id).visible_to(user).exists():
        return found
    raise HeadResponse.DoesNotExist
