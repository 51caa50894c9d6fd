"""The shape of a rule set's ``definition``: validation with messages a user can act on, and
small typed views of it for the engine and the forms.

A definition (see the README's "Risk categorisation" section for the whole contract)::

    {"categories": [{"code", "label", "min_score", "focused"}, ...],   # best first
     "support_bands": [{"band": "low" | "medium" | "high", "min_score"}, ...],
     "min_cohort": 11, "year_weights": [3, 2, 1], "min_indicators": 2,
     "indicators": [{"code", "label", "measure", "comparison", "trend_years", "bands",
                     "fallback_measure"}, ...],
     "triggers": [{"code", "label", "all_of": [[condition, ...], ...], "min_category",
                   "support_band"}, ...]}

An "in" condition lists its texts as ``texts`` (as the rule editor writes them; a list given
as ``value`` is read too). Beyond the shared contract: a band may say ``above`` instead of
``below`` (for a measure where a higher number is worse, such as an Ofsted grade or years since
inspection); an indicator may name a ``fallback_measure`` used for a school whose ``measure`` is
missing (GIAS's Ofsted rating when Ofsted's own data is not loaded); a condition may say
``years_back`` (0 = the measure's latest year with data, 1 = the one before...) so a trigger can
test "in each of three years"; an indicator or trigger may say which schools it
``applies_to`` (phases, type groups, a key stage: see ``categorisation.applicability``); an
indicator may say ``latest_published: true`` to use only its measure's latest published year,
even when its source has newer years without it (Progress 8: none for 2024/25 or 2025/26);
and ``unless``: conditions (as a trigger's) under which it is not used for a school, with
``unless_label`` saying why (an older graded judgement once a report card is the latest).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from numbers import Real

from .applicability import AppliesTo, applies_to_parse, validate_applies_to

COMPARISONS = ("threshold", "national", "trend")
BANDS = ("low", "medium", "high")
NUMBER_OPS = ("lt", "lte", "gt", "gte", "eq", "ne")
OPS = (*NUMBER_OPS, "in", "missing")
MAX_YEARS_BACK = 5


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    min_score: float
    focused: bool


@dataclass(frozen=True)
class SupportBand:
    band: str
    min_score: float


@dataclass(frozen=True)
class Band:
    """Points for a compared number under ``below`` (or over ``above``)."""

    points: float
    label: str
    below: float | None = None
    above: float | None = None

    @property
    def limit(self) -> float:
        return self.below if self.below is not None else self.above


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    measure: str
    comparison: str
    bands: tuple[Band, ...]
    trend_years: int = 3
    fallback_measure: str | None = None
    applies_to: AppliesTo = AppliesTo()
    latest_published: bool = False
    unless: tuple[Condition, ...] = ()
    unless_label: str = ""


@dataclass(frozen=True)
class Condition:
    measure: str
    op: str
    value: object = None
    years_back: int = 0


@dataclass(frozen=True)
class Trigger:
    code: str
    label: str
    all_of: tuple[tuple[Condition, ...], ...]
    min_category: str
    support_band: str = ""
    applies_to: AppliesTo = AppliesTo()


@dataclass(frozen=True)
class Definition:
    categories: tuple[Category, ...]
    support_bands: tuple[SupportBand, ...]
    indicators: tuple[Indicator, ...]
    triggers: tuple[Trigger, ...]
    min_cohort: int = 0
    year_weights: tuple[float, ...] = (1,)
    min_indicators: int = 1
    measures: frozenset[str] = field(default=frozenset())
    # Measures read at their latest published year only, never marked stale.
    latest_published: frozenset[str] = field(default=frozenset())

    def category_index(self, code: str) -> int:
        return [c.code for c in self.categories].index(code)


def _indicator_parse(item: dict) -> Indicator:
    bands = tuple(
        Band(b["points"], b.get("label", ""), b.get("below"), b.get("above")) for b in item["bands"]
    )
    return Indicator(
        code=item["code"],
        label=item.get("label", item["code"]),
        measure=item["measure"],
        comparison=item["comparison"],
        bands=bands,
        trend_years=int(item.get("trend_years", 3)),
        fallback_measure=item.get("fallback_measure") or None,
        applies_to=applies_to_parse(item),
        latest_published=bool(item.get("latest_published")),
        unless=tuple(_condition_parse(c) for c in item.get("unless") or []),
        unless_label=item.get("unless_label") or "",
    )


def _condition_parse(item: dict) -> Condition:
    value = tuple(condition_texts(item)) if item["op"] == "in" else item.get("value")
    return Condition(item["measure"], item["op"], value, int(item.get("years_back", 0)))


def _trigger_parse(item: dict) -> Trigger:
    return Trigger(
        code=item["code"],
        label=item.get("label", item["code"]),
        all_of=tuple(tuple(_condition_parse(c) for c in group) for group in item["all_of"]),
        min_category=str(item["min_category"]),
        support_band=item.get("support_band") or "",
        applies_to=applies_to_parse(item),
    )


def definition_parse(definition: dict) -> Definition:
    """A validated definition as typed objects (raises ``ValueError`` on an invalid one)."""
    if problems := validate_definition(definition, check_measures=False):
        raise ValueError("; ".join(problems))
    categories = [
        Category(
            str(c["code"]), c.get("label", str(c["code"])), c["min_score"], bool(c.get("focused"))
        )
        for c in definition["categories"]
    ]
    bands = [SupportBand(b["band"], b["min_score"]) for b in definition.get("support_bands") or []]
    indicators = tuple(_indicator_parse(i) for i in definition.get("indicators") or [])
    latest = {code for i in indicators if i.latest_published for code in _codes(i)}
    return Definition(
        categories=tuple(categories),
        support_bands=tuple(bands),
        indicators=indicators,
        triggers=tuple(_trigger_parse(t) for t in definition.get("triggers") or []),
        min_cohort=int(definition.get("min_cohort") or 0),
        year_weights=tuple(definition.get("year_weights") or (1,)),
        min_indicators=int(definition.get("min_indicators", 1)),
        measures=frozenset(definition_measures(definition)),
        latest_published=frozenset(latest),
    )


def _codes(indicator: Indicator) -> list[str]:
    return [code for code in (indicator.measure, indicator.fallback_measure) if code]


def definition_measures(definition: dict) -> set[str]:
    """Every measure code an indicator or trigger of the definition reads."""
    codes = set()
    for indicator in definition.get("indicators", []) or []:
        codes.update(filter(None, [indicator.get("measure"), indicator.get("fallback_measure")]))
        unless = indicator.get("unless") if isinstance(indicator, dict) else None
        codes.update(c.get("measure") for c in unless or [] if isinstance(c, dict))
    for trigger in definition.get("triggers", []) or []:
        for group in trigger.get("all_of", []) or []:
            codes.update(c.get("measure") for c in group or [] if isinstance(c, dict))
    return {code for code in codes if isinstance(code, str) and code}


def condition_texts(condition: dict):
    """The texts an "in" condition looks for: ``texts`` (as the rule editor writes them) or a
    list given as ``value``."""
    texts = condition.get("texts")
    return texts if texts is not None else condition.get("value")


def _is_texts(value) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value)


def _is_number(value) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool)


def _name(kind: str, item, position: int) -> str:
    code = item.get("code") if isinstance(item, dict) else None
    return f"{kind} '{code}'" if code else f"{kind} {position}"


def _duplicates(codes: Iterable) -> list:
    return sorted(code for code, n in Counter(codes).items() if n > 1 and code)


def _validate_categories(definition: dict) -> list[str]:
    categories = definition.get("categories")
    if not isinstance(categories, list) or not categories:
        return ["Add at least one category"]
    problems = []
    for n, category in enumerate(categories, start=1):
        if not isinstance(category, dict) or not str(category.get("code", "")).strip():
            problems.append(f"Category {n}: enter a code")
        elif not _is_number(category.get("min_score")):
            problems.append(f"{_name('Category', category, n)}: enter a minimum score as a number")
    if problems:
        return problems
    codes = [str(c["code"]) for c in categories]
    problems += [f"Category codes must be unique: '{c}' is used twice" for c in _duplicates(codes)]
    scores = [c["min_score"] for c in categories]
    if scores[0] != 0:
        problems.append("The first category must start at a score of 0, so every school has one")
    if any(later <= earlier for earlier, later in zip(scores, scores[1:], strict=False)):
        problems.append(
            "Categories overlap or are out of order: list them best first, each with a higher "
            "minimum score than the one before"
        )
    return problems


def _validate_support_bands(definition: dict) -> list[str]:
    bands = definition.get("support_bands") or []
    focused = any(
        c.get("focused") for c in definition.get("categories") or [] if isinstance(c, dict)
    )
    if not isinstance(bands, list):
        return ["Support bands must be a list"]
    if focused and not bands:
        return ["Add support bands (low, medium, high) for the focused support categories"]
    problems = []
    for n, band in enumerate(bands, start=1):
        if not isinstance(band, dict) or band.get("band") not in BANDS:
            problems.append(f"Support band {n}: choose low, medium or high")
        elif not _is_number(band.get("min_score")):
            problems.append(f"Support band '{band['band']}': enter a minimum score as a number")
    if problems:
        return problems
    names = [b["band"] for b in bands]
    problems += [f"Support band '{b}' is listed twice" for b in _duplicates(names)]
    ranks = [BANDS.index(name) for name in names]
    scores = [b["min_score"] for b in bands]
    ordered = all(a < b for a, b in zip(ranks, ranks[1:], strict=False)) and all(
        a < b for a, b in zip(scores, scores[1:], strict=False)
    )
    if not ordered:
        problems.append(
            "Support bands overlap or are out of order: list low, medium, high with rising "
            "minimum scores"
        )
    return problems


def _validate_settings(definition: dict) -> list[str]:
    problems = []
    min_cohort = definition.get("min_cohort", 0)
    if min_cohort is not None and (not isinstance(min_cohort, int) or min_cohort < 0):
        problems.append("The minimum cohort must be a whole number of pupils, 0 or more")
    weights = definition.get("year_weights")
    if weights is not None and (
        not isinstance(weights, list)
        or not weights
        or not all(_is_number(w) and w > 0 for w in weights)
    ):
        problems.append("Year weights must be a list of positive numbers, newest year first")
    min_indicators = definition.get("min_indicators", 1)
    if not isinstance(min_indicators, int) or min_indicators < 0:
        problems.append("The minimum number of indicators must be a whole number, 0 or more")
    return problems


def _validate_bands(name: str, bands) -> list[str]:
    if not isinstance(bands, list) or not bands:
        return [f"{name}: add at least one band"]
    problems, keys = [], set()
    for n, band in enumerate(bands, start=1):
        if not isinstance(band, dict):
            problems.append(f"{name}, band {n}: enter a limit and points")
            continue
        limits = [k for k in ("below", "above") if k in band]
        if len(limits) != 1 or not _is_number(band[limits[0]]):
            problems.append(f"{name}, band {n}: enter either 'below' or 'above' as a number")
            continue
        keys.add(limits[0])
        if not _is_number(band.get("points")) or band["points"] < 0:
            problems.append(f"{name}, band {n}: enter the points as a number, 0 or more")
    if problems:
        return problems
    if len(keys) > 1:
        return [f"{name}: use 'below' for every band or 'above' for every band, not both"]
    key = keys.pop()
    limits = [band[key] for band in bands]
    rising = all(a < b for a, b in zip(limits, limits[1:], strict=False))
    falling = all(a > b for a, b in zip(limits, limits[1:], strict=False))
    if not (rising if key == "below" else falling):
        problems.append(
            f"{name}: bands overlap or are out of order: list the worst band first "
            f"({'lowest' if key == 'below' else 'highest'} limit first, no repeats)"
        )
    return problems


def _validate_indicator(name: str, indicator: dict, known) -> list[str]:
    problems = []
    for key in ("measure", "fallback_measure"):
        code = indicator.get(key)
        if key == "measure" and not code:
            problems.append(f"{name}: choose a measure")
        elif code and known is not None and code not in known:
            problems.append(f"{name}: the measure '{code}' is not in the measure catalogue")
    comparison = indicator.get("comparison")
    if comparison not in COMPARISONS:
        problems.append(f"{name}: the comparison must be threshold, national or trend")
    if comparison == "trend":
        years = indicator.get("trend_years", 3)
        if not isinstance(years, int) or years < 2:
            problems.append(f"{name}: a trend needs at least 2 years (trend_years)")
    if not isinstance(indicator.get("latest_published", False), bool):
        problems.append(f"{name}: 'latest published year only' must be true or false")
    problems += validate_applies_to(name, indicator.get("applies_to"))
    unless = indicator.get("unless") or []
    if not isinstance(unless, list):
        problems.append(f"{name}: 'unless' must be a list of conditions")
    else:
        problems += [p for c in unless for p in _validate_condition(name, c, known)]
    return problems + _validate_bands(name, indicator.get("bands"))


def _validate_condition(name: str, condition, known) -> list[str]:
    if not isinstance(condition, dict):
        return [f"{name}: each condition needs a measure and an operator"]
    problems = []
    code, op, value = condition.get("measure"), condition.get("op"), condition.get("value")
    if not code:
        problems.append(f"{name}: choose a measure for each condition")
    elif known is not None and code not in known:
        problems.append(f"{name}: the measure '{code}' is not in the measure catalogue")
    if op not in OPS:
        problems.append(f"{name}: the operator must be one of {', '.join(OPS)}")
    elif op in NUMBER_OPS and not _is_number(value):
        problems.append(f"{name}: '{op}' on {code} needs a number to compare with")
    elif op == "in" and not _is_texts(condition_texts(condition)):
        problems.append(f"{name}: 'is one of' on {code} needs a list of texts")
    years_back = condition.get("years_back", 0)
    if not isinstance(years_back, int) or not 0 <= years_back <= MAX_YEARS_BACK:
        problems.append(f"{name}: years_back must be a whole number from 0 to {MAX_YEARS_BACK}")
    return problems


def _validate_trigger(name: str, trigger: dict, categories: dict | None, known) -> list[str]:
    """A trigger's problems; its category is only checked once the categories are valid."""
    problems = []
    groups = trigger.get("all_of")
    if (
        not isinstance(groups, list)
        or not groups
        or not all(isinstance(g, list) and g for g in groups)
    ):
        problems.append(f"{name}: add at least one condition (all_of is a list of lists)")
    else:
        for group in groups:
            for condition in group:
                problems += _validate_condition(name, condition, known)
    problems += validate_applies_to(name, trigger.get("applies_to"))
    minimum = str(trigger.get("min_category", ""))
    if categories is None:
        return problems
    if minimum not in categories:
        problems.append(f"{name}: the minimum category '{minimum}' is not one of the categories")
    band = trigger.get("support_band") or ""
    if band and band not in BANDS:
        problems.append(f"{name}: the support band must be low, medium or high")
    elif band and minimum in categories and not categories[minimum]:
        problems.append(
            f"{name}: a support band needs a focused support category, and '{minimum}' is not one"
        )
    return problems


def _validate_items(definition: dict, categories: dict | None, known) -> list[str]:
    problems = []
    indicators = definition.get("indicators") or []
    triggers = definition.get("triggers") or []
    if not isinstance(indicators, list) or not isinstance(triggers, list):
        return ["Indicators and triggers must be lists"]
    if not indicators and not triggers:
        problems.append("Add at least one indicator or trigger")
    for kind, items in (("Indicator", indicators), ("Trigger", triggers)):
        for n, item in enumerate(items, start=1):
            name = _name(kind, item, n)
            if not isinstance(item, dict) or not str(item.get("code", "")).strip():
                problems.append(f"{kind} {n}: enter a code")
            elif kind == "Indicator":
                problems += _validate_indicator(name, item, known)
            else:
                problems += _validate_trigger(name, item, categories, known)
    codes = [i.get("code") for i in [*indicators, *triggers] if isinstance(i, dict)]
    problems += [
        f"Indicator and trigger codes must be unique: '{c}' is used twice"
        for c in _duplicates(codes)
    ]
    return problems


def validate_definition(
    definition, *, measure_codes: Iterable[str] | None = None, check_measures: bool = True
) -> list[str]:
    """Every problem with a rule-set definition, as messages a user can act on ([] = valid).

    Measure codes are checked against ``measure_codes`` or, by default, the measure catalogue.
    """
    if not isinstance(definition, dict):
        return ["The definition must be an object with categories, indicators and triggers"]
    known = None
    if check_measures:
        if measure_codes is None:
            from .models import Measure

            measure_codes = Measure.objects.values_list("code", flat=True)
        known = set(measure_codes)
    problems = _validate_categories(definition)
    # Focused or not, by code; None while the categories themselves have problems.
    categories = (
        None
        if problems
        else {str(c["code"]): bool(c.get("focused")) for c in definition["categories"]}
    )
    problems += _validate_support_bands(definition)
    problems += _validate_settings(definition)
    problems += _validate_items(definition, categories, known)
    return problems
