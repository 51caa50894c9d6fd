"""The kinds of decision the board takes on something in the product, and what recording one
does to its subject ("written back").

An app registers a kind: the model of its subject, the subjects a meeting may decide on, and
what agreeing does (``apply``). A decision recorded as agreed calls ``apply`` in the same
transaction, so the decision and its effect stand or fall together; ``decision_for`` tells the
app which decision agreed a subject. ``board.meeting_sources`` registers the first real one:
the board agreeing a categorisation run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model, QuerySet


@dataclass(frozen=True)
class DecisionKind:
    key: str
    label: str
    model: type[Model]
    subjects: Callable[..., QuerySet]  # subjects(meeting=...) -> the subjects offered
    apply: Callable | None = None  # apply(subject=..., decision=..., by=...) when agreed
    subject_label: Callable = str


DECISION_KINDS: dict[str, DecisionKind] = {}


def decision_kind_register(
    key: str,
    *,
    label: str,
    model: type[Model],
    subjects: Callable[..., QuerySet],
    apply: Callable | None = None,
    subject_label: Callable = str,
) -> None:
    """Let the board take decisions of this kind on objects of ``model``."""
    DECISION_KINDS[key] = DecisionKind(key, label, model, subjects, apply, subject_label)


def decision_kinds() -> dict[str, DecisionKind]:
    return dict(sorted(DECISION_KINDS.items(), key=lambda item: item[1].label))


def decision_kind(key: str) -> DecisionKind | None:
    return DECISION_KINDS.get(key)


def decision_for(subject: Model):
    """The agreed decision on this subject, newest first, or None."""
    from django.contrib.contenttypes.models import ContentType

    from .models import Decision

    return (
        Decision.objects.filter(
            subject_type=ContentType.objects.get_for_model(subject),
            subject_id=subject.pk,
            outcome=Decision.Outcome.CARRIED,
        )
        .select_related("item__meeting")
        .order_by("-recorded_at")
        .first()
    )
