"""Reads of the school register for one viewer: the filtered list, its filter options, one school.

Every read starts from ``School.objects.visible_to(user)``, so pages, the CSV export and the API
agree on who sees what. Each read runs a fixed number of queries however many schools there are:
the current cluster and alliance of each school come from one join (``schools.extensions``'
placement, which the ``clusters`` app provides), not a loop.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Replace, Upper

from .extensions import placement
from .models import OPEN_STATUSES, Phase, School, Status, Trust

STATUS_OPEN = "open"
STATUS_CLOSED = "closed"
STATUS_ALL = "all"
OPTED_OUT_ANY = "any"
OPTED_OUT_YES = "yes"
OPTED_OUT_NO = "no"
DEFAULT_SORT = "name"
# URNs are six digits; a longer number cannot be one and would overflow the integer column.
MAX_URN_DIGITS = 9

# Phases in the order a school moves through them, not alphabetical ("16 plus" first).
PHASE_ORDER = Case(
    *(When(phase=value, then=Value(index)) for index, value in enumerate(Phase.values)),
    default=Value(len(Phase.values)),
    output_field=IntegerField(),
)

SORT_EXPRESSIONS = {
    "name": [F("name")],
    "urn": [F("urn")],
    "phase": [PHASE_ORDER],
    "pupils": [F("number_of_pupils")],
    "la": [F("la_name"), F("la_code")],
    "cluster": [F("cluster_name")],
}
SORT_KEYS = tuple(SORT_EXPRESSIONS)


@dataclass(frozen=True)
class SchoolFilters:
    """What the viewer asked the register for; the defaults show open schools by name."""

    q: str = ""
    phases: tuple[str, ...] = ()
    type_groups: tuple[str, ...] = ()
    la_code: str = ""
    trust_id: int | None = None
    alliance_id: int | None = None
    cluster_id: int | None = None
    status: str = STATUS_OPEN
    opted_out: str = OPTED_OUT_ANY
    sort: str = DEFAULT_SORT


@dataclass(frozen=True)
class FilterOptions:
    """The choices a viewer may filter by, drawn only from what they can see."""

    las: list[tuple[str, str]] = field(default_factory=list)
    trusts: list[tuple[int, str]] = field(default_factory=list)
    alliances: list[tuple[int, str]] = field(default_factory=list)
    clusters: list[tuple[int, str]] = field(default_factory=list)


def _with_current_tiers(queryset: QuerySet) -> QuerySet:
    return placement().annotate(queryset.select_related("trust"))


def _search(queryset: QuerySet, text: str) -> QuerySet:
    text = text.strip()
    if not text:
        return queryset
    # Postcodes are matched without spaces: "SO211AA" finds "SO21 1AA".
    compact = re.sub(r"\s+", "", text).upper()
    condition = Q(name__icontains=text) | Q(postcode_compact__contains=compact)
    if text.isdigit() and len(text) <= MAX_URN_DIGITS:
        condition |= Q(urn=int(text))
    return queryset.alias(
        postcode_compact=Replace(Upper("postcode"), Value(" "), Value(""))
    ).filter(condition)


def _filter_status(queryset: QuerySet, status: str) -> QuerySet:
    if status == STATUS_OPEN:
        return queryset.filter(status__in=OPEN_STATUSES)
    if status == STATUS_CLOSED:
        return queryset.filter(status=Status.CLOSED)
    return queryset


def _filter(queryset: QuerySet, filters: SchoolFilters) -> QuerySet:
    queryset = _filter_status(_search(queryset, filters.q), filters.status)
    if filters.phases:
        queryset = queryset.filter(phase__in=filters.phases)
    if filters.type_groups:
        queryset = queryset.filter(type_group__in=filters.type_groups)
    if filters.la_code:
        queryset = queryset.filter(la_code=filters.la_code)
    if filters.trust_id is not None:
        queryset = queryset.filter(trust_id=filters.trust_id)
    if filters.cluster_id is not None:
        queryset = queryset.filter(placement().in_cluster(filters.cluster_id))
    if filters.alliance_id is not None:
        queryset = queryset.filter(placement().in_alliance(filters.alliance_id))
    if filters.opted_out in (OPTED_OUT_YES, OPTED_OUT_NO):
        queryset = queryset.filter(opted_out=filters.opted_out == OPTED_OUT_YES)
    return queryset


def _ordering(sort: str) -> list:
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    expressions = SORT_EXPRESSIONS.get(key, SORT_EXPRESSIONS[DEFAULT_SORT])
    ordered = [
        e.desc(nulls_last=True) if descending else e.asc(nulls_last=True) for e in expressions
    ]
    # Name, then URN, break ties so that paging through equal phases or clusters is stable.
    return [*ordered, F("name").asc(), F("urn").asc()]


def school_list(*, user, filters: SchoolFilters) -> QuerySet[School]:
    """The schools this user may see that match the filters, sorted, with current tiers."""
    queryset = _filter(_with_current_tiers(School.objects.visible_to(user)), filters)
    return queryset.order_by(*_ordering(filters.sort))


def school_filter_options(*, user) -> FilterOptions:
    """LAs and trusts of the user's visible schools, and the alliances and clusters they see."""
    visible = School.objects.visible_to(user)
    las: dict[str, str] = {}
    for code, name in visible.order_by("la_code", "la_name").values_list("la_code", "la_name"):
        las.setdefault(code, name)
    trusts = Trust.objects.filter(pk__in=visible.values("trust_id")).order_by("name")
    alliances, clusters = placement().choices(user=user)
    return FilterOptions(
        las=[(code, f"{name} ({code})") for code, name in las.items()],
        trusts=list(trusts.values_list("pk", "name")),
        alliances=alliances,
        clusters=clusters,
    )


def school_get(*, user, urn: int) -> School:
    """One school this user may see, with its trust; raises School.DoesNotExist otherwise."""
    return School.objects.visible_to(user).select_related("trust").get(urn=urn)


def school_linked_urns(*, user, school: School) -> set[int]:
    """Which of the school's predecessor and successor URNs this user can open on the register."""
    urns = {u for u in (school.predecessor_urn, school.successor_urn) if u is not None}
    if not urns:
        return set()
    return set(School.objects.visible_to(user).filter(urn__in=urns).values_list("urn", flat=True))


EXPORT_HEADER = [
    "URN",
    "Name",
    "LA code",
    "LA name",
    "Establishment type",
    "Type group",
    "Phase",
    "Status",
    "Pupils",
    "Postcode",
    "Trust",
    "Cluster",
    "Alliance",
    "Opted out",
    "Ofsted rating",
    "Ofsted last inspection",
]


def _export_row(school: School) -> list:
    return [
        school.urn,
        school.name,
        school.la_code,
        school.la_name,
        school.establishment_type,
        school.get_type_group_display(),
        school.get_phase_display(),
        school.get_status_display(),
        "" if school.number_of_pupils is None else school.number_of_pupils,
        school.postcode,
        school.trust.name if school.trust else "",
        school.cluster_name or "",
        school.alliance_name or "",
        "Yes" if school.opted_out else "No",
        school.ofsted_rating,
        school.ofsted_last_inspection.isoformat() if school.ofsted_last_inspection else "",
    ]


def school_export_rows(*, user, filters: SchoolFilters) -> Iterator[list]:
    """The header, then one row per school of ``school_list``, read in chunks from one query."""
    yield EXPORT_HEADER
    for school in school_list(user=user, filters=filters).iterator(chunk_size=2000):
        yield _export_row(school)
