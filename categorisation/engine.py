"""The categorisation engine: one rule set applied to every school at once, with pandas.

Pure computation, no database: ``runs.run_execute`` loads the data into DataFrames and writes
the results. Everything is vectorised over schools; the only Python loops are over the rule
set's indicators, triggers and years.

Decisions (also in the README):

- "Latest" is decided per measure: its newest academic year with any data for any school, then
  the years before it that have data (so 2019/20 and 2020/21, which have none, are skipped).
  A measure whose newest year is older than that of other measures from the same source (KS2
  progress after 2019, while KS2 attainment has 2023 data) is not used at all: the run notes it.
- Year weights (3:2:1 newest first) apply to key stage measures; Ofsted and GIAS measures are
  snapshots, so only their latest value counts. A weighted value needs the latest year: a school
  whose latest value is suppressed is missing, never filled in from older years.
- A missing value contributes nothing and is shown as missing with its reason; a school with
  fewer indicators with data than ``min_indicators`` (and no trigger) has insufficient data.
- An indicator or trigger that does not apply to a school (``applies_to``: KS2 for an infant
  school) is "not applicable", not missing: it scores nothing and is left out of the school's
  count, so a school to which fewer than ``min_indicators`` indicators apply needs all of them
  (at least one). Its explanation says why when it has insufficient data. So is an indicator
  whose ``unless`` holds for a school (an older graded judgement once a report card is later).
- England's value is the school's own phase's where the national rows give phases (absence),
  else the all-phase value.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .applicability import (
    NOT_APPLICABLE,
    NOT_USED,
    applicable,
    national_phase_name,
    national_phases,
)
from .definition import BANDS, Definition, Indicator, Trigger, definition_parse
from .explanations import explanations_build
from .models import MissingReason

SNAPSHOT_SOURCES = frozenset({"ofsted", "gias"})
# The small-cohort guard's pupil count when the catalogue does not name one for a measure.
DEFAULT_COHORT = {"ks2": "KS2_TELIG", "ks4": "KS4_TPUP"}
COUNT_MEASURES = frozenset({"KS2_TELIG", "KS2_TOTPUPS", "KS4_TPUP"})
NUMBER_OPS = {
    "lt": lambda v, x: v < x,
    "lte": lambda v, x: v <= x,
    "gt": lambda v, x: v > x,
    "gte": lambda v, x: v >= x,
    "eq": lambda v, x: v == x,
    "ne": lambda v, x: v.notna() & (v != x),
}


@dataclass
class Cell:
    """One measure in one of its years, for every school."""

    year: str | None
    value: pd.Series
    text: pd.Series
    reason: pd.Series


class Cells:
    """The values as wide tables (school × measure and year) with the rules' view of years."""

    def __init__(self, values, national, schools, measures, rules: Definition):
        self.index = pd.Index(schools["school_id"].to_numpy(), name="school_id")
        self.rules, self.notes, self.stale = rules, [], set()
        self.schools = schools
        self.phase = national_phases(schools, self.index)
        self.info = _measure_info(measures, rules.measures)
        needed = set(rules.measures) | {c for c in self.info["cohort"].dropna()}
        values = values[values["measure"].isin(needed)]
        self.years = self._years(values)
        self._spread(values)
        self.national = _national_by_phase(national)

    def _spread(self, values: pd.DataFrame) -> None:
        """Wide arrays (school × measure-year) of values, texts and reasons; None: no row."""
        rows = self.index.get_indexer(values["school_id"])
        values = values[rows >= 0]
        rows = rows[rows >= 0]
        measure, measures = pd.factorize(values["measure"].astype(str))
        year, years = pd.factorize(values["academic_year"].astype(str))
        codes, pairs = pd.factorize(measure * len(years) + year)
        self.columns = {
            (measures[pair // len(years)], years[pair % len(years)]): n
            for n, pair in enumerate(pairs)
        }
        shape = (len(self.index), len(pairs))
        self.value = np.full(shape, np.nan)
        self.value[rows, codes] = values["value"].to_numpy(dtype="float64", na_value=np.nan)
        self.text, self.reason = np.full(shape, None, object), np.full(shape, None, object)
        self.text[rows, codes] = values["text"].to_numpy(dtype=object)
        self.reason[rows, codes] = values["missing_reason"].to_numpy(dtype=object)

    def _years(self, values: pd.DataFrame) -> dict[str, list[str]]:
        """Each measure's years with data, newest first; [] for a stale or empty measure."""
        with_data = values.loc[
            values["value"].notna() | values["text"].ne(""), ["measure", "academic_year"]
        ].drop_duplicates()
        years: dict[str, list[str]] = {}
        for measure, year in zip(with_data["measure"], with_data["academic_year"], strict=True):
            years.setdefault(str(measure), []).append(str(year))
        years = {measure: sorted(found, reverse=True) for measure, found in years.items()}
        newest: dict[str, str] = {}
        for code in self.rules.measures:
            if years.get(code):
                source = self.info.at[code, "source"]
                newest[source] = max(newest.get(source, ""), years[code][0])
        for code in sorted(self.rules.measures):
            source = self.info.at[code, "source"]
            if not years.get(code):
                self.notes.append(f"{code} has no data, so the rules could not use it")
            elif years[code][0] < newest[source] and code not in self.rules.latest_published:
                self.notes.append(
                    f"{code} has no data for {newest[source]} (its latest is {years[code][0]}), "
                    "so the rules did not use it"
                )
                years[code] = []
                self.stale.add(code)
        return years

    def applicable(self, item: Indicator | Trigger) -> pd.Series:
        return applicable(self.schools, item.applies_to, self.index)

    def national_value(self, code: str, year: str | None) -> pd.Series:
        """England's value for each school: its phase's, else the all-phase one (NaN: none)."""
        values = self.national.get((code, year), {})
        overall = values.get("", np.nan)
        phased = {phase: value for phase, value in values.items() if phase}
        if not phased:
            return pd.Series(overall, index=self.index, dtype="float64")
        return self.phase.map(phased).astype("float64").fillna(overall)

    def usable(self, code: str) -> bool:
        return bool(self.years.get(code))

    def cell(self, code: str, back: int = 0) -> Cell:
        """``code`` in its ``back``-th latest year with data, with the small-cohort guard."""
        years = self.years.get(code, [])
        if back >= len(years):
            reason = "STALE" if code in self.stale else "NO_DATA"
            empty = pd.Series(np.nan, index=self.index)
            return Cell(None, empty, pd.Series("", index=self.index), _const(reason, self.index))
        year = years[back]
        column = self.columns[(code, year)]
        value = pd.Series(self.value[:, column], index=self.index)
        text = pd.Series(self.text[:, column], index=self.index).fillna("")
        reason = pd.Series(self.reason[:, column], index=self.index)
        # No row at all: absent from the file; a row with nothing and no reason: blank.
        fallback = np.where(reason.isna(), MissingReason.ABSENT.value, MissingReason.BLANK.value)
        reason = reason.where(reason.notna() & reason.ne(""), fallback)
        reason = reason.where(value.isna() & text.eq(""), "")
        cohort = self.info.at[code, "cohort"] if code in self.info.index else None
        if isinstance(cohort, str) and (cohort, year) in self.columns:
            small = pd.Series(self.value[:, self.columns[(cohort, year)]], index=self.index)
            small = small < self.rules.min_cohort
            reason = reason.mask(small & reason.eq(""), MissingReason.COHORT_TOO_SMALL.value)
            value, text = value.mask(small), text.mask(small, "")
        return Cell(year, value, text, reason)


def _national_by_phase(national: pd.DataFrame) -> dict[tuple[str, str], dict[str, float]]:
    """{(measure, year): {phase or "": value}} from the national rows (a frame with no
    ``phase`` column has only all-phase values)."""
    phases = (
        national["phase"].map(national_phase_name)
        if "phase" in national.columns
        else pd.Series("", index=national.index, dtype=object)
    )
    found: dict[tuple[str, str], dict[str, float]] = {}
    for measure, year, phase, value in zip(
        national["measure"], national["academic_year"], phases, national["value"], strict=True
    ):
        found.setdefault((str(measure), str(year)), {})[phase] = float(value)
    return found


def _const(value, index) -> pd.Series:
    return pd.Series(value, index=index, dtype=object)


def _measure_info(measures: pd.DataFrame | None, codes) -> pd.DataFrame:
    """Per measure code: higher_is_better, source, cohort (the pupil count for the guard)."""
    info = pd.DataFrame(index=pd.Index(sorted(codes), name="code"))
    if measures is not None and len(measures):
        info = info.join(
            measures.set_index("code")[["higher_is_better", "source", "cohort_measure"]]
        )
    else:
        info = info.assign(higher_is_better=np.nan, source=np.nan, cohort_measure=np.nan)
    prefix = info.index.str.split("_").str[0].str.lower()
    info["higher_is_better"] = info["higher_is_better"].fillna(True).astype(bool)
    info["source"] = info["source"].fillna(pd.Series(prefix, index=info.index))
    default = info["source"].map(DEFAULT_COHORT)
    cohort = info["cohort_measure"].where(info["cohort_measure"].notna(), default)
    info["cohort"] = cohort.where(~info.index.isin(list(COUNT_MEASURES)))
    return info.drop(columns="cohort_measure")


def _sign(cells: Cells, code: str) -> float:
    return 1.0 if cells.info.at[code, "higher_is_better"] else -1.0


def _weighted(cells: Cells, code: str, national: bool) -> pd.DataFrame:
    """The weighted value (and England's, for a national comparison) over the latest years."""
    snapshot = cells.info.at[code, "source"] in SNAPSHOT_SOURCES
    single = snapshot or code in cells.rules.latest_published
    weights = (1,) if single else cells.rules.year_weights
    latest = cells.cell(code, 0)
    num, nat_num, den = (pd.Series(0.0, index=cells.index) for _ in range(3))
    zero = pd.Series(0.0, index=cells.index)
    for back, weight in enumerate(weights):
        cell = latest if back == 0 else cells.cell(code, back)
        if cell.year is None:
            break
        nat = cells.national_value(code, cell.year) if national else zero
        used = cell.value.notna() & nat.notna()
        num += cell.value.where(used, 0.0) * weight
        nat_num += nat.where(used, 0.0) * weight
        den += used * weight
    den = den.where(den > 0)
    reason = latest.reason
    if national and latest.year:
        no_national = cells.national_value(code, latest.year).isna()
        reason = reason.mask(reason.eq("") & no_national, "NO_NATIONAL")
    missing = reason.ne("")
    value = (num / den).mask(missing)
    comparator = (nat_num / den).mask(missing) if national else pd.Series(np.nan, cells.index)
    compared = _sign(cells, code) * (value - comparator) if national else value
    frame = {"value": value, "comparator": comparator, "compared": compared, "reason": reason}
    return pd.DataFrame(frame).assign(years=_years_text(cells.years.get(code, [])[: len(weights)]))


def _years_text(years: list[str]) -> str:
    """2018-2019, or 2016-2017 to 2018-2019 for several years (newest first in ``years``)."""
    return years[0] if len(years) == 1 else f"{years[-1]} to {years[0]}" if years else ""


def _trend(cells: Cells, code: str, span: int) -> pd.DataFrame:
    """The newest year minus the oldest of the last ``span`` years with data (worse is negative)."""
    available = cells.years.get(code, [])[:span]
    newest = cells.cell(code, 0)
    if len(available) < 2:
        reason = newest.reason.mask(newest.reason.eq(""), "NO_TREND")
        nan = pd.Series(np.nan, index=cells.index)
        return pd.DataFrame(
            {"value": nan, "comparator": nan, "compared": nan, "reason": reason, "years": ""}
        )
    oldest = cells.cell(code, len(available) - 1)
    reason = newest.reason.mask(newest.reason.eq(""), oldest.reason)
    compared = (_sign(cells, code) * (newest.value - oldest.value)).mask(reason.ne(""))
    return pd.DataFrame(
        {
            "value": newest.value.mask(reason.ne("")),
            "comparator": oldest.value.mask(reason.ne("")),
            "compared": compared,
            "reason": reason,
            "years": _years_text([newest.year, oldest.year]),
        }
    )


def _indicator(cells: Cells, indicator: Indicator) -> pd.DataFrame:
    """One indicator for every school: compared number, band, points, or why it is missing."""
    frames = []
    for code in filter(None, [indicator.measure, indicator.fallback_measure]):
        if indicator.comparison == "trend":
            frame = _trend(cells, code, indicator.trend_years)
        else:
            frame = _weighted(cells, code, national=indicator.comparison == "national")
        frames.append(frame.assign(measure=code))
    frame = frames[0]
    if len(frames) > 1:
        use = frame["reason"].ne("") & frames[1]["reason"].eq("")
        frame.loc[use] = frames[1].loc[use]
    applies = cells.applicable(indicator).to_numpy()
    unless = np.zeros(len(applies), dtype=bool)
    for condition in indicator.unless:
        unless |= _condition_holds(cells, condition).to_numpy()
    frame.loc[~applies, "reason"] = NOT_APPLICABLE
    frame.loc[applies & unless, "reason"] = NOT_USED
    applies = applies & ~unless
    frame.loc[~applies, ["value", "comparator", "compared"]] = np.nan
    frame["applicable"] = applies
    compared = frame["compared"]
    hits = [
        compared < band.below if band.below is not None else compared > band.above
        for band in indicator.bands
    ]
    missing = frame["reason"].ne("").to_numpy()
    points = np.select(hits, [float(band.points) for band in indicator.bands], 0.0)
    labels = np.select(hits, [band.label for band in indicator.bands], "")
    frame["points"] = np.where(missing, 0.0, points)
    frame["band"] = np.where(missing, "", labels)
    frame["missing"] = missing
    return frame


def _condition_holds(cells: Cells, condition) -> pd.Series:
    cell = cells.cell(condition.measure, condition.years_back)
    if condition.op == "missing":
        return cell.value.isna() & cell.text.eq("")
    if condition.op == "in":
        wanted = {text.casefold() for text in condition.value}
        return cell.text.str.casefold().isin(wanted)
    return NUMBER_OPS[condition.op](cell.value, float(condition.value)).fillna(False).astype(bool)


def _trigger_fired(cells: Cells, trigger: Trigger) -> pd.Series:
    """Where every group of the trigger has a condition that holds; notes unusable measures."""
    fired = pd.Series(True, index=cells.index)
    unusable: list[str] = []
    for group in trigger.all_of:
        anyone = pd.Series(False, index=cells.index)
        for condition in group:
            anyone |= _condition_holds(cells, condition)
            if condition.op != "missing" and not cells.usable(condition.measure):
                unusable += [condition.measure] if condition.measure not in unusable else []
        fired &= anyone
    fired &= cells.applicable(trigger)
    if unusable:
        cells.notes.append(f"Trigger '{trigger.code}' could not use {', '.join(unusable)}")
    return fired


def _required(rules: Definition, applies: pd.DataFrame) -> np.ndarray:
    """Indicators with data each school needs: ``min_indicators``, or, where some indicators do
    not apply to it, as many as apply (at least one) if that is fewer."""
    applying = applies.sum(axis=1).to_numpy(dtype=int)
    fewer = np.minimum(rules.min_indicators, np.maximum(applying, 1))
    return np.where(applying < len(applies.columns), fewer, rules.min_indicators)


def _placement(rules: Definition, score: pd.Series, fired: pd.DataFrame, short: np.ndarray):
    """Category and support band from the score, raised to any fired trigger's minimum;
    ``short``: too few indicators with data."""
    mins = np.array([c.min_score for c in rules.categories], dtype=float)
    by_score = np.clip(np.searchsorted(mins, score.to_numpy(), side="right") - 1, 0, None)
    trigger_cat = np.full(len(score), -1)
    trigger_band = np.full(len(score), -1)
    decisive = np.full(len(score), "", dtype=object)
    best = np.full(len(score), -1)
    for trigger in rules.triggers:
        hit = fired[trigger.code].to_numpy()
        cat = rules.category_index(trigger.min_category)
        band = BANDS.index(trigger.support_band) if trigger.support_band else -1
        rank = cat * 10 + band + 1
        take = hit & (rank > best)
        decisive[take], best[take] = trigger.code, rank
        trigger_cat = np.where(hit, np.maximum(trigger_cat, cat), trigger_cat)
        trigger_band = np.where(hit, np.maximum(trigger_band, band), trigger_band)
    final = np.maximum(by_score, trigger_cat)
    focused = np.array([c.focused for c in rules.categories])[final]
    band_mins = np.array([b.min_score for b in rules.support_bands], dtype=float)
    band_names = [b.band for b in rules.support_bands]
    band_rank = np.full(len(score), -1)
    if len(band_mins):
        at = np.clip(np.searchsorted(band_mins, score.to_numpy(), side="right") - 1, 0, None)
        band_rank = np.array([BANDS.index(name) for name in band_names])[at]
    band_rank = np.maximum(band_rank, trigger_band)
    support = np.where(focused & (band_rank >= 0), np.array(BANDS)[np.clip(band_rank, 0, 2)], "")
    insufficient = short & (trigger_cat < 0)
    codes = np.array([c.code for c in rules.categories], dtype=object)
    return codes[final], codes[by_score], support, decisive, insufficient


def categorise(
    *,
    definition: dict,
    values: pd.DataFrame,
    national: pd.DataFrame,
    schools: pd.DataFrame,
    measures: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every school's category, support band, score and explanation under ``definition``.

    ``values``: school_id, measure, academic_year, value, text, missing_reason (current values);
    ``national``: measure, academic_year, value (and optionally phase: primary, secondary,
    special or "" for all phases); ``schools``: school_id (and optionally phase, gias_phase,
    type_group, statutory_low_age, statutory_high_age, for ``applies_to`` and England's value
    by phase); ``measures`` (optional):
    code, higher_is_better, source, cohort_measure. The result is indexed by school_id, with the
    run-level notes (what the rules could not use) in ``result.attrs["notes"]`` and the years
    each measure used in ``result.attrs["years"]``.
    """
    rules = definition_parse(definition)
    values = values.assign(
        text=values["text"].fillna(""), missing_reason=values["missing_reason"].fillna("")
    )
    cells = Cells(values, national, schools, measures, rules)
    indicators = {i.code: _indicator(cells, i) for i in rules.indicators}
    fired = pd.DataFrame(
        {t.code: _trigger_fired(cells, t) for t in rules.triggers}, index=cells.index
    )
    points = pd.DataFrame({code: f["points"] for code, f in indicators.items()}, index=cells.index)
    with_data = pd.DataFrame(
        {code: ~f["missing"] for code, f in indicators.items()}, index=cells.index
    )
    applies = pd.DataFrame(
        {code: f["applicable"] for code, f in indicators.items()}, index=cells.index
    )
    score = points.sum(axis=1).astype(float)
    counted = with_data.sum(axis=1).astype(int)
    required = _required(rules, applies)
    category, by_score, support, decisive, insufficient = _placement(
        rules, score, fired, counted.to_numpy() < required
    )
    result = pd.DataFrame(
        {
            "category": np.where(insufficient, "", category),
            "support_band": np.where(insufficient, "", support),
            "score": score.round(2),
            "insufficient_data": insufficient,
            "trigger": decisive,
            "indicators_with_data": counted,
            "indicators_applicable": applies.sum(axis=1).astype(int),
            "indicators_required": required,
        },
        index=cells.index,
    )
    result["explanation"] = explanations_build(rules, indicators, fired, result, by_score)
    result.attrs["notes"] = cells.notes
    result.attrs["years"] = {code: years for code, years in sorted(cells.years.items()) if years}
    return result
