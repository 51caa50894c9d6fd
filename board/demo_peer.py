"""Demo peer reviews and visit notes in the demo head's cluster: a spring cycle with its groups
proposed by the product, two reviews written (the demo head's school's report shared with the
cluster, the one the demo head wrote kept private), the others scheduled; two visit notes on the
demo head's school, one marked accurate and one marked inaccurate and corrected; and the
school's self-evaluation. Written through the same services as the pages; run once (nothing is
added if the cluster has a cycle already)."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from clusters.peer_judgements import self_evaluation_record
from clusters.peer_review_models import PeerReview, PeerReviewCycle, Sharing, Term
from clusters.peer_services import (
    cycle_create,
    cycle_groups_propose,
    review_findings_write,
    review_schedule,
    review_share,
)
from clusters.visit_services import visit_note_correct, visit_note_respond, visit_note_write
from partnership.models import Role, RoleAssignment, User

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
FOCUS = "Reading in key stage 2\nAttendance of disadvantaged pupils"


def _person(email: str) -> User | None:
    return User.objects.filter(email=email).first()


@transaction.atomic
def demo_peer_load() -> None:
    """Add the demo's peer-review cycle, visit notes and self-evaluation, once."""
    head = _person("head@example.org")
    lead, officer = _person("cluster.lead@example.org"), _person("officer@example.org")
    adviser = _person("alliance.chair@example.org") or officer
    assignment = RoleAssignment.objects.current().filter(user=head, role=Role.HEADTEACHER).first()
    lead_of = RoleAssignment.objects.current().filter(user=lead, role=Role.CLUSTER_LEAD).first()
    if not (assignment and lead_of and officer):
        return
    if PeerReviewCycle.objects.filter(cluster=lead_of.cluster).exists():
        return
    school = assignment.school
    _cycle(cluster=lead_of.cluster, school=school, head=head, lead=lead)
    _visits(school=school, head=head, officer=officer, adviser=adviser)
    self_evaluation_record(
        school=school,
        grades={"quality": 2, "behaviour": 2, "personal": 1, "leadership": 2},
        by=head,
    )


def _this_term(today: date) -> tuple[str, int]:
    """The term and the year its school year starts in (autumn from September)."""
    if today.month >= 9:
        return Term.AUTUMN, today.year
    return (Term.SPRING if today.month <= 4 else Term.SUMMER), today.year - 1


def _cycle(*, cluster, school, head, lead) -> None:
    today = timezone.localdate()
    term, year = _this_term(today)
    name = f"{Term(term).label} {year + (term != Term.AUTUMN)} peer reviews"
    cycle = cycle_create(
        cluster=cluster, name=name, term=term, year=year, focus_areas=FOCUS, by=lead
    )
    cycle_groups_propose(cycle=cycle, by=lead)
    day = today - timedelta(days=40)
    for review in cycle.reviews.order_by("group", "pk"):
        review_schedule(review=review, scheduled_on=day, focus=FOCUS, by=lead)
        day += timedelta(days=3)
    own = cycle.reviews.get(school=school)
    mate = cycle.reviews.filter(group=own.group).exclude(pk=own.pk).first()
    review_findings_write(
        review=own,
        findings="Pupils read widely and often; the reading spine is well chosen.\n"
        "Attendance of disadvantaged pupils is below the school's target in Years 5 and 6.",
        next_steps="Share the reading spine with the cluster.\n"
        "Ask for support with attendance of disadvantaged pupils.",
        grades={"quality": 2, "behaviour": 2, "personal": 2, "leadership": 2},
        by=None,  # written by the reviewing school, whose head has no demo login
    )
    review_share(review=own, sharing=Sharing.CLUSTER, by=head)
    if mate:
        review_findings_write(
            review=PeerReview.objects.get(pk=mate.pk),
            findings="Leaders know the school well. Writing in key stage 1 is not yet secure.",
            next_steps="Visit a cluster school with strong early writing.",
            grades={"quality": 3, "leadership": 2},
            by=head,
        )


def _visits(*, school, head, officer, adviser) -> None:
    first = visit_note_write(
        school=school,
        visited_on=timezone.localdate() - timedelta(days=70),
        focus="Autumn term data and the school development plan",
        notes="We looked at the autumn assessments together. Reading is improving across key "
        "stage 2; maths in Year 4 is the priority. The plan's actions are on track.",
        attachments=[SimpleUploadedFile("school-development-plan-review.pdf", PDF)],
        grades={"quality": 2, "leadership": 2},
        by=officer,
    )
    visit_note_respond(note=first, accurate=True, comment="", by=head)
    second = visit_note_write(
        school=school,
        visited_on=timezone.localdate() - timedelta(days=21),
        focus="Attendance",
        notes="Attendance is 91% this term; persistent absence has risen.",
        by=adviser,
    )
    visit_note_respond(
        note=second,
        accurate=False,
        comment="Attendance is 94.1% this term; 91% was last year's figure.",
        by=head,
    )
    visit_note_correct(
        note=second,
        visited_on=second.visited_on,
        focus=second.focus,
        notes="Attendance is 94.1% this term (91% last year); persistent absence has fallen.",
        reason="The head pointed out that 91% was last year's attendance.",
        grades={"behaviour": 2},
        by=adviser,
    )
