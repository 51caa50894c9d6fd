"""The register of schools and trusts, as given by DfE's Get Information About Schools (GIAS)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from partnership.permissions import scope_filter


class Trust(models.Model):
    """An academy trust (multi-academy, single-academy) or a foundation trust, named as in GIAS."""

    class TrustType(models.TextChoices):
        MULTI_ACADEMY = "mat", "Multi-academy trust"
        SINGLE_ACADEMY = "sat", "Single-academy trust"
        FOUNDATION = "foundation", "Trust (foundation)"
        OTHER = "other", "Other trust"

    name = models.CharField(max_length=255, unique=True)
    trust_type = models.CharField(max_length=20, choices=TrustType.choices, default=TrustType.OTHER)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TypeGroup(models.TextChoices):
    LA_MAINTAINED = "la_maintained", "LA maintained"
    ACADEMY = "academy", "Academy"
    FREE_SCHOOL = "free_school", "Free school"
    SPECIAL = "special", "Special"
    ALTERNATIVE_PROVISION = "alternative_provision", "Alternative provision"
    NURSERY = "nursery", "Nursery"


class Phase(models.TextChoices):
    NURSERY = "nursery", "Nursery"
    PRIMARY = "primary", "Primary"
    FIRST = "first", "First"
    MIDDLE = "middle", "Middle"
    SECONDARY = "secondary", "Secondary"
    SIXTEEN_PLUS = "16_plus", "16 plus"
    ALL_THROUGH = "all_through", "All-through"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class Status(models.TextChoices):
    OPEN = "open", "Open"
    PROPOSED_TO_CLOSE = "proposed_to_close", "Open, but proposed to close"
    PROPOSED_TO_OPEN = "proposed_to_open", "Proposed to open"
    CLOSED = "closed", "Closed"


OPEN_STATUSES = (Status.OPEN, Status.PROPOSED_TO_CLOSE)


def _own_school(roles) -> Q | None:
    return Q(pk__in=roles.school_ids) if roles.school_ids else None


class SchoolQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def in_partnership(self):
        """Open schools that have not opted out of the partnership."""
        return self.open().filter(opted_out=False)

    def visible_to(self, user):
        """Officers and the board see every school; a headteacher their own school (the
        ``clusters`` app adds the schools of a cluster lead's cluster and an alliance chair's
        alliance)."""
        return scope_filter(self, user, own=_own_school)


class School(models.Model):
    """A state-funded school, identified by its URN. Closed schools are kept."""

    urn = models.PositiveIntegerField("URN", unique=True)
    name = models.CharField(max_length=255)
    la_code = models.CharField("LA code", max_length=3, db_index=True)
    la_name = models.CharField("LA name", max_length=100)
    establishment_number = models.CharField(max_length=10, blank=True)
    establishment_type = models.CharField(max_length=100)
    type_group = models.CharField(max_length=30, choices=TypeGroup.choices)
    is_academy = models.BooleanField(
        default=False, help_text="Academies and free schools: concerns go to DfE, not the LA"
    )
    phase = models.CharField(max_length=20, choices=Phase.choices)
    gias_phase = models.CharField("GIAS phase", max_length=50, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices)
    open_date = models.DateField(null=True, blank=True)
    close_date = models.DateField(null=True, blank=True)
    statutory_low_age = models.PositiveSmallIntegerField(null=True, blank=True)
    statutory_high_age = models.PositiveSmallIntegerField(null=True, blank=True)
    number_of_pupils = models.PositiveIntegerField(null=True, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    # Ordnance Survey grid reference in metres (GIAS "Easting"/"Northing"): distances between
    # schools without a postcode lookup.
    easting = models.PositiveIntegerField(null=True, blank=True)
    northing = models.PositiveIntegerField(null=True, blank=True)
    town = models.CharField(max_length=100, blank=True)
    district = models.CharField(max_length=100, blank=True)
    trust = models.ForeignKey(
        Trust, null=True, blank=True, on_delete=models.SET_NULL, related_name="schools"
    )
    ofsted_rating = models.CharField("Ofsted rating (GIAS)", max_length=50, blank=True)
    ofsted_last_inspection = models.DateField("Ofsted last inspection", null=True, blank=True)
    predecessor_urn = models.PositiveIntegerField("predecessor URN", null=True, blank=True)
    successor_urn = models.PositiveIntegerField("successor URN", null=True, blank=True)
    opted_out = models.BooleanField("opted out of the partnership", default=False, db_index=True)
    opted_out_on = models.DateField(null=True, blank=True)
    opted_out_note = models.TextField(blank=True)
    gias_last_changed = models.DateField("GIAS last changed", null=True, blank=True)
    # The audit trail is read by school (``id``), date and user, never filtered by these: their
    # indexes (two each for text) made every imported school's audit record cost 16 index
    # entries instead of 5 (bench/README.md, issue 9).
    history = HistoricalRecords(
        excluded_fields=["gias_last_changed"],
        no_db_index=["la_code", "type_group", "phase", "status", "postcode", "opted_out", "trust"],
    )

    objects = SchoolQuerySet.as_manager()

    class Meta:
        ordering = ["name", "urn"]
        # Type group, phase and postcode are matched whole, never by prefix: a plain index
        # each, without the pattern-ops twin ``db_index`` adds to text on PostgreSQL; status
        # is the first column of (status, phase). Five index entries fewer per school, which
        # the GIAS import writes 40,100 of (bench/README.md, issue 9).
        indexes = [
            models.Index(fields=["status", "phase"]),
            models.Index(fields=["type_group"], name="school_type_group_idx"),
            models.Index(fields=["phase"], name="school_phase_idx"),
            models.Index(fields=["postcode"], name="school_postcode_idx"),
            # The register's first page, by name: read 50 rows in order, not sort 22,000.
            models.Index(fields=["name", "urn"], name="school_name_urn_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.urn})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def intervention_route(self) -> str:
        """Who acts on a concern: the LA for maintained schools, DfE for academies (Dorset 1.6)."""
        if self.is_academy:
            return "Refer concerns to DfE (the regional director)"
        return "The local authority may intervene"
