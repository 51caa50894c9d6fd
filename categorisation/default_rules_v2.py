"""The partnership's default rules, version 2: built for the data published now (2024/25 on).

What a board has in 2026 (see DOMAIN.md and the README's "Default rules version 2"): KS2 and
KS4 attainment every year, no KS2 progress after 2022/23 and no Progress 8 for 2024/25 or
2025/26 (the latest published Progress 8 is read with its year shown), absence from the
performance tables, Ofsted graded judgements until September 2024, ungraded inspections and
report cards from November 2025; and infant, first, nursery, special and alternative-provision
schools with no KS2 or KS4 results at all, categorised on what applies to them.

Sources of the thresholds (also in each indicator's and trigger's label):

- KS2 reading, writing and maths against England, and its three-year trend: the same bands as
  version 1 (local choices), England's value from DfE's state-funded national row.
- KS4 grade 4 or above in English and maths against England: the same bands as KS2's (points
  below England, local). Attainment 8 against England: version 1's bands.
- KS2 grammar, punctuation and spelling (``KS2_PTGPS_EXP``, ``KS2_PTGPS_HIGH``,
  ``KS2_GPS_AVERAGE``) and KS4 grade 5 or above in English and maths (``KS4_PTL2BASICS_95``) are
  in the catalogue but not scored here: GPS is not one of DfE's KS2 headline measures (reading,
  writing and maths together, and reading and maths scaled scores), and both measure the same
  pupils' attainment as an indicator already here (RWM; grade 4 English and maths), so scoring
  them too would count one weakness twice. A board may add them in the rule editor.
- Progress 8: DfE's former floor (-0.5) and coasting (-0.25) levels, *Secondary accountability
  measures* 2016 to 2019, on the latest year it was published.
- Absence against the England value of the school's own phase (DfE's absence file has one
  national row per phase). Persistent absence is DfE's measure: pupils missing 10% or more of
  sessions (*Working together to improve school attendance*, DfE 2024). The bands (points above
  England) are local choices.
- Ofsted: a grade of requires improvement or worse, an inadequate grade or category of concern
  (Ofsted, *School inspection handbook*, to August 2024). Report cards (Ofsted's renewed
  framework, from November 2025: the *School inspection toolkit* and its operating guide) grade
  each area from 1 (exceptional) to 5 (urgent improvement), with safeguarding met or not met.
  Under them a school is in a category of concern when any area is "urgent improvement" or
  safeguarding is not met ("requires significant improvement"; "special measures" when
  leadership and governance is urgent improvement as well as another area, or safeguarding is
  not met): the ``rc_urgent_improvement`` trigger, at least Intensive support, high band, for
  either. An area that "needs attention" brings Ofsted's monitoring inspections but no category:
  raising "needs attention" in leadership and governance to Focused support, and in curriculum
  and teaching, achievement or inclusion to Monitor, is a local choice.
- Years since the last inspection of any type (graded, ungraded or report card): Ofsted
  inspects good schools about every four years, so more than five means older assurance.
"""

from __future__ import annotations

from schools.models import Phase, TypeGroup

from .default_rules import DEFAULT_DEFINITION, TRIGGERS, _band

# Key stage results are judged for mainstream schools; special and alternative-provision
# schools (and nursery schools, which have no key stage results) are categorised without them.
MAINSTREAM = [TypeGroup.LA_MAINTAINED.value, TypeGroup.ACADEMY.value, TypeGroup.FREE_SCHOOL.value]
KS2_SCHOOLS = {"type_groups": MAINSTREAM, "key_stage": "ks2"}
KS4_SCHOOLS = {"type_groups": MAINSTREAM, "key_stage": "ks4"}
# The absence file covers primary, secondary and special schools of compulsory school age: not
# nursery schools, 16 to 19 schools or alternative provision.
ABSENCE_SCHOOLS = {
    "type_groups": [*MAINSTREAM, TypeGroup.SPECIAL.value],
    "phases": [
        Phase.PRIMARY.value,
        Phase.FIRST.value,
        Phase.MIDDLE.value,
        Phase.SECONDARY.value,
        Phase.ALL_THROUGH.value,
        Phase.NOT_APPLICABLE.value,
    ],
}
# Report-card areas every school is graded on (early years and post-16 only where they apply).
KEY_AREAS = ("LEADERSHIP", "CURRICULUM_TEACHING", "ACHIEVEMENT", "INCLUSION")
OTHER_AREAS = ("ATTENDANCE_BEHAVIOUR", "PERSONAL_DEVELOPMENT", "EARLY_YEARS", "POST16")
NEEDS_ATTENTION, URGENT_IMPROVEMENT = 4, 5
# OFSTED_LATEST_TYPE: 1 graded, 2 ungraded, 3 report card. A graded judgement (or GIAS's copy)
# older than the school's latest report card is not its latest outcome; without Ofsted's file
# loaded the type is missing and the graded judgement stands.
REPORT_CARD_IS_LATEST = {"measure": "OFSTED_LATEST_TYPE", "op": "eq", "value": 3}
GRADED_IS_LATEST = [
    {"measure": "OFSTED_LATEST_TYPE", "op": "ne", "value": 3},
    {"measure": "OFSTED_LATEST_TYPE", "op": "missing"},
]


def _below_england(code: str, label: str, measure: str, applies_to: dict, bands) -> dict:
    return {
        "code": code,
        "label": label,
        "measure": measure,
        "comparison": "national",
        "applies_to": applies_to,
        "bands": [_band(limit, points, text) for limit, points, text in bands],
    }


POINTS_BELOW_ENGLAND = [
    (-20, 3, "More than 20 points below England"),
    (-10, 2, "More than 10 points below England"),
    (0, 1, "Below England"),
]

INDICATORS_V2 = [
    _below_england(
        "ks2_rwm_national",
        "KS2 reading, writing and maths at the expected standard, against England",
        "KS2_PTRWM_EXP",
        KS2_SCHOOLS,
        POINTS_BELOW_ENGLAND,
    ),
    {
        "code": "ks2_rwm_trend",
        "label": "KS2 reading, writing and maths at the expected standard: three-year trend "
        "(earlier years from the latest file's prior-year columns)",
        "measure": "KS2_PTRWM_EXP",
        "comparison": "trend",
        "trend_years": 3,
        "applies_to": KS2_SCHOOLS,
        "bands": [
            _band(-10, 2, "Fell by more than 10 points"),
            _band(-5, 1, "Fell by more than 5"),
        ],
    },
    _below_england(
        "ks4_attainment8_national",
        "KS4 Attainment 8 against England",
        "KS4_ATT8SCR",
        KS4_SCHOOLS,
        [
            (-10, 3, "More than 10 points below England"),
            (-5, 2, "More than 5 points below England"),
            (0, 1, "Below England"),
        ],
    ),
    _below_england(
        "ks4_basics_national",
        "KS4 grade 4 or above in English and maths, against England",
        "KS4_PTL2BASICS_94",
        KS4_SCHOOLS,
        POINTS_BELOW_ENGLAND,
    ),
    {
        "code": "ks4_progress8",
        "label": "KS4 Progress 8 in the latest year it was published (none for 2024/25 or "
        "2025/26); former DfE floor -0.5, coasting -0.25",
        "measure": "KS4_P8MEA",
        "comparison": "threshold",
        "latest_published": True,
        "applies_to": KS4_SCHOOLS,
        "bands": [
            _band(-0.5, 4, "Below the former floor standard (-0.5), DfE 2016 to 2019"),
            _band(-0.25, 2, "Below the former coasting level (-0.25), DfE 2016 to 2019"),
        ],
    },
    _below_england(
        "absence_overall",
        "Overall absence against England's value for the school's phase",
        "ABS_PERCTOT",
        ABSENCE_SCHOOLS,
        [
            (-2, 2, "More than 2 points above England's absence for its phase"),
            (-1, 1, "More than 1 point above England's absence for its phase"),
        ],
    ),
    _below_england(
        "absence_persistent",
        "Persistent absence (pupils missing 10% or more of sessions) against England's value "
        "for the school's phase",
        "ABS_PPERSABS10",
        ABSENCE_SCHOOLS,
        [
            (-10, 2, "More than 10 points above England's persistent absence for its phase"),
            (-5, 1, "More than 5 points above England's persistent absence for its phase"),
        ],
    ),
    {
        "code": "ofsted_grade",
        "label": "Ofsted overall effectiveness at the latest graded inspection (GIAS's rating "
        "when Ofsted's own data is not loaded)",
        "measure": "OFSTED_OE",
        "fallback_measure": "GIAS_OFSTED_RATING",
        "comparison": "threshold",
        "unless": [REPORT_CARD_IS_LATEST],
        "unless_label": "a later report card inspection replaced the graded judgement",
        "bands": [_band(2, 3, "Requires improvement or worse (grade 3 or 4)", key="above")],
    },
    {
        "code": "ofsted_report_card_leadership",
        "label": "Leadership and governance at the latest report card inspection (from "
        "November 2025; 4 needs attention, 5 urgent improvement)",
        "measure": "OFSTED_RC_LEADERSHIP",
        "comparison": "threshold",
        "bands": [_band(3, 3, "Needs attention or urgent improvement", key="above")],
    },
    {
        "code": "ofsted_inspection_age",
        "label": "Years since the latest inspection of any type: graded, ungraded or report "
        "card (Ofsted inspects good schools about every four years)",
        "measure": "OFSTED_INSPECTION_YEARS",
        "fallback_measure": "GIAS_OFSTED_INSPECTION_YEARS",
        "comparison": "threshold",
        "bands": [_band(5, 1, "More than five years ago", key="above")],
    },
]


def _areas(areas, grade: int) -> list[dict]:
    return [{"measure": f"OFSTED_RC_{area}", "op": "eq", "value": grade} for area in areas]


def _kept(*codes: str) -> list[dict]:
    """Version 1's graded-judgement triggers, not fired once a report card is the latest."""
    return [
        {**trigger, "all_of": [*trigger["all_of"], GRADED_IS_LATEST]}
        for trigger in TRIGGERS
        if trigger["code"] in codes
    ]


TRIGGERS_V2 = [
    *_kept("ofsted_inadequate", "gias_inadequate"),
    {
        "code": "rc_urgent_improvement",
        "label": "Urgent improvement in any report card area, or safeguarding not met (Ofsted, "
        "report cards from November 2025: a category of concern)",
        "all_of": [
            [
                *_areas(KEY_AREAS + OTHER_AREAS, URGENT_IMPROVEMENT),
                {"measure": "OFSTED_RC_SAFEGUARDING", "op": "eq", "value": 2},
            ]
        ],
        "min_category": "4",
        "support_band": "high",
    },
    {
        "code": "rc_leadership_needs_attention",
        "label": "Needs attention in leadership and governance at the latest report card "
        "(local: Ofsted monitors the school; leaders' capacity to improve it is in question)",
        "all_of": [_areas(["LEADERSHIP"], NEEDS_ATTENTION)],
        "min_category": "3",
        "support_band": "medium",
    },
    {
        "code": "rc_key_area_needs_attention",
        "label": "Needs attention in curriculum and teaching, achievement or inclusion at the "
        "latest report card (local)",
        "all_of": [_areas(KEY_AREAS[1:], NEEDS_ATTENTION)],
        "min_category": "2",
    },
    *_kept("ofsted_stuck", "ofsted_ri_twice"),
]

DEFAULT_DEFINITION_V2: dict = {
    "categories": DEFAULT_DEFINITION["categories"],
    "support_bands": DEFAULT_DEFINITION["support_bands"],
    "min_cohort": 11,
    "year_weights": [3, 2, 1],
    "min_indicators": 2,
    "indicators": INDICATORS_V2,
    "triggers": TRIGGERS_V2,
}
