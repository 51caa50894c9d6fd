"""Services that move an engagement through its states (commission, end)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .extensions import commission_hooks, end_hooks
from .models import Engagement

NOT_PROPOSED = "Only a proposed engagement can be commissioned"
NOT_COMMISSIONED = "Only a commissioned engagement can end"
NO_ALLIANCE = "Choose the alliance whose allocation pays for this support"


@transaction.atomic
def engagement_commission(*, engagement: Engagement, by, decision=None) -> Engagement:
    """Commission the engagement: the hooks (the fund) commit its cost, or refuse."""
    locked = Engagement.objects.select_for_update().get(pk=engagement.pk)
    if locked.state != Engagement.State.PROPOSED:
        raise ValidationError(NOT_PROPOSED)
    if locked.alliance_id is None:
        raise ValidationError(NO_ALLIANCE)
    for hook in commission_hooks():
        hook(engagement=locked, by=by, decision=decision)
    locked.state = Engagement.State.COMMISSIONED
    locked.commissioned_at, locked.commissioned_by = timezone.now(), by
    locked.save(update_fields=["state", "commissioned_at", "commissioned_by"])
    return locked


@transaction.atomic
def engagement_end(*, engagement: Engagement, by, completed: bool = True) -> Engagement:
    """End a commissioned engagement (completed or stopped); the hooks release what was not
    spent."""
    locked = Engagement.objects.select_for_update().get(pk=engagement.pk)
    if locked.state != Engagement.State.COMMISSIONED:
        raise ValidationError(NOT_COMMISSIONED)
    locked.state = Engagement.State.COMPLETED if completed else Engagement.State.STOPPED
    locked.ended_at = timezone.now()
    locked.save(update_fields=["state", "ended_at"])
    for hook in end_hooks():
        hook(engagement=locked, by=by)
    return locked
