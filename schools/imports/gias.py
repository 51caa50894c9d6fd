"""Reader for DfE's Get Information About Schools (GIAS) establishment downloads.

Turns the bytes of a GIAS (or older EduBase) CSV into a validated DataFrame of ``School`` field
values for the state-funded establishments, with every problem listed by row and column. Columns
are found by name, never by position. Row numbers are line numbers in the file (header = row 1).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pandas as pd

from kernel.tables import decode, problem, read_table
from kernel.uploads import (
    PROBLEMS_KEPT,
    UploadRefused,
    problems_capped,
    upload_check,
    upload_limits,
)
from schools.models import Phase, Trust

from .gias_vocabulary import (
    ACADEMY_TABLE,
    DATE_COLUMNS,
    FLAG_TABLE,
    GROUP_TABLE,
    LA_CODE,
    LA_NAME,
    LINKS,
    MAX_LENGTHS,
    NAME,
    NUMBER_COLUMNS,
    NUMBER_LIMITS,
    PHASE,
    PHASE_TABLE,
    REQUIRED,
    STATUS,
    STATUS_TABLE,
    SUPPRESSED,
    TEXT_COLUMNS,
    TRUST,
    TRUST_FLAG,
    TYPE,
    URN,
    WANTED,
    fold,
)

ProgressCallback = Callable[[int, str], None]
EXAMPLES = {"urn": 100001, "number_of_pupils": 210, "easting": 447000, "northing": 128000}


@dataclass
class GiasRows:
    """The state-funded rows to import, as School field values, and what was left out."""

    frame: pd.DataFrame = field(default_factory=pd.DataFrame)
    fields: list[str] = field(default_factory=list)
    total: int = 0
    skipped: int = 0
    errors: list[dict] = field(default_factory=list)


def _problems(mask: pd.Series, rows: pd.Series, column: str, message) -> list[dict]:
    """One problem for each row where ``mask`` holds, the first ``PROBLEMS_KEPT`` kept and the
    rest counted. ``message`` is text, or a function of the row's index label that is called
    for the kept rows only."""
    if not mask.any():
        return []
    labels = mask.index[mask.to_numpy(dtype=bool)]
    count, labels = len(labels), labels[:PROBLEMS_KEPT]
    texts = [message(label) for label in labels] if callable(message) else [message] * len(labels)
    found = [problem(int(r), column, m) for r, m in zip(rows[labels], texts, strict=True)]
    return problems_capped(found, count)


def _lookup(values: pd.Series, table: dict) -> pd.Series:
    """Each value's entry in ``table`` after folding case and punctuation; NaN if unknown."""
    folded = {value: fold(value) for value in values.unique()}
    found = {value: table[key] for value, key in folded.items() if key in table}
    return values.map(found)


def _check_known(
    raw: pd.Series, mapped: pd.Series, rows: pd.Series, column: str, what: str
) -> list[dict]:
    def message(label) -> str:
        value = raw[label]
        return f"'{value}' is not a GIAS {what}" if value else f"Enter the {what}"

    return _problems(mapped.isna(), rows, column, message)


def _whole_numbers(raw: pd.DataFrame, rows: pd.Series) -> tuple[dict, list[dict]]:
    """URN and the optional number columns as nullable whole numbers, with their problems."""
    numbers, errors = {}, []
    for column, name in {URN: "urn", **NUMBER_COLUMNS}.items():
        if column not in raw:
            continue
        text = raw[column]
        if name != "urn":
            text = text.mask(text.str.lower().isin(SUPPRESSED), "")
        # ASCII digits, one to nine (str methods, a regular expression's speed three times over)
        good = text.str.len().between(1, 9) & text.str.isascii() & text.str.isdigit()
        values = pd.to_numeric(text.where(good), errors="coerce").astype("Int64")
        too_big = values > NUMBER_LIMITS.get(name, 2**31 - 1)
        bad = (~good & text.ne("")) | too_big.fillna(False)
        if name == "urn":
            errors += _problems(text.eq(""), rows, column, "Enter the URN")
            bad |= values.eq(0).fillna(False)
        example = EXAMPLES.get(name, 11)
        errors += _problems(bad, rows, column, f"{column} must be a whole number, like {example}")
        numbers[name] = values
    return numbers, errors


def _dates(raw: pd.DataFrame, rows: pd.Series) -> tuple[dict, list[dict]]:
    """GIAS dates (dd-mm-yyyy) as dates; anything else that is not blank is a problem."""
    dates, errors = {}, []
    for column, name in DATE_COLUMNS.items():
        if column in raw:
            parsed = pd.to_datetime(raw[column], format="%d-%m-%Y", errors="coerce")
            bad = raw[column].ne("") & parsed.isna()
            message = f"{column} must be a real date in the format dd-mm-yyyy, like 01-09-2021"
            errors += _problems(bad, rows, column, message)
            dates[name] = parsed.dt.date.astype(object).where(parsed.notna(), None)
    return dates, errors


def _duplicates(urns: pd.Series, rows: pd.Series) -> list[dict]:
    first_row = rows.groupby(urns).transform("min")
    repeated = (urns.notna() & urns.duplicated(keep="first")).fillna(False)
    return _problems(
        repeated,
        rows,
        URN,
        lambda label: f"URN {urns[label]} is also on row {int(first_row[label])}",
    )


def _phases(phases: pd.Series, numbers: dict) -> pd.Series:
    """Our phase; a 'Primary' school for ages up to 9 from 5 or under is a first school."""
    if "statutory_high_age" not in numbers or "statutory_low_age" not in numbers:
        return phases
    first = (
        phases.eq(Phase.PRIMARY)
        & numbers["statutory_high_age"].eq(9).fillna(False)
        & numbers["statutory_low_age"].le(5).fillna(False)
    )
    return phases.mask(first, Phase.FIRST.value)


def _link(links: pd.Series, kind: str) -> pd.Series:
    """The first URN linked as ``kind`` (Predecessor or Successor), or NA."""
    linked = links[~links.isin(["", "Does not have links"])]
    pattern = rf"(?:^|\|)\s*(\d{{1,9}})\s+{kind}"
    found = linked.str.extract(pattern, flags=re.IGNORECASE)[0].reindex(links.index)
    return pd.to_numeric(found, errors="coerce").astype("Int64")


def _fields(raw: pd.DataFrame, kept: pd.Series, numbers: dict, dates: dict, types: dict):
    """School field values for the kept rows, as plain Python values (None when missing)."""
    numbers = {name: values[kept] for name, values in numbers.items()}
    raw = raw[kept]
    columns = {
        "row": raw["row"],
        "urn": numbers.pop("urn"),
        "name": raw[NAME],
        "la_code": raw[LA_CODE],
        "la_name": raw[LA_NAME],
        "establishment_type": raw[TYPE],
        "type_group": types["group"][kept],
        "is_academy": types["academy"][kept].astype(bool),
        "status": types["status"][kept],
        "phase": _phases(types["phase"][kept], numbers),
        "gias_phase": raw[PHASE],
    }
    columns |= {name: raw[column] for column, name in TEXT_COLUMNS.items() if column in raw}
    columns |= numbers
    columns |= {name: values[kept] for name, values in dates.items()}
    if LINKS in raw:
        columns |= {"predecessor_urn": _link(raw[LINKS], "Predecessor")}
        columns |= {"successor_urn": _link(raw[LINKS], "Successor")}
    if TRUST in raw:
        flags = _lookup(raw[TRUST_FLAG], FLAG_TABLE) if TRUST_FLAG in raw else None
        columns["trust_name"] = raw[TRUST].where(raw[TRUST].ne(""), None)
        columns["trust_type"] = Trust.TrustType.OTHER.value if flags is None else flags
    frame = pd.DataFrame(columns).astype(object)
    if "trust_type" in frame:
        frame["trust_type"] = frame["trust_type"].fillna(Trust.TrustType.OTHER.value)
    return frame.where(frame.notna(), None).reset_index(drop=True)


def _check_lengths(frame: pd.DataFrame) -> list[dict]:
    """Text too long for the register, and a blank name or LA code, on the rows to import."""
    labels = {"name": NAME, "la_code": LA_CODE, "la_name": LA_NAME, "trust_name": TRUST}
    labels |= {name: column for column, name in TEXT_COLUMNS.items()}
    labels |= {"establishment_type": TYPE, "gias_phase": PHASE}
    errors = []
    for name in ("name", "la_code"):
        errors += _problems(
            frame[name].eq(""), frame["row"], labels[name], f"Enter the {labels[name]}"
        )
    for name, limit in MAX_LENGTHS.items():
        if name in frame:
            long = frame[name].fillna("").str.len().gt(limit)
            message = f"{labels[name]} must be {limit} characters or fewer"
            errors += _problems(long, frame["row"], labels[name], message)
    return errors


def _classify(raw: pd.DataFrame) -> tuple[dict, list[dict]]:
    """Type group, academy flag, status and phase of every row, with unknown values as problems."""
    rows = raw["row"]
    types = {
        "group": _lookup(raw[TYPE], GROUP_TABLE),
        "academy": _lookup(raw[TYPE], ACADEMY_TABLE),
        "status": _lookup(raw[STATUS], STATUS_TABLE),
        "phase": _lookup(raw[PHASE], PHASE_TABLE),
    }
    errors = _check_known(raw[TYPE], types["group"], rows, TYPE, "establishment type")
    errors += _check_known(raw[STATUS], types["status"], rows, STATUS, "establishment status")
    errors += _check_known(raw[PHASE], types["phase"], rows, PHASE, "phase of education")
    return types, errors


def _quiet(percent: int, stage: str) -> None:
    """Progress goes nowhere when nobody is watching."""


def gias_file_read(
    *, data: bytes, la_codes: Iterable[str] | None = None, progress: ProgressCallback | None = None
) -> GiasRows:
    """Read and check a GIAS download (writes nothing): the state-funded rows, or every problem."""
    report = progress or _quiet
    report(5, "Reading the file")
    try:
        limits = upload_limits("gias")
        upload_check(data=data, name="gias.csv", limits=limits)
        header, raw, errors = read_table(decode(data), WANTED, joined=LINKS, limits=limits)
    except UploadRefused as refused:
        return GiasRows(errors=[problem(None, "", refused.message)])
    if not header:
        return GiasRows(errors=errors or [problem(1, "", "The selected file is empty")])
    errors += [problem(1, c, f"The file has no '{c}' column") for c in REQUIRED if c not in header]
    if raw.empty and not errors:
        errors.append(problem(2, "", "The file has a header row but no establishments"))
    if raw.empty or any(e["row"] == 1 for e in errors):
        return GiasRows(total=len(raw), errors=errors)
    report(20, f"Checking {len(raw):,} rows")
    numbers, number_errors = _whole_numbers(raw, raw["row"])
    dates, date_errors = _dates(raw, raw["row"])
    types, type_errors = _classify(raw)
    errors += number_errors + _duplicates(numbers["urn"], raw["row"]) + date_errors + type_errors
    kept = types["group"].notna() & types["group"].ne("")
    if la_codes:
        kept &= raw[LA_CODE].isin({code.strip() for code in la_codes})
    frame = _fields(raw, kept, numbers, dates, types)
    errors += _check_lengths(frame)
    if errors:
        errors.sort(key=lambda e: e["row"] or 0)
        return GiasRows(total=len(raw), errors=errors)
    provided = [c for c in frame.columns if c not in ("row", "trust_name", "trust_type")]
    fields = provided + (["trust"] if "trust_name" in frame else [])
    return GiasRows(frame, fields, total=len(raw), skipped=int(len(raw) - kept.sum()))
