"""Rule sets, runs and results built directly, as the engine would write them, for the tests of
the pages, moderation, the summary, the comparison and the API.

``explanation(...)`` has the shape of ``categorisation.engine`` explanations: a list of
indicators (value, comparator, compared, band, points, or missing with a reason) and the
triggers that fired.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import factory
from django.utils import timezone

from categorisation.counts import run_counts_store
from categorisation.models import Result, RuleSet, RuleSetStatus, Run

DEFINITION = {
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
    "year_weights": [1],
    "min_indicators": 1,
    "indicators": [
        {
            "code": "ks2_rwm",
            "label": "KS2 reading, writing and maths at the expected standard",
            "measure": "KS2_PTRWM_EXP",
            "comparison": "national",
            "bands": [{"below": -10, "points": 3, "label": "10 points or more below England"}],
        },
        {
            "code": "ofsted",
            "label": "Latest graded inspection",
            "measure": "OFSTED_OE",
            "comparison": "threshold",
            "bands": [{"above": 2, "points": 3, "label": "Requires improvement"}],
        },
    ],
    "triggers": [
        {
            "code": "ofsted_inadequate",
            "label": "Inadequate at the latest graded inspection",
            "all_of": [[{"measure": "OFSTED_OE", "op": "eq", "value": 4}]],
            "min_category": "4",
            "support_band": "high",
        }
    ],
}
# A school's category in a hand-built run: the category code, or (code, support band).
Placement = str | tuple[str, str]


def explanation(*, rwm_points: float = 0, ofsted_points: float = 0, trigger: str = "") -> dict:
    """An explanation as the engine writes it: KS2 RWM against England and the Ofsted grade;
    Ofsted missing (not judged) when it scores nothing."""
    rwm = {
        "code": "ks2_rwm",
        "label": DEFINITION["indicators"][0]["label"],
        "comparison": "national",
        "measure": "KS2_PTRWM_EXP",
        "years": "2022-2023",
        "missing": False,
        "value": 48.0 if rwm_points else 61.0,
        "comparator": 60.0,
        "compared": -12.0 if rwm_points else 1.0,
        "band": "10 points or more below England" if rwm_points else "",
        "points": float(rwm_points),
    }
    ofsted = {
        "code": "ofsted",
        "label": "Latest graded inspection",
        "comparison": "threshold",
        "measure": "OFSTED_OE",
        "years": "2023-2024",
    }
    if ofsted_points:
        ofsted.update(missing=False, value=3.0, comparator=None, compared=3.0, points=3.0)
        ofsted["band"] = "Requires improvement"
    else:
        ofsted.update(missing=True, reason="NOT_JUDGED", reason_label="Not judged")
    fired = [t for t in DEFINITION["triggers"] if t["code"] == trigger]
    return {
        "score": float(rwm_points + ofsted_points),
        "category_by_score": "1",
        "indicators_with_data": 2 if ofsted_points else 1,
        "insufficient_data": False,
        "indicators": [rwm, ofsted],
        "triggers": [
            {k: t[k] for k in ("code", "label", "min_category", "support_band")} for t in fired
        ],
    }


class RuleSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RuleSet

    name = "Partnership rules"
    version = factory.Sequence(lambda n: 100 + n)
    status = RuleSetStatus.DRAFT
    definition = factory.LazyFunction(lambda: {**DEFINITION})


class RunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Run

    rule_set = factory.SubFactory(RuleSetFactory)
    purpose = Run.Purpose.OFFICIAL
    state = Run.State.SUCCEEDED
    trigger = "Started by a test"
    started_at = factory.LazyFunction(timezone.now)
    finished_at = factory.LazyFunction(timezone.now)


class ResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Result

    run = factory.SubFactory(RunFactory)
    computed_category = "1"
    computed_support_band = ""
    score = Decimal("0")
    explanation = factory.LazyFunction(explanation)
    category = factory.SelfAttribute("computed_category")
    support_band = factory.SelfAttribute("computed_support_band")


def _result(run: Run, school, placement: Placement, *, confirmed: bool, by=None) -> Result:
    code, band = (placement, "") if isinstance(placement, str) else placement
    score = {"1": 0, "2": 3, "3": 6, "4": 12}.get(code, 0)
    trigger = "ofsted_inadequate" if code == "4" else ""
    return ResultFactory.build(
        run=run,
        school=school,
        computed_category=code,
        computed_support_band=band,
        score=Decimal(score),
        trigger=trigger,
        explanation=explanation(
            rwm_points=3 if score >= 3 else 0, ofsted_points=3 if score >= 6 else 0, trigger=trigger
        ),
        moderation=Result.Moderation.CONFIRMED if confirmed else Result.Moderation.PENDING,
        moderated_by=by if confirmed else None,
        moderated_at=timezone.now() if confirmed else None,
    )


def run_with_results(
    placements: dict,
    *,
    rule_set: RuleSet | None = None,
    purpose: str = Run.Purpose.OFFICIAL,
    agreed_days_ago: int | None = None,
    by=None,
) -> Run:
    """A succeeded run placing each school ({school: placement}); agreed (every result
    confirmed) that many days ago when ``agreed_days_ago`` is given, else all pending."""
    agreed = agreed_days_ago is not None
    when = timezone.now() - datetime.timedelta(days=agreed_days_ago or 0)
    run = RunFactory(
        rule_set=rule_set or RuleSetFactory(),
        purpose=purpose,
        created_at=when - datetime.timedelta(hours=1),
        agreed_at=when if agreed else None,
        agreed_by=by if agreed else None,
    )
    Result.objects.bulk_create(
        _result(run, school, placement, confirmed=agreed, by=by)
        for school, placement in placements.items()
    )
    run_counts_store(run=run)  # as a run does when it writes its results
    return run


@dataclass
class Categorised:
    rule_set: RuleSet
    previous: Run
    agreed: Run
    pending: Run


def build_categorised(world, officer) -> Categorised:
    """Two agreed runs and a newer one awaiting moderation, over the world's four schools:

    ========  ==================  ====================  ================
    school    previous (agreed)   current (agreed)      pending
    ========  ==================  ====================  ================
    A         2                   3, medium             1
    A2        1                   1                     2
    B         3, low              4, high (trigger)     4, high
    Z         1                   2                     2
    ========  ==================  ====================  ================
    """
    rule_set = RuleSetFactory(status=RuleSetStatus.ADOPTED, version=1)
    w = world

    def run(placements, **options) -> Run:
        schools = (w.school_a, w.school_a2, w.school_b, w.school_z)
        return run_with_results(
            dict(zip(schools, placements, strict=True)), rule_set=rule_set, by=officer, **options
        )

    return Categorised(
        rule_set=rule_set,
        previous=run(["2", "1", ("3", "low"), "1"], agreed_days_ago=60),
        agreed=run([("3", "medium"), "1", ("4", "high"), "2"], agreed_days_ago=1),
        pending=run(["1", "2", ("4", "high"), "2"]),
    )
