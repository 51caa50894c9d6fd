"""Reader for the structure file: a CSV of ``URN,cluster`` with an optional ``alliance`` column.

It reads the whole file and lists every problem by row and column, so the officer can fix them all
at once; it writes nothing (``clusters.services.structure_apply`` does, whole or not at all).
Rows are numbered as a spreadsheet shows them: the header is row 1, the first school row 2.

Names are matched ignoring case and extra spaces. A cluster is found by its name in the named
alliance; without an alliance it must be the only open cluster of that name. Alliances and
clusters that do not exist yet are created if the upload asks for it (and listed in the outcome),
otherwise each is reported as a problem.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
from django.core.exceptions import ValidationError

from clusters.models import Cluster
from kernel.uploads import (
    NOT_CSV,
    Problems,
    UploadLimits,
    UploadRefused,
    problems_total,
    upload_check,
    upload_limits,
)
from schools.models import OPEN_STATUSES, School

COLUMNS = {"urn": "URN", "cluster": "cluster", "alliance": "alliance"}
REQUIRED = ("urn", "cluster")


def name_key(name: str) -> str:
    """How names are compared: case and runs of spaces do not matter."""
    return " ".join(str(name).split()).casefold()


@dataclass(frozen=True)
class StructureRow:
    row: int
    school_id: int
    alliance: str
    cluster: str


@dataclass
class StructurePlan:
    rows: list[StructureRow] = field(default_factory=list)
    new_alliances: list[str] = field(default_factory=list)
    new_clusters: list[str] = field(default_factory=list)
    found: Problems = field(default_factory=Problems)

    def problem(self, row: int | None, column: str, message: str) -> None:
        self.found.add(row, column, message)

    @property
    def errors(self) -> list[dict]:
        """The first problems by row and column (``PROBLEMS_KEPT``); the last says how many
        more there are."""
        return self.found.as_list()


class StructureFileInvalid(ValidationError):
    """The structure file has problems; ``problems`` lists them by row and column."""

    def __init__(self, problems: list[dict]):
        self.problems = problems
        count = problems_total(problems)
        super().__init__(f"The file has {count:,} problem{'s' if count != 1 else ''}")


def decode(data: bytes) -> str | None:
    """The file's text: UTF-8 with or without a byte order mark, else Windows-1252; None if
    it is neither (a spreadsheet or other binary file, say)."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return None if "\x00" in text else text
    return None


def _header(records: list, plan: StructurePlan) -> dict[str, int] | None:
    """Where each known column is, by its name in any case; None once problems are reported."""
    header_row, header = records[0]
    names = [name_key(h) for h in header]
    for key, label in COLUMNS.items():
        if key in REQUIRED and key not in names:
            plan.problem(header_row, label, f"The header row must have a column called {label}")
        if names.count(key) > 1:
            plan.problem(header_row, label, f"The header row has more than one {label} column")
    if plan.errors:
        return None
    return {key: names.index(key) for key in COLUMNS if key in names}


def _table(
    text: str | None, plan: StructurePlan, limits: UploadLimits
) -> tuple[pd.DataFrame | None, bool]:
    """The rows as tidy strings by column, with their spreadsheet row; and whether the file
    has an alliance column. Raises ``UploadRefused`` past the row limit (and the header)."""
    try:
        if text is None:
            raise csv.Error("not text")
        reader = csv.reader(io.StringIO(text, newline=""))
        filled = ((n, row) for n, row in enumerate(reader, 1) if any(c.strip() for c in row))
        header = list(itertools.islice(filled, 1))
        records = header + list(limits.rows_counted(filled))
    except csv.Error:
        plan.problem(None, "", NOT_CSV)
        return None, False
    if not records:
        plan.problem(None, "", "The file is empty: upload a CSV file with a header row")
        return None, False
    where = _header(records, plan)
    if where is None:
        return None, False

    # Short rows (trailing fields left off) read as blanks; extra trailing fields are ignored.
    def cell(record: list[str], key: str) -> str:
        i = where.get(key)
        return " ".join(record[i].split()) if i is not None and i < len(record) else ""

    rows = [{"row": n, **{key: cell(r, key) for key in COLUMNS}} for n, r in records[1:]]
    if not rows:
        plan.problem(None, "", "The file has no schools in it: add a row for each school")
        return None, False
    frame = pd.DataFrame(rows, columns=["row", *COLUMNS])
    return frame, "alliance" in where


def _urn_numbers(frame: pd.DataFrame, plan: StructurePlan) -> pd.DataFrame:
    """Rows with a well-formed URN, each URN once; blank, malformed and repeated ones reported."""
    # Nine digits at most: longer digit strings are no URN, and would overflow an integer.
    is_number = frame["urn"].str.fullmatch(r"\d{1,9}")
    for row, urn in frame.loc[~is_number, ["row", "urn"]].itertuples(index=False):
        if not urn:
            plan.problem(row, "URN", "Enter the school's URN")
        elif urn.isdigit():
            plan.problem(row, "URN", f"There is no school with URN {urn} in the register")
        else:
            plan.problem(row, "URN", f"URN must be a number, like 100001 (not {urn})")
    numbered = frame[is_number].copy()
    numbered["urn_number"] = numbered["urn"].astype("int64")
    first_row = numbered.groupby("urn_number")["row"].min()
    repeats = numbered[numbered["urn_number"].duplicated(keep="first")]
    for row, urn in repeats[["row", "urn_number"]].itertuples(index=False):
        plan.problem(row, "URN", f"URN {urn} is already on row {first_row[urn]}")
    return numbered.drop_duplicates("urn_number")


def _urn_schools(numbered: pd.DataFrame, plan: StructurePlan) -> pd.DataFrame:
    """Rows whose URN is an open school in the partnership, with its id; the rest reported."""
    urns = numbered["urn_number"].tolist()
    schools = {s.urn: s for s in School.objects.filter(urn__in=urns)}
    school_ids = {}
    for row, urn in numbered[["row", "urn_number"]].itertuples(index=False):
        school = schools.get(urn)
        if school is None:
            plan.problem(row, "URN", f"There is no school with URN {urn} in the register")
        elif school.status not in OPEN_STATUSES:
            plan.problem(row, "URN", f"{school} is closed: take it out of the file")
        elif school.opted_out:
            message = f"{school} has opted out of the partnership: take it out of the file"
            plan.problem(row, "URN", message)
        else:
            school_ids[row] = school.pk
    checked = numbered[numbered["row"].isin(school_ids)].copy()
    checked["school_id"] = checked["row"].map(school_ids)
    return checked


class _Names:
    """Open alliances and clusters, and those the file names, to resolve each row's cluster."""

    def __init__(self, frame: pd.DataFrame, partnership):
        alliances = list(partnership.alliances.active()) if partnership else []
        self.alliances = {name_key(a.name): a.name for a in alliances}
        self.spelling = dict(self.alliances)  # key -> name, the register's spelling first
        self.homes: dict[str, set[str]] = {}  # cluster key -> keys of alliances that have it
        clusters = Cluster.objects.active().filter(alliance__in=alliances)
        for alliance, cluster in clusters.values_list("alliance__name", "name"):
            self.homes.setdefault(name_key(cluster), set()).add(name_key(alliance))
        self.existing = {(a, c) for c, homes in self.homes.items() for a in homes}
        named = frame.loc[(frame["alliance"] != "") & (frame["cluster"] != "")]
        for alliance, cluster in named[["alliance", "cluster"]].itertuples(index=False):
            self.spelling.setdefault(name_key(alliance), alliance)
            self.homes.setdefault(name_key(cluster), set()).add(name_key(alliance))

    def alliance_for(self, record, plan: StructurePlan, has_column: bool) -> str | None:
        """The name of the alliance the row's cluster is in; None once the problem is reported."""
        if record.alliance:
            return self.spelling[name_key(record.alliance)]
        homes = self.homes.get(name_key(record.cluster), set())
        if len(homes) == 1:
            return self.spelling[next(iter(homes))]
        if homes:
            message = (
                f"There is a cluster called {record.cluster} in more than one alliance: "
                "enter its alliance in the alliance column"
            )
        else:
            where = "the alliance column" if has_column else "an alliance column"
            message = f"{record.cluster} is a new cluster: enter its alliance in {where}"
        plan.problem(record.row, "alliance", message)
        return None


def _resolve(record, names: _Names, plan: StructurePlan, options: dict) -> StructureRow | None:
    """The row's school and cluster, noting alliances and clusters to create."""
    alliance = names.alliance_for(record, plan, options["has_column"])
    if alliance is None:
        return None
    alliance_key, cluster_key = name_key(alliance), name_key(record.cluster)
    is_new_alliance = alliance_key not in names.alliances
    is_new_cluster = (alliance_key, cluster_key) not in names.existing
    if is_new_alliance and not options["partnership"]:
        plan.problem(record.row, "alliance", "Set up the partnership before adding alliances")
        return None
    if is_new_alliance and not options["create"]:
        plan.problem(record.row, "alliance", f"There is no open alliance called {alliance}")
        return None
    if is_new_cluster and not options["create"]:
        plan.problem(
            record.row, "cluster", f"{alliance} has no open cluster called {record.cluster}"
        )
        return None
    if is_new_alliance and alliance not in plan.new_alliances:
        plan.new_alliances.append(alliance)
    label = f"{record.cluster} ({alliance})"
    if is_new_cluster and label not in plan.new_clusters:
        names.existing.add((alliance_key, cluster_key))
        plan.new_clusters.append(label)
    return StructureRow(record.row, int(record.school_id), alliance, record.cluster)


def _names_check(frame: pd.DataFrame, plan: StructurePlan, check_name: Callable) -> None:
    """Every alliance and cluster name the file gives, checked by the structure services' rule
    (``check_name(name, what=...)`` raises ``ValidationError`` with the problem)."""
    for column in ("cluster", "alliance"):
        named = frame.loc[frame[column] != "", ["row", column]]
        for row, name in named.itertuples(index=False):
            try:
                check_name(name, what=column)
            except ValidationError as refused:
                plan.problem(row, COLUMNS[column], refused.messages[0])


def structure_file_read(
    *, data: bytes, partnership, check_name: Callable, create_missing: bool = True
) -> StructurePlan:
    """Check a structure file against the register and the tiers; return the plan and problems.

    Names are checked with ``check_name``, the rule the structure services apply to every name.
    With ``create_missing`` off, an alliance or cluster that does not exist is a problem.
    """
    plan = StructurePlan()
    limits = upload_limits("structure")
    try:
        upload_check(data=data, name="structure.csv", limits=limits)
        frame, has_column = _table(decode(data), plan, limits)
    except UploadRefused as refused:
        plan.problem(None, "", refused.message)
        return plan
    if frame is None:
        return plan
    for row in frame.loc[frame["cluster"] == "", "row"]:
        plan.problem(row, "cluster", "Enter the name of the school's cluster")
    _names_check(frame, plan, check_name)
    checked = _urn_schools(_urn_numbers(frame, plan), plan)
    names = _Names(frame, partnership)
    options = {"has_column": has_column, "partnership": partnership, "create": create_missing}
    for record in checked[checked["cluster"] != ""].itertuples(index=False):
        row = _resolve(record, names, plan, options)
        if row is not None:
            plan.rows.append(row)
    return plan
