"""Meetings of the board and of each alliance: the agenda and its papers, attendance,
declarations of interest, decisions with their votes, and minutes per item."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords


class MeetingQuerySet(models.QuerySet):
    def of_body(self, alliance):
        return self.filter(alliance=alliance) if alliance else self.filter(alliance__isnull=True)

    def held(self):
        """Meetings that took place (cancelled and future ones do not count)."""
        return self.filter(state__in=Meeting.HELD_STATES)

    def visible_to(self, user):
        """The meetings whose pages the user may open (see ``board.meeting_rules``)."""
        from board.meeting_rules import meetings_visible_to

        return meetings_visible_to(self, user)


class Meeting(models.Model):
    """One meeting of the board (``alliance`` empty) or of an area alliance."""

    class Kind(models.TextChoices):
        HALF_TERMLY = "half_termly", "Half-termly meeting"
        RESULTS = "results", "Results and priorities meeting"
        EXTRAORDINARY = "extraordinary", "Extraordinary meeting"

    class State(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        AGENDA_PUBLISHED = "agenda_published", "Agenda published"
        HELD = "held", "Held"
        MINUTES_APPROVED = "minutes_approved", "Minutes approved"
        CANCELLED = "cancelled", "Cancelled"

    HELD_STATES = (State.HELD, State.MINUTES_APPROVED)

    alliance = models.ForeignKey(
        "partnership.Alliance",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
        help_text="Empty for the board itself",
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.HALF_TERMLY)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    location = models.CharField(max_length=300, blank=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.SCHEDULED)
    agenda_published_at = models.DateTimeField(null=True, blank=True)
    minutes_published_at = models.DateTimeField(null=True, blank=True)
    hide_school_names = models.BooleanField(
        "replace school names with codes in the published minutes", default=True
    )
    history = HistoricalRecords()

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def body_name(self) -> str:
        return str(self.alliance) if self.alliance_id else "The board"

    @property
    def was_held(self) -> bool:
        return self.state in self.HELD_STATES

    @property
    def minutes_published(self) -> bool:
        return self.minutes_published_at is not None


class MeetingTransition(models.Model):
    """A change of a meeting's state: who, when, from what to what, and why."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=20, choices=Meeting.State.choices)
    to_state = models.CharField(max_length=20, choices=Meeting.State.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_state} to {self.to_state}"


class ExemptParagraph(models.TextChoices):
    """Local Government Act 1972, Schedule 12A, Part 1: descriptions of exempt information."""

    P1 = "1", "Paragraph 1: information relating to any individual"
    P2 = "2", "Paragraph 2: information likely to reveal the identity of an individual"
    P3 = (
        "3",
        (
            "Paragraph 3: information relating to the financial or business affairs of any "
            "particular person (including the authority holding that information)"
        ),
    )
    P4 = (
        "4",
        (
            "Paragraph 4: consultations or negotiations on a labour relations matter between the "
            "authority and its employees or office holders"
        ),
    )
    P5 = "5", "Paragraph 5: information subject to legal professional privilege"
    P6 = (
        "6",
        (
            "Paragraph 6: information revealing that the authority proposes to give a notice "
            "imposing requirements on a person, or to make an order or direction"
        ),
    )
    P7 = "7", "Paragraph 7: the prevention, investigation or prosecution of crime"


class AgendaItem(models.Model):
    """An item of a meeting's agenda, in order; its minutes are drafted on it."""

    class Kind(models.TextChoices):
        APOLOGIES = "apologies", "Apologies"
        SUBSTITUTES = "substitutes", "Substitutes"
        DECLARATIONS = "declarations", "Declarations of interest"
        MINUTES = "minutes", "Minutes of the last meeting"
        STANDING = "standing", "Standing item"
        ITEM = "item", "Item"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ITEM)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    is_confidential = models.BooleanField("confidential", default=False)
    exempt_paragraph = models.CharField(
        "exempt category", max_length=2, choices=ExemptParagraph.choices, blank=True
    )
    source_key = models.CharField(
        max_length=60, blank=True, help_text="For a standing item: the agenda source it reads"
    )
    snapshot = models.JSONField(
        default=dict,
        blank=True,
        help_text="A standing item's content when the agenda was published",
    )
    minutes_of = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="approved_at_items",
        help_text="For the minutes of the last meeting: that meeting",
    )
    schools = models.ManyToManyField(
        "schools.School", blank=True, related_name="agenda_items", help_text="Schools discussed"
    )
    minutes = models.TextField(blank=True, help_text="The minutes of this item, drafted")
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"],
                name="agenda_item_position_unique",
            ),
            models.CheckConstraint(
                condition=Q(is_confidential=False, exempt_paragraph="")
                | Q(is_confidential=True) & ~Q(exempt_paragraph=""),
                name="agenda_item_confidential_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


def paper_path(paper: Paper, filename: str) -> str:
    return f"meetings/{paper.item.meeting_id}/{paper.item_id}/{filename}"


class Paper(models.Model):
    """A paper attached to an item; uploading a paper of the same title makes a new version."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="papers")
    title = models.CharField(max_length=200)
    version = models.PositiveIntegerField(default=1)
    file = models.FileField(upload_to=paper_path)
    original_filename = models.CharField(max_length=255)
    file_type = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    is_late = models.BooleanField(default=False, help_text="Added after the agenda was published")
    summary = models.TextField(blank=True)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["item", "title", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "title", "version"], name="paper_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"


class Attendance(models.Model):
    """Whether a seat's holder attended a meeting, sent apologies, sent their substitute, or was
    absent."""

    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Apologies"
        SUBSTITUTE = "substitute", "Represented by a substitute"
        ABSENT = "absent", "Absent"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    seat = models.ForeignKey("board.BoardSeat", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices)
    substitute = models.ForeignKey(
        "board.BoardSeat",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stood_in",
        help_text="The substitute who stood in",
    )
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "seat"], name="attendance_once"),
            models.CheckConstraint(
                condition=Q(status="substitute", substitute__isnull=False)
                | (~Q(status="substitute") & Q(substitute__isnull=True)),
                name="attendance_substitute_named",
            ),
        ]

    def __str__(self) -> str:
        return self.get_status_display()


class Declaration(models.Model):
    """A declaration of interest in an item by the person in a seat: they do not vote on it."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="declarations")
    seat = models.ForeignKey("board.BoardSeat", on_delete=models.PROTECT, related_name="+")
    interest = models.TextField()
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "seat"], name="declaration_once_per_item")
        ]

    def __str__(self) -> str:
        return self.interest[:80]


class Decision(models.Model):
    """A decision recorded against an agenda item, on a subject the kind names (a run to agree,
    a rule set to adopt…), with the votes cast."""

    class Outcome(models.TextChoices):
        CARRIED = "carried", "Agreed"
        LOST = "lost", "Not agreed"
        NOTED = "noted", "Noted (no vote)"

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(max_length=40, blank=True)
    text = models.TextField("resolution")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    subject_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    applied_at = models.DateTimeField(null=True, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["item", "recorded_at", "pk"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return self.text[:80]


class Vote(models.Model):
    """One member's vote on a decision, cast by the member or by their substitute."""

    class Choice(models.TextChoices):
        FOR = "for", "For"
        AGAINST = "against", "Against"
        ABSTAIN = "abstain", "Abstain"

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="votes")
    seat = models.ForeignKey(
        "board.BoardSeat", on_delete=models.PROTECT, related_name="+", help_text="The member"
    )
    cast_by = models.ForeignKey(
        "board.BoardSeat",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The member, or their substitute standing in",
    )
    choice = models.CharField(max_length=10, choices=Choice.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["decision", "seat"], name="vote_once")]

    def __str__(self) -> str:
        return self.get_choice_display()


class SchoolCode(models.Model):
    """A school's stable code ("School A") for one board year: published minutes and the
    projected dashboard show it instead of the name."""

    year = models.PositiveIntegerField(help_text="The academic year's first calendar year")
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField()
    code = models.CharField(max_length=20)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "school"], name="school_code_once_a_year"),
            models.UniqueConstraint(fields=["year", "position"], name="school_code_unique"),
        ]

    def __str__(self) -> str:
        return self.code
