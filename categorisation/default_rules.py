"""The partnership's default rule set, modelled on published definitions, and the service that
adopts it when there are no rules yet.

Sources of the thresholds (each is also named in the indicator's or trigger's label):

- KS2 floor and coasting standards: DfE, *Primary school accountability in 2019* (and the 2016
  to 2018 editions). Floor: under 65% of pupils at the expected standard in reading, writing and
  maths AND progress below -5 in reading, -5 in maths or -7 in writing. Coasting: under 85% in
  each of three years AND progress below -2.5 in reading, -2.5 in maths or -3.5 in writing in
  each of them. Both applied only to schools with 11 or more eligible pupils ("min_cohort").
  Neither has been used since 2019 (progress scores were not published after it): here they
  mark schools of concern, not statutory intervention.
- KS4 floor and coasting standards: DfE, *Secondary accountability measures* (2018 and 2019):
  floor Progress 8 below -0.5; coasting Progress 8 below -0.25 in each of three years.
- Ofsted grades 1 to 4 and the categories of concern (serious weaknesses, special measures):
  Ofsted, *School inspection handbook* (to August 2024). Report cards from November 2025 grade
  areas on a five-point scale; "Urgent improvement" is the lowest: Ofsted, *School inspection
  toolkit* (November 2025).
- "Stuck" schools (requires improvement at the latest inspection and below good at the one
  before) are in scope of DfE's Regional Improvement for Standards and Excellence (RISE) teams:
  DfE, *School accountability and improvement: RISE* (2025).
- More than five years since the last graded inspection: Ofsted inspects good schools about
  every four years (*School inspection handbook*), so a longer gap means older assurance.
- The category names echo West Sussex's "focused support" schools and its High / Medium / Low
  tariff (Isos Partnership, *Enabling School Improvement*, 2018).
"""

from __future__ import annotations

import copy

from django.db import transaction
from django.utils import timezone

from .models import RuleSet, RuleSetStatus

DEFAULT_NAME = "Partnership default rules"
KS2_PROGRESS = (("KS2_READPROG", -5, -2.5), ("KS2_MATPROG", -5, -2.5), ("KS2_WRITPROG", -7, -3.5))
REPORT_CARD_AREAS = (
    "INCLUSION",
    "CURRICULUM_TEACHING",
    "ACHIEVEMENT",
    "ATTENDANCE_BEHAVIOUR",
    "PERSONAL_DEVELOPMENT",
    "EARLY_YEARS",
    "POST16",
    "LEADERSHIP",
)


def _band(limit: float, points: int, label: str, *, key: str = "below") -> dict:
    return {key: limit, "points": points, "label": label}


def _progress_indicator(measure: str, floor: float, coasting: float) -> dict:
    subject = {"KS2_READPROG": "reading", "KS2_MATPROG": "maths", "KS2_WRITPROG": "writing"}[
        measure
    ]
    return {
        "code": f"ks2_{subject}_progress",
        "label": f"KS2 {subject} progress (former DfE floor {floor:g}, coasting {coasting:g})",
        "measure": measure,
        "comparison": "threshold",
        "bands": [
            _band(floor, 3, f"Below the former floor standard ({floor:g}), DfE 2016 to 2019"),
            _band(coasting, 1, f"Below the former coasting level ({coasting:g}), DfE 2016 to 2019"),
        ],
    }


INDICATORS = [
    {
        "code": "ks2_rwm_national",
        "label": "KS2 reading, writing and maths at the expected standard, against England",
        "measure": "KS2_PTRWM_EXP",
        "comparison": "national",
        "bands": [
            _band(-20, 3, "More than 20 points below England"),
            _band(-10, 2, "More than 10 points below England"),
            _band(0, 1, "Below England"),
        ],
    },
    *[_progress_indicator(*progress) for progress in KS2_PROGRESS],
    {
        "code": "ks2_rwm_trend",
        "label": "KS2 reading, writing and maths at the expected standard: three-year trend",
        "measure": "KS2_PTRWM_EXP",
        "comparison": "trend",
        "trend_years": 3,
        "bands": [
            _band(-10, 2, "Fell by more than 10 points"),
            _band(-5, 1, "Fell by more than 5"),
        ],
    },
    {
        "code": "ks4_progress8",
        "label": "KS4 Progress 8 (former DfE floor -0.5, coasting -0.25)",
        "measure": "KS4_P8MEA",
        "comparison": "threshold",
        "bands": [
            _band(-0.5, 4, "Below the former floor standard (-0.5), DfE 2016 to 2019"),
            _band(-0.25, 2, "Below the former coasting level (-0.25), DfE 2016 to 2019"),
        ],
    },
    {
        "code": "ks4_attainment8_national",
        "label": "KS4 Attainment 8 against England",
        "measure": "KS4_ATT8SCR",
        "comparison": "national",
        "bands": [
            _band(-10, 3, "More than 10 points below England"),
            _band(-5, 2, "More than 5 points below England"),
            _band(0, 1, "Below England"),
        ],
    },
    {
        "code": "ks4_attainment8_trend",
        "label": "KS4 Attainment 8: three-year trend",
        "measure": "KS4_ATT8SCR",
        "comparison": "trend",
        "trend_years": 3,
        "bands": [
            _band(-5, 2, "Fell by more than 5 points"),
            _band(-2.5, 1, "Fell by more than 2.5"),
        ],
    },
    {
        "code": "ofsted_grade",
        "label": "Ofsted overall effectiveness at the latest graded inspection (GIAS's rating "
        "when Ofsted's own data is not loaded)",
        "measure": "OFSTED_OE",
        "fallback_measure": "GIAS_OFSTED_RATING",
        "comparison": "threshold",
        "bands": [_band(2, 3, "Requires improvement or worse (grade 3 or 4)", key="above")],
    },
    {
        "code": "ofsted_inspection_age",
        "label": "Years since the latest graded inspection (Ofsted inspects good schools about "
        "every four years)",
        "measure": "OFSTED_INSPECTION_YEARS",
        "fallback_measure": "GIAS_OFSTED_INSPECTION_YEARS",
        "comparison": "threshold",
        "bands": [_band(5, 1, "More than five years ago", key="above")],
    },
]


def _progress_conditions(years_back: int, *, coasting: bool) -> list[dict]:
    return [
        {
            "measure": code,
            "op": "lt",
            "value": coast if coasting else floor,
            "years_back": years_back,
        }
        for code, floor, coast in KS2_PROGRESS
    ]


def _rwm_below(limit: int, years_back: int = 0) -> list[dict]:
    return [{"measure": "KS2_PTRWM_EXP", "op": "lt", "value": limit, "years_back": years_back}]


def _ofsted(measure: str, op: str, value) -> list[dict]:
    return [{"measure": measure, "op": op, "value": value}]


TRIGGERS = [
    {
        "code": "ofsted_inadequate",
        "label": "Inadequate at the latest graded inspection, or in serious weaknesses or "
        "special measures (Ofsted school inspection handbook)",
        "all_of": [[*_ofsted("OFSTED_OE", "eq", 4), *_ofsted("OFSTED_CONCERN", "eq", 1)]],
        "min_category": "4",
        "support_band": "high",
    },
    {
        "code": "gias_inadequate",
        "label": "Inadequate, serious weaknesses or special measures in GIAS's Ofsted rating "
        "(used when Ofsted's own data is not loaded)",
        "all_of": [
            [{"measure": "OFSTED_OE", "op": "missing"}],
            _ofsted("GIAS_OFSTED_RATING", "eq", 4),
        ],
        "min_category": "4",
        "support_band": "high",
    },
    {
        "code": "ofsted_urgent_improvement",
        "label": "Urgent improvement in any report card area (Ofsted, from November 2025)",
        "all_of": [[_ofsted(f"OFSTED_RC_{area}", "eq", 5)[0] for area in REPORT_CARD_AREAS]],
        "min_category": "4",
        "support_band": "high",
    },
    {
        "code": "ofsted_stuck",
        "label": "Requires improvement at the latest inspection and below good at the one "
        "before: a 'stuck' school in scope of DfE's RISE teams (2025)",
        "all_of": [_ofsted("OFSTED_OE", "eq", 3), _ofsted("OFSTED_OE_PREVIOUS", "gte", 3)],
        "min_category": "3",
        "support_band": "medium",
    },
    {
        "code": "ofsted_ri_twice",
        "label": "Requires improvement at the last two graded inspections",
        "all_of": [_ofsted("OFSTED_OE", "eq", 3), _ofsted("OFSTED_OE_PREVIOUS", "eq", 3)],
        "min_category": "3",
    },
    {
        "code": "ks2_floor",
        "label": "Below the former KS2 floor standard: under 65% in reading, writing and maths "
        "and progress below -5 reading, -5 maths or -7 writing (DfE 2016 to 2019)",
        "all_of": [_rwm_below(65), _progress_conditions(0, coasting=False)],
        "min_category": "3",
    },
    {
        "code": "ks2_coasting",
        "label": "The former KS2 coasting standard: under 85% in reading, writing and maths and "
        "progress below -2.5 reading, -2.5 maths or -3.5 writing, in each of three years "
        "(DfE 2016 to 2019)",
        "all_of": [
            part
            for back in range(3)
            for part in (_rwm_below(85, back), _progress_conditions(back, coasting=True))
        ],
        "min_category": "2",
    },
]

DEFAULT_DEFINITION: dict = {
    "categories": [
        {"code": "1", "label": "Universal support", "min_score": 0, "focused": False},
        {"code": "2", "label": "Monitor", "min_score": 3, "focused": False},
        {"code": "3", "label": "Focused support", "min_score": 6, "focused": True},
        {"code": "4", "label": "Intensive support", "min_score": 10, "focused": True},
    ],
    "support_bands": [
        {"band": "low", "min_score": 0},
        {"band": "medium", "min_score": 9},
        {"band": "high", "min_score": 12},
    ],
    "min_cohort": 11,
    "year_weights": [3, 2, 1],
    "min_indicators": 2,
    "indicators": INDICATORS,
    "triggers": TRIGGERS,
}


def default_definition() -> dict:
    """A fresh copy of the default definition (callers may change it)."""
    return copy.deepcopy(DEFAULT_DEFINITION)


@transaction.atomic
def default_rules_load(*, by=None) -> RuleSet | None:
    """Adopt the default rule set as version 1 when there are no rule sets at all (else None).

    It is adopted directly, without a run: a run starts when performance data is uploaded or an
    officer starts one.
    """
    from .measures import measures_ensure

    measures_ensure()
    if RuleSet.objects.exists():
        return None
    rule_set = RuleSet(
        name=DEFAULT_NAME,
        version=1,
        status=RuleSetStatus.ADOPTED,
        definition=default_definition(),
        notes="Modelled on DfE's former floor and coasting standards, Ofsted judgements and "
        "DfE's RISE 'stuck schools'; see each indicator's and trigger's description.",
        created_by=by,
        adopted_at=timezone.now(),
        adopted_by=by,
    )
    rule_set._history_user = by
    rule_set.save()
    return rule_set


DEFAULT_NAME_V2 = "Partnership default rules, version 2 (data published from 2024/25)"


@transaction.atomic
def default_rules_v2_load(*, by=None) -> RuleSet | None:
    """Add the default rules' version 2 (``default_rules_v2``) as a draft with the next version
    number, once (None when a rule set of that name exists), so a board can try it as a what-if
    run before adopting it."""
    from .default_rules_v2 import DEFAULT_DEFINITION_V2
    from .measures import measures_ensure

    measures_ensure()
    # Locking the newest version serialises this with concurrent copies, as rule_set_create_draft.
    newest = RuleSet.objects.select_for_update().order_by("-version").first()
    if RuleSet.objects.filter(name=DEFAULT_NAME_V2).exists():
        return None
    rule_set = RuleSet(
        name=DEFAULT_NAME_V2,
        version=(newest.version if newest else 0) + 1,
        status=RuleSetStatus.DRAFT,
        definition=copy.deepcopy(DEFAULT_DEFINITION_V2),
        notes="Built for the data published now: KS2 and KS4 attainment against England, "
        "Progress 8 in its latest published year, absence against England's value for the "
        "school's phase, Ofsted judgements and report cards; key stage measures apply only to "
        "the schools that teach the end of the key stage. See the README for each source.",
        created_by=by,
    )
    rule_set._history_user = by
    rule_set.save()
    return rule_set
