"""The school's self-evaluation beside its adviser's and its peer reviewers' latest judgements on
the same inspection areas (``Area``, from Ofsted's School inspection handbook), for a viewer:
the adviser's column only to those who read the school's visit notes, the peer reviewers' only
from a review whose report the viewer may read."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from partnership.permissions import roles_of
from schools.models import School

from .peer_review_models import Area, Grade, Judgement, PeerReview

# Enough for years of judgements of each source on every area; the newest are read first.
JUDGEMENTS_READ = 500


@transaction.atomic
def self_evaluation_record(*, school: School, grades: dict[str, int], by) -> list[Judgement]:
    """Record the school's own judgement of each area it grades (earlier ones are kept)."""
    return Judgement.objects.bulk_create(
        Judgement(school=school, source=Judgement.Source.SELF, area=Area(area), grade=grade, by=by)
        for area, grade in grades.items()
        if grade
    )


def judgements_compare(*, school: School, user) -> dict | None:
    """Per area, the newest self, adviser and peer judgement the user may see; None when the
    user may see none of the school's evaluations. One query (it sits on the school's page)."""
    sees_notes = school_notes_reachable(user=user, school=school)
    readable = PeerReview.objects.visible_to(user).filter(school=school).values("pk")
    condition = Q(source=Judgement.Source.PEER, peer_review__in=readable)
    if sees_notes:
        condition |= Q(source__in=[Judgement.Source.SELF, Judgement.Source.ADVISER])
    rows = list(
        Judgement.objects.filter(condition, school=school)
        .select_related("peer_review__cycle")
        .order_by("-on", "-pk")[:JUDGEMENTS_READ]
    )
    if not (sees_notes or rows):
        return None
    newest: dict[tuple[str, str], Judgement] = {}
    for judgement in rows:
        newest.setdefault((judgement.area, judgement.source), judgement)
    reviews = {j.peer_review_id: j.peer_review for j in newest.values() if j.peer_review_id}
    return {
        "reviews": list(reviews.values()),
        "areas": [
            {
                "label": Area(area).label,
                "self": newest.get((area, Judgement.Source.SELF)),
                "adviser": newest.get((area, Judgement.Source.ADVISER)),
                "peer": newest.get((area, Judgement.Source.PEER)),
            }
            for area in Area.values
        ],
        "grades": Grade,
        "sees_notes": sees_notes,
    }


def school_notes_reachable(*, user, school: School) -> bool:
    """Whether the user's scope reaches the school's visit notes and self-evaluation, even
    before any is written (the same scope as ``VisitNote.objects.visible_to``)."""
    roles = roles_of(user)
    if roles.sees_whole_partnership or school.pk in roles.school_ids:
        return True
    return (
        bool(roles.alliance_ids)
        and school.cluster_memberships.filter(
            ended_on__isnull=True, cluster__alliance_id__in=roles.alliance_ids
        ).exists()
    )
