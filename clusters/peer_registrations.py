"""What peer reviews and visit notes add to the shared registries: their permissions, navigation,
audit trail kinds and the part of a school's page comparing its judgements."""

from kernel.audit import audit_kind_register, url_or_none
from kernel.navigation import nav_register
from schools.extensions import school_page_part_register

from . import peer_rules  # noqa: F401 - declares this part's permissions
from .peer_judgements import judgements_compare, school_notes_reachable
from .peer_review_models import PeerReview, PeerReviewCycle
from .visit_models import VisitNote, VisitResponse


def _school_part(*, user, school) -> dict | None:
    """The judgements table, links to the peer reviews it quotes and to the visit notes, or
    nothing (one query)."""
    compare = judgements_compare(school=school, user=user)
    if compare is None:
        return None
    return {
        "compare": compare,
        "peer_reviews": compare["reviews"],
        "notes_link": school_notes_reachable(user=user, school=school),
        "can_evaluate": user.has_perm("clusters.evaluate_school", school),
    }


def _school_name(record) -> str:
    return record.school.name if record.school else f"school {record.school_id} (deleted)"


def register() -> None:
    school_page_part_register(
        "peer", order=30, context=_school_part, section_template="clusters/peer/_school_part.html"
    )
    nav_register(
        "Peer reviews",
        "clusters:peer-cycle-list",
        permission="clusters.view_peer_cycles",
        order=35,
    )
    audit_kind_register(
        "peer_cycle",
        "Peer-review cycles",
        PeerReviewCycle,
        order=55,
        related=("cluster",),
        entry_label=lambda record: f"{record.name} ({record.cluster.name})",
        entry_url=lambda record: url_or_none("clusters:peer-cycle-detail", record.id),
    )
    audit_kind_register(
        "peer_review",
        "Peer reviews",
        PeerReview,
        order=56,
        related=("school",),
        entry_label=lambda record: f"Peer review of {_school_name(record)}",
        entry_url=lambda record: url_or_none("clusters:peer-review-detail", record.id),
        name_joins=("school",),
        name=lambda review: f"Peer review of {review.school.name}",
    )
    audit_kind_register(
        "visit_note",
        "Visit notes",
        VisitNote,
        order=57,
        related=("school",),
        entry_label=lambda record: f"Visit to {_school_name(record)}, version {record.version}",
        entry_url=lambda record: url_or_none("clusters:visit-detail", record.id),
        name_joins=("school",),
    )
    audit_kind_register(
        "visit_response",
        "Responses to visit notes",
        VisitResponse,
        order=58,
        related=("note",),
        entry_label=lambda record: f"Response: {'accurate' if record.accurate else 'inaccurate'}",
        entry_url=lambda record: url_or_none("clusters:visit-detail", record.note_id),
    )
