"""Performance data, the board's rule sets, categorisation runs and their moderated results.

Measures are data, not columns: a value is kept per school, academic year, measure and release,
and a missing value keeps its reason. A later release of the same year and measure supersedes
the earlier one (``is_current``) without deleting it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from clusters.models import school_ids_now_in
from partnership.permissions import scope_filter


class Source(models.TextChoices):
    KS2 = "ks2", "Key stage 2 performance tables"
    KS4 = "ks4", "Key stage 4 performance tables"
    OFSTED = "ofsted", "Ofsted management information"
    GIAS = "gias", "GIAS (Ofsted rating and date)"
    TEMPLATE = "template", "LA template (local data)"
    ABSENCE = "absence", "Absence (performance tables)"


class Unit(models.TextChoices):
    PERCENT = "percent", "Per cent"
    SCORE = "score", "Score"
    PROGRESS = "progress", "Progress score"
    COUNT = "count", "Count"
    GRADE = "grade", "Grade (1 best)"
    DAYS = "days", "Days"
    POUNDS = "pounds", "Pounds"
    YEARS = "years", "Years"


class Measure(models.Model):
    """Something measured about a school, e.g. KS2 PTRWM_EXP or the latest Ofsted grade."""

    code = models.CharField(max_length=50, unique=True)
    label = models.CharField(max_length=200)
    unit = models.CharField(max_length=20, choices=Unit.choices)
    source = models.CharField(max_length=20, choices=Source.choices)
    higher_is_better = models.BooleanField(default=True)
    description = models.TextField(blank=True)
    cohort_measure = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text="The measure counting eligible pupils, for the small-cohort guard (e.g. TELIG)",
    )

    class Meta:
        ordering = ["source", "code"]

    def __str__(self) -> str:
        return f"{self.label} ({self.code})"


class MissingReason(models.TextChoices):
    SUPPRESSED = "SUPP", "Suppressed"
    NOT_PUBLISHED = "NP", "Not published"
    NO_ELIGIBLE_PUPILS = "NE", "No eligible pupils"
    LOW_COVERAGE = "LOWCOV", "Low coverage"
    NOT_APPLICABLE = "NA", "Not applicable"
    NEW_SCHOOL = "NEW", "New school"
    BLANK = "BLANK", "Blank in the file"
    ABSENT = "ABSENT", "Absent from the file"
    NOT_JUDGED = "NOT_JUDGED", "Not judged"
    COHORT_TOO_SMALL = "SMALL", "Cohort too small"


class ReleaseStage(models.TextChoices):
    """How authoritative a release is, lowest first: a later file's prior-year columns (a
    year's values as a later year's file repeats them) give way to the year's own file, of any
    stage; provisional to revised; revised to final (``value_writes.STAGE_RANK``)."""

    PRIOR_YEAR = "prior_year", "From a later file's prior-year columns"
    PROVISIONAL = "provisional", "Provisional"
    REVISED = "revised", "Revised"
    FINAL = "final", "Final"


class DataRelease(models.Model):
    """One imported file of performance data: a kind, an academic year and a release stage."""

    source = models.CharField(max_length=20, choices=Source.choices)
    academic_year = models.CharField(max_length=9, help_text="e.g. 2018-2019", blank=True)
    stage = models.CharField(
        max_length=20, choices=ReleaseStage.choices, default=ReleaseStage.FINAL
    )
    job = models.OneToOneField(
        "kernel.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="release"
    )
    checksum = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the file")
    original_filename = models.CharField(max_length=255, blank=True)
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.JSONField(default=dict, blank=True)
    from_release = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="prior_year_releases",
        help_text="The later file whose prior-year columns (PTRWM_EXP_18, P8MEA_PREV) gave this "
        "release's values",
    )

    class Meta:
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.academic_year} ({self.get_stage_display()})"


class MeasureValue(models.Model):
    """A school's value of a measure in an academic year from one release, or why it is missing."""

    # Each index is paid for by every value an import writes (a secondary index whose entries
    # land all over it cost 1.1-1.6 CPU s of a 660,000-value template on PostgreSQL), so there
    # are three besides the key, each serving reads: the per-release unique index leads with the
    # release (a new release's entries are appended at its end, almost free, and a release's
    # values are found by it); the current values' unique index leads with the school (a
    # school's values; written in the order the import sorts the values); the superseded values
    # have a partial index of their own, which a new current value never enters. A run reads the
    # current values of its measures by scanning the table (it reads most of it).
    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    measure = models.ForeignKey(
        Measure, on_delete=models.PROTECT, related_name="values", db_index=False
    )
    academic_year = models.CharField(max_length=9)
    release = models.ForeignKey(
        DataRelease, on_delete=models.CASCADE, related_name="values", db_index=False
    )
    value = models.FloatField(null=True, blank=True)
    text = models.CharField(max_length=200, blank=True, help_text="A judgement or date as given")
    missing_reason = models.CharField(max_length=20, choices=MissingReason.choices, blank=True)
    is_current = models.BooleanField(
        default=True, help_text="False once a later release of this year and measure supersedes it"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["release", "school", "measure", "academic_year"],
                name="one_value_per_release",
            ),
            models.UniqueConstraint(
                fields=["school", "measure", "academic_year"],
                condition=Q(is_current=True),
                name="one_current_value",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=False) | ~Q(missing_reason="") | ~Q(text=""),
                name="value_or_text_or_missing_reason",
            ),
        ]
        indexes = [
            models.Index(
                fields=["school", "measure", "academic_year"],
                condition=Q(is_current=False),
                name="superseded_value",
            )
        ]

    def __str__(self) -> str:
        shown = self.value if self.value is not None else self.text or self.missing_reason
        return f"{self.measure_id} {self.academic_year}: {shown}"


class NationalPhase(models.TextChoices):
    """Which schools England's value is for: all of them (KS2 and KS4 national rows), or one
    phase (the absence file's national rows: ``NAT`` with ESTAB ``PRI``, ``SEC``, ``SPE``).
    ``categorisation.measures.national_phase`` gives a school's."""

    ALL = "", "All schools"
    PRIMARY = "primary", "Primary schools"
    SECONDARY = "secondary", "Secondary schools"
    SPECIAL = "special", "Special schools"


class NationalValue(models.Model):
    """England's value of a measure in a year (from the files' national rows), per release and
    phase: a measure has either one value for all schools (``phase`` "") or one per phase."""

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="national_values")
    academic_year = models.CharField(max_length=9)
    phase = models.CharField(
        max_length=20, choices=NationalPhase.choices, blank=True, default=NationalPhase.ALL
    )
    release = models.ForeignKey(DataRelease, on_delete=models.CASCADE, related_name="national")
    value = models.FloatField()
    is_current = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "academic_year", "phase", "release"],
                name="one_national_per_release",
            )
        ]

    def __str__(self) -> str:
        phase = f", {self.get_phase_display().lower()}" if self.phase else ""
        return f"{self.measure_id} {self.academic_year}: {self.value} (England{phase})"


class RuleSetStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ADOPTED = "adopted", "Adopted"
    RETIRED = "retired", "Retired"


class RuleSet(models.Model):
    """The board's categorisation rules, versioned. Exactly one is adopted at a time.

    ``definition`` holds indicators, triggers, category bands and support bands; its shape is
    validated by ``categorisation.definition.validate_definition`` and edited through forms.
    """

    name = models.CharField(max_length=200)
    version = models.PositiveIntegerField(unique=True)
    status = models.CharField(
        max_length=20, choices=RuleSetStatus.choices, default=RuleSetStatus.DRAFT
    )
    definition = models.JSONField(default=dict)
    notes = models.TextField(blank=True)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    adopted_at = models.DateTimeField(null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="adopted"), name="one_adopted_rule_set"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version}, {self.get_status_display().lower()})"


# A run's stages as categorisation.runs times them (jsonb does not keep the keys' order).
RUN_STAGES = {
    "load": "Loading data",
    "categorise": "Categorising",
    "revised_data": "Checking revised data",
    "write": "Saving results",
    "total": "Total",
}


def _runs_in_scope(roles) -> Q | None:
    # An alliance chair sees official runs only: what-if runs of draft rules are the board's.
    return Q(purpose="official") if roles.alliance_ids else None


class RunQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Categorisation runs: officers and the board see every run, including what-if runs of
        draft rules; an alliance chair official runs only (and in them only their alliance's
        results); nobody else any."""
        return scope_filter(self, user, own=_runs_in_scope)


class Run(models.Model):
    """One application of a rule set to the latest data for all open schools."""

    class Purpose(models.TextChoices):
        OFFICIAL = "official", "Categorisation"
        WHAT_IF = "what_if", "What-if (draft rules)"

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    rule_set = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="runs")
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.OFFICIAL)
    state = models.CharField(max_length=20, choices=State.choices, default=State.QUEUED)
    job = models.OneToOneField(
        "kernel.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="run"
    )
    trigger = models.CharField(
        max_length=200, blank=True, help_text="What started it: an officer, an upload, an adoption"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    timings = models.JSONField(default=dict, blank=True, help_text="Seconds per stage")
    stats = models.JSONField(
        default=dict, blank=True, help_text="Counts by category, and what the run could not use"
    )
    counts = models.JSONField(
        default=dict,
        blank=True,
        help_text="Results by moderation state, category and support band, and how many revised "
        "data changed: stored when the run finishes and after each moderation "
        "(categorisation.counts)",
    )
    error = models.TextField(blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreement_note = models.TextField(blank=True)
    unresolved_challenges = models.JSONField(
        default=list,
        blank=True,
        help_text="The heads' challenges (HeadResponse ids) still unresolved when the board "
        "agreed the run",
    )

    objects = RunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Run {self.pk} ({self.get_purpose_display()}, {self.get_state_display()})"

    @property
    def is_agreed(self) -> bool:
        return self.agreed_at is not None

    @property
    def timing_items(self) -> list[tuple[str, float]]:
        """Seconds per stage, in the order the run went through them, the total last."""
        timings = self.timings or {}
        known = [(label, timings[key]) for key, label in RUN_STAGES.items() if key in timings]
        others = [
            (key.replace("_", " ").capitalize(), value)
            for key, value in timings.items()
            if key not in RUN_STAGES
        ]
        return known[:-1] + others + known[-1:] if "total" in timings else known + others


def _results_in_scope(roles) -> Q | None:
    condition = Q()
    if roles.alliance_ids:
        condition |= Q(
            run__purpose="official",
            school_id__in=school_ids_now_in(alliance_ids=roles.alliance_ids),
        )
    if roles.school_ids:
        condition |= Q(school_id__in=roles.school_ids, run__agreed_at__isnull=False)
    return condition or None


class ResultQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Categorisation results are confidential: officers and the board see every school's;
        an alliance chair the schools currently in their alliance, from official runs only
        (never what-if runs of draft rules); a headteacher only their own school's, and only
        from runs the board has agreed; nobody else any."""
        return scope_filter(self, user, own=_results_in_scope)

    def unscoped_for(self, user) -> bool:
        """Whether ``visible_to(user)`` keeps every result (officers and the board), so that a
        run's stored counts are this user's counts. The permission layer itself answers: any
        scoping it applies to the user makes this False."""
        queryset = self.all()
        return queryset.visible_to(user) is queryset


class Result(models.Model):
    """A school's category in a run, with the explanation of every indicator and trigger."""

    class Moderation(models.TextChoices):
        PENDING = "pending", "Not moderated"
        CONFIRMED = "confirmed", "Confirmed"
        OVERRIDDEN = "overridden", "Changed at moderation"

    # No index of its own on run: "result_run_counts" leads with it (and covers the counts).
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="results", db_index=False)
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    computed_category = models.CharField(max_length=50)
    computed_support_band = models.CharField(max_length=20, blank=True)
    score = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    insufficient_data = models.BooleanField(default=False)
    trigger = models.CharField(max_length=200, blank=True, help_text="The trigger that fired")
    explanation = models.JSONField(default=dict)
    revised_data = models.BooleanField(
        default=False, help_text="The category differs because a later release revised the data"
    )
    moderation = models.CharField(
        max_length=20, choices=Moderation.choices, default=Moderation.PENDING
    )
    category = models.CharField(max_length=50, help_text="After moderation")
    support_band = models.CharField(max_length=20, blank=True, help_text="After moderation")
    override_reason = models.TextField(blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    objects = ResultQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "school"], name="one_result_per_school_per_run"),
            models.CheckConstraint(
                condition=~Q(moderation="overridden") | ~Q(override_reason=""),
                name="override_needs_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["school", "run"]),
            # A run's counts and summaries read only these columns: PostgreSQL answers them from
            # the index alone, never reading the rows with their explanations (~2 KB each).
            models.Index(
                fields=[
                    "run",
                    "moderation",
                    "category",
                    "support_band",
                    "revised_data",
                    "school",
                    "id",
                ],
                name="result_run_counts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school_id} in run {self.run_id}: {self.category}"


# The head's response to a proposed result (categorisation.head_responses).
from .head_response_models import HeadResponse  # noqa: E402, F401
