"""Which schools an indicator or trigger applies to: ``applies_to`` in a rule set's definition.

::

    "applies_to": {"phases": ["primary", ...], "type_groups": ["academy", ...],
                   "key_stage": "ks2" | "ks4"}

Each part left out or empty means "every school". ``phases`` and ``type_groups`` are the
register's (``schools.models.Phase`` and ``TypeGroup``). ``key_stage`` keeps schools whose
statutory age range reaches the end of the key stage: KS2 tests are taken in Year 6 (pupils
aged 10 to 11), KS4 qualifications in Year 11 (15 to 16). So an infant school (4 to 7) or a
first school (4 to 9) has no KS2 results to expect, while a junior (7 to 11), middle (9 to 13)
or all-through school does. A school whose ages the register does not give is kept (we cannot
tell, so a missing result shows as missing rather than as not applicable).

For a measure that cannot apply to a school, the engine shows "not applicable" rather than
"missing", and the indicator is left out of the school's count towards ``min_indicators``.

England's value by phase: absence differs so much by phase (2023/24 overall absence: primary
5.5%, secondary 8.9%, special 13.0%) that DfE publishes a national row per phase. A school is
compared with its own phase's row (``national_phases``); with no row for its phase, with the
all-phase value.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from schools.models import Phase, TypeGroup

# The age a pupil reaches in the key stage's last year, and the age they start it.
KEY_STAGE_AGES = {"ks2": (10, 11), "ks4": (15, 16)}
KEY_STAGES = {
    "ks2": "the end of key stage 2 (Year 6)",
    "ks4": "the end of key stage 4 (Year 11)",
}
PHASES = dict(Phase.choices)
TYPE_GROUPS = dict(TypeGroup.choices)
NOT_APPLICABLE = "NOT_APPLICABLE"
# An indicator left out for a school by its ``unless`` conditions: treated as not applicable.
NOT_USED = "NOT_USED"
# England's rows by phase, as the readers store them: our words or DfE's ESTAB codes.
NATIONAL_PHASES = {"pri": "primary", "sec": "secondary", "spe": "special"}
SECONDARY_PHASES = (Phase.SECONDARY, Phase.ALL_THROUGH, Phase.SIXTEEN_PLUS)


@dataclass(frozen=True)
class AppliesTo:
    phases: tuple[str, ...] = ()
    type_groups: tuple[str, ...] = ()
    key_stage: str = ""

    @property
    def everyone(self) -> bool:
        return not (self.phases or self.type_groups or self.key_stage)


def applies_to_parse(item: dict) -> AppliesTo:
    applies = item.get("applies_to") or {}
    return AppliesTo(
        phases=tuple(applies.get("phases") or ()),
        type_groups=tuple(applies.get("type_groups") or ()),
        key_stage=applies.get("key_stage") or "",
    )


def validate_applies_to(name: str, applies) -> list[str]:
    """Problems with an item's ``applies_to`` ([] when it is left out)."""
    if applies is None:
        return []
    if not isinstance(applies, dict):
        return [f"{name}: 'applies to' must say phases, type groups or a key stage"]
    problems = []
    unknown_keys = sorted(set(applies) - {"phases", "type_groups", "key_stage"})
    if unknown_keys:
        problems.append(
            f"{name}: 'applies to' can only say phases, type_groups and key_stage, not "
            f"{', '.join(unknown_keys)}"
        )
    for key, known, noun in (("phases", PHASES, "phase"), ("type_groups", TYPE_GROUPS, "type")):
        values = applies.get(key) or []
        if not isinstance(values, list):
            problems.append(f"{name}: the {noun}s it applies to must be a list")
            continue
        problems += [
            f"{name}: '{value}' is not a school {noun} (choose from {', '.join(known)})"
            for value in values
            if value not in known
        ]
    key_stage = applies.get("key_stage") or ""
    if key_stage not in ("", *KEY_STAGES):
        problems.append(f"{name}: the key stage must be ks2 or ks4")
    return problems


def applies_to_text(applies: dict | None) -> str:
    """ "every school", or who it applies to in words (for the rule page and explanations)."""
    applies = applies if isinstance(applies, dict) else {}
    parts = []
    if applies.get("key_stage") in KEY_STAGES:
        parts.append(f"whose age range reaches {KEY_STAGES[applies['key_stage']]}")
    if applies.get("phases"):
        names = [PHASES.get(p, str(p)).lower() for p in applies["phases"]]
        parts.append(f"in the {_or(names)} phase")
    if applies.get("type_groups"):
        names = [TYPE_GROUPS.get(t, str(t)) for t in applies["type_groups"]]
        parts.append(f"of type {_or(names)}")
    return f"schools {', '.join(parts)}" if parts else "every school"


def _or(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def _column(schools: pd.DataFrame, name: str, index: pd.Index) -> pd.Series | None:
    if name not in schools.columns:
        return None
    return pd.Series(schools[name].to_numpy(), index=index)


def applicable(schools: pd.DataFrame, applies: AppliesTo, index: pd.Index) -> pd.Series:
    """True for every school (in ``index`` order) the item applies to. A part the schools'
    frame has no column for does not exclude anyone."""
    ok = pd.Series(True, index=index)
    if applies.everyone:
        return ok
    for name, wanted in (("phase", applies.phases), ("type_group", applies.type_groups)):
        column = _column(schools, name, index)
        if wanted and column is not None:
            ok &= column.isin(list(wanted)).to_numpy()
    low, high = (_column(schools, f"statutory_{end}_age", index) for end in ("low", "high"))
    if applies.key_stage and low is not None and high is not None:
        start, end = KEY_STAGE_AGES[applies.key_stage]
        low, high = pd.to_numeric(low), pd.to_numeric(high)
        known = low.notna() & high.notna()
        ok &= (~known | ((low <= start) & (high >= end))).to_numpy()
    return ok


def national_phases(schools: pd.DataFrame, index: pd.Index) -> pd.Series:
    """Each school's phase for England's value, as ``measures.national_phase`` names it for one
    school: special (special schools), "" (alternative provision and schools of no phase: the
    all-phase value), secondary (secondary, all-through, 16 plus, middle deemed secondary),
    primary (the rest: nursery, primary, first, middle deemed primary)."""
    phase = _column(schools, "phase", index)
    if phase is None:
        return pd.Series("", index=index, dtype=object)
    blank = pd.Series("", index=index, dtype=object)
    type_group = _column(schools, "type_group", index)
    type_group = blank if type_group is None else type_group.fillna("").astype(str)
    gias = _column(schools, "gias_phase", index)
    gias = blank if gias is None else gias.fillna("").astype(str).str.casefold()
    phase = phase.fillna("").astype(str)
    secondary = phase.isin(list(SECONDARY_PHASES)) | gias.str.contains("deemed secondary")
    result = np.select(
        [
            type_group.eq(TypeGroup.SPECIAL).to_numpy(),
            (
                type_group.eq(TypeGroup.ALTERNATIVE_PROVISION) | phase.isin(["", "not_applicable"])
            ).to_numpy(),
            secondary.to_numpy(),
        ],
        ["special", "", "secondary"],
        "primary",
    )
    return pd.Series(result, index=index, dtype=object)


def national_phase_name(value) -> str:
    """A national row's phase in our words ("" for the all-phase row)."""
    text = str(value or "").strip().casefold()
    return NATIONAL_PHASES.get(text, text)
