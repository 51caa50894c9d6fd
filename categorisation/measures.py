"""The measure catalogue: every measure the partnership imports, as data, and the service that
keeps the ``Measure`` table in step with it.

Sources of the definitions: DfE's performance tables metadata (``ks2_meta.csv`` of each year;
the KS4 "metadata for school level data"), Ofsted's management information on state-funded
schools (the column guidance of the monthly file, as at 28 February 2026, including the
report-card areas introduced in November 2025) and GIAS's establishment fields.

National (England) comparators come from each performance file's state-funded national row:
``RECTYPE`` 5 in KS2 files ("National (state-funded schools only)"; 4 is all schools) and
``RECTYPE`` 7 in KS4 files (5 is all schools including independent ones, 4 is the LA).
Both are England's values for all schools: ``NationalValue.phase`` "". The absence file's
national rows are per phase (``LA`` NAT, ``ESTAB`` PRI, SEC or SPE), so ``ABS_*`` measures have
one national value per ``NationalValue.phase`` ("primary", "secondary", "special") and none for
all schools: compare a school with its own phase's, which ``national_phase`` names.

KS2's grammar, punctuation and spelling (GPS) test gives ``PTGPS_EXP``, ``PTGPS_HIGH`` and
``GPS_AVERAGE`` every year (``ks2_meta.csv``: "Percentage of pupils reaching the expected
standard in grammar, punctuation and spelling", "... achieving a high score ...", "Average scaled
score in ..."); KS2 files carry no prior-year GPS columns. KS4's ``PTL2BASICS_95`` is grade 5 or
above in English and maths, beside ``PTL2BASICS_94`` (grade 4 or above).

Prior-year columns (KS2 ``PTRWM_EXP_18``, KS4 ``P8MEA_16``, ``PTL2BASICS_95_17_PTQ_EE`` or
``P8MEA_PREV``) fill the same
measures for earlier academic years, in releases of stage ``prior_year`` (``DataRelease
.from_release`` is the file they came from); the year's own file supersedes them. So the latest
published Progress 8 is the latest year with a current ``KS4_P8MEA`` value, even in 2024/25.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Measure, NationalPhase, Source, Unit


@dataclass(frozen=True)
class MeasureSpec:
    code: str
    label: str
    unit: str
    source: str
    higher_is_better: bool = True
    description: str = ""
    column: str = ""  # the performance-table column it is read from (KS2, KS4, absence)
    cohort: str = ""  # the code of the measure counting eligible pupils


_KS2_COHORT = "KS2_TELIG"
_KS4_COHORT = "KS4_TPUP"
_PERCENT, _SCORE, _PROGRESS, _COUNT = Unit.PERCENT, Unit.SCORE, Unit.PROGRESS, Unit.COUNT
_GRADE, _YEARS, _POUNDS = Unit.GRADE, Unit.YEARS, Unit.POUNDS


def _ks2(column: str, label: str, unit: str, description: str = "", cohort=_KS2_COHORT):
    return MeasureSpec(f"KS2_{column}", label, unit, Source.KS2, True, description, column, cohort)


def _ks4(column: str, label: str, unit: str, description: str = "", cohort=_KS4_COHORT):
    return MeasureSpec(f"KS4_{column}", label, unit, Source.KS4, True, description, column, cohort)


KEY_STAGE_2 = [
    _ks2("PTRWM_EXP", "KS2 reading, writing and maths at the expected standard", _PERCENT),
    _ks2("PTRWM_HIGH", "KS2 reading, writing and maths at a higher standard", _PERCENT),
    _ks2("READPROG", "KS2 reading progress score", _PROGRESS, "0 is the national average"),
    _ks2("WRITPROG", "KS2 writing progress score", _PROGRESS, "0 is the national average"),
    _ks2("MATPROG", "KS2 maths progress score", _PROGRESS, "0 is the national average"),
    _ks2("READ_AVERAGE", "KS2 average scaled score in reading", _SCORE),
    _ks2("MAT_AVERAGE", "KS2 average scaled score in maths", _SCORE),
    _ks2(
        "PTGPS_EXP",
        "KS2 grammar, punctuation and spelling at the expected standard",
        _PERCENT,
        "Per cent of pupils reaching the expected standard in the GPS test",
    ),
    _ks2(
        "PTGPS_HIGH",
        "KS2 grammar, punctuation and spelling at a higher standard",
        _PERCENT,
        "Per cent of pupils achieving a high score in the GPS test",
    ),
    _ks2("GPS_AVERAGE", "KS2 average scaled score in grammar, punctuation and spelling", _SCORE),
    _ks2(
        "TOTPUPS", "Pupils on roll (all ages, KS2 tables)", _COUNT, "Context, not a judgement", ""
    ),
    _ks2("TELIG", "Pupils eligible for KS2 assessment", _COUNT, "The KS2 cohort", ""),
]
KEY_STAGE_4 = [
    _ks4("ATT8SCR", "KS4 Attainment 8 score", _SCORE),
    _ks4("P8MEA", "KS4 Progress 8 score", _PROGRESS, "0 is the national average"),
    _ks4("PTL2BASICS_94", "KS4 grade 4 or above in English and maths", _PERCENT),
    _ks4("PTL2BASICS_95", "KS4 grade 5 or above in English and maths", _PERCENT),
    _ks4("EBACCAPS", "KS4 EBacc average point score", _SCORE),
    _ks4("TPUP", "Pupils at the end of KS4", _COUNT, "The KS4 cohort", ""),
]
ABSENCE_SCALE = "Per cent; lower is better. England's value is per phase (primary, secondary, "
ABSENCE_SCALE += "special)"
ABSENCE = [
    MeasureSpec(
        "ABS_PERCTOT",
        "Overall absence",
        _PERCENT,
        Source.ABSENCE,
        False,
        f"Sessions missed for any reason, as a per cent of possible sessions. {ABSENCE_SCALE}",
        "PERCTOT",
    ),
    MeasureSpec(
        "ABS_PPERSABS10",
        "Persistent absence (10% or more sessions missed)",
        _PERCENT,
        Source.ABSENCE,
        False,
        f"Pupils missing 10% or more of their possible sessions. {ABSENCE_SCALE}",
        "PPERSABS10",
    ),
]
RC_SCALE = "Report card scale: Exceptional 1, Strong standard 2, Expected standard 3, "
RC_SCALE += "Needs attention 4, Urgent improvement 5"
# Report-card evaluation areas (Ofsted, from November 2025): our code and Ofsted's column.
REPORT_CARD_AREAS = {
    "INCLUSION": "Inclusion",
    "CURRICULUM_TEACHING": "Curriculum and teaching",
    "ACHIEVEMENT": "Achievement",
    "ATTENDANCE_BEHAVIOUR": "Attendance and behaviour",
    "PERSONAL_DEVELOPMENT": "Personal development and wellbeing",
    "EARLY_YEARS": "Early years (where applicable)",
    "POST16": "Post-16 provision (where applicable)",
    "LEADERSHIP": "Leadership and governance",
}


def _ofsted(code: str, label: str, unit: str, description: str) -> MeasureSpec:
    return MeasureSpec(code, label, unit, Source.OFSTED, False, description)


OFSTED = [
    _ofsted(
        "OFSTED_OE",
        "Ofsted overall effectiveness at the latest graded inspection",
        _GRADE,
        "1 Outstanding, 2 Good, 3 Requires improvement, 4 Inadequate. 'Not judged' (graded "
        "inspections from September 2024) is missing, not a grade.",
    ),
    _ofsted(
        "OFSTED_OE_PREVIOUS",
        "Ofsted overall effectiveness at the graded inspection before the latest",
        _GRADE,
        "Only when the file has a previous-inspection column (older management information).",
    ),
    _ofsted(
        "OFSTED_INSPECTION_YEARS",
        "Years since the latest inspection",
        _YEARS,
        "At the file's snapshot date; the text is the inspection's start date. The latest of "
        "every type: the latest OEIF graded inspection, the latest report-card (full) "
        "inspection and the latest ungraded inspection. Blank (NULL) when Ofsted's file has "
        "none of them.",
    ),
    _ofsted(
        "OFSTED_LATEST_TYPE",
        "Type of the latest inspection",
        _GRADE,
        "Which inspection gave the school's latest outcome: 1 graded (OFSTED_OE), 2 ungraded "
        "(OFSTED_UNGRADED), 3 report card (OFSTED_RC_*); the text names it and its date. Not a "
        "grade: use it to tell which outcome is the latest.",
    ),
    _ofsted(
        "OFSTED_CONCERN",
        "In an Ofsted category of concern",
        _SCORE,
        "1 in serious weaknesses or special measures (named in the text), 0 not in a category.",
    ),
    _ofsted(
        "OFSTED_UNGRADED",
        "Outcome of the latest ungraded inspection",
        _GRADE,
        "Text only, as Ofsted words it (for example 'School remains Good').",
    ),
    _ofsted(
        "OFSTED_RC_SAFEGUARDING",
        "Report card: safeguarding standards",
        _GRADE,
        "1 Met, 2 Not met",
    ),
    *[
        _ofsted(f"OFSTED_RC_{code}", f"Report card: {column}", _GRADE, RC_SCALE)
        for code, column in REPORT_CARD_AREAS.items()
    ],
]
GIAS = [
    MeasureSpec(
        "GIAS_OFSTED_RATING",
        "Ofsted rating recorded in GIAS",
        _GRADE,
        Source.GIAS,
        False,
        "1 Outstanding, 2 Good, 3 Requires improvement, 4 Inadequate, Serious Weaknesses or "
        "Special Measures; the text is GIAS's wording",
    ),
    MeasureSpec(
        "GIAS_OFSTED_INSPECTION_YEARS",
        "Years since the Ofsted inspection recorded in GIAS",
        _YEARS,
        Source.GIAS,
        False,
        "At the file's date; the text is GIAS's OfstedLastInsp date",
    ),
]
# Local data an officer uploads in the LA template (URN, measure, academic_year, value, note).
LA_TEMPLATE = [
    MeasureSpec("LA_ABSENCE_OVERALL", "Overall absence", _PERCENT, Source.TEMPLATE, False),
    MeasureSpec("LA_PERSISTENT_ABSENCE", "Persistent absence", _PERCENT, Source.TEMPLATE, False),
    MeasureSpec("LA_SUSPENSION_RATE", "Suspensions per 100 pupils", _SCORE, Source.TEMPLATE, False),
    MeasureSpec(
        "LA_HEADTEACHER_CHANGES",
        "Changes of headteacher in the last three years",
        _COUNT,
        Source.TEMPLATE,
        False,
    ),
    MeasureSpec(
        "LA_BUDGET_BALANCE", "Revenue balance (negative: deficit)", _POUNDS, Source.TEMPLATE
    ),
    MeasureSpec(
        "LA_SIP_JUDGEMENT",
        "School Improvement Partner's judgement",
        _GRADE,
        Source.TEMPLATE,
        False,
        "1 strong to 4 serious concern, from the SIP's latest visit",
    ),
]
CATALOGUE: list[MeasureSpec] = [
    *KEY_STAGE_2,
    *KEY_STAGE_4,
    *ABSENCE,
    *OFSTED,
    *GIAS,
    *LA_TEMPLATE,
]
BY_CODE: dict[str, MeasureSpec] = {spec.code: spec for spec in CATALOGUE}
# Performance-table columns by kind of file, and the measure each one fills.
KEY_STAGE_COLUMNS: dict[str, dict[str, str]] = {
    Source.KS2: {spec.column: spec.code for spec in KEY_STAGE_2},
    Source.KS4: {spec.column: spec.code for spec in KEY_STAGE_4},
}
ABSENCE_COLUMNS: dict[str, str] = {spec.column: spec.code for spec in ABSENCE}
_FIELDS = ["label", "unit", "source", "higher_is_better", "description"]
_SECONDARY_PHASES = {"secondary", "all_through", "16_plus"}


def national_phase(*, phase: str, type_group: str = "", gias_phase: str = "") -> str:
    """The ``NationalValue.phase`` a school is compared with where England's value is per
    phase (absence): "special" for special schools, "secondary" for secondary, all-through,
    16 plus and middle deemed secondary, "primary" for the rest of the phases that have one
    (primary, first, infant, junior, middle deemed primary, nursery); "" (no comparator) for
    alternative provision. Arguments are ``School.phase``, ``type_group`` and ``gias_phase``."""
    if type_group == "special":
        return NationalPhase.SPECIAL.value
    if type_group == "alternative_provision" or phase == "not_applicable":
        return NationalPhase.ALL.value
    if phase in _SECONDARY_PHASES or "deemed secondary" in gias_phase.lower():
        return NationalPhase.SECONDARY.value
    return NationalPhase.PRIMARY.value


def measures_ensure() -> dict[str, int]:
    """Create or update the catalogue's measures (and their cohort links); every id by code."""
    stored = {m.code: m for m in Measure.objects.filter(code__in=list(BY_CODE))}
    changed = [
        Measure(code=spec.code, **{name: getattr(spec, name) for name in _FIELDS})
        for spec in CATALOGUE
        if spec.code not in stored
        or any(getattr(stored[spec.code], name) != getattr(spec, name) for name in _FIELDS)
    ]
    if changed:
        Measure.objects.bulk_create(
            changed, update_conflicts=True, unique_fields=["code"], update_fields=_FIELDS
        )
    ids = dict(Measure.objects.values_list("code", "id"))
    cohorts = {spec.cohort for spec in CATALOGUE if spec.cohort}
    for cohort in cohorts:
        members = [spec.code for spec in CATALOGUE if spec.cohort == cohort]
        Measure.objects.filter(code__in=members).exclude(cohort_measure_id=ids[cohort]).update(
            cohort_measure_id=ids[cohort]
        )
    return ids
