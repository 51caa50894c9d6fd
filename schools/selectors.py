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
    Min,
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
# How many names the filters suggest as one types, and the longest text they match.
SUGGESTIONS = 10
MAX_FILTER_TEXT = 200
SUGGESTION_FIELDS = ("la", "trust", "cluster")
# An LA as the filter suggests it: "Surrey (936)".
LA_LABEL = re.compile(r"^.*\((?P<code>\d+)\)$")

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
    la: str = ""
    trust: str = ""
    alliance_id: int | None = None
    cluster: str = ""
    status: str = STATUS_OPEN
    opted_out: str = OPTED_OUT_ANY
    sort: str = DEFAULT_SORT


@dataclass(frozen=True)
class FilterOptions:
    """The choices a viewer may pick from a list, drawn only from what they can see. Local
    authorities, trusts and clusters (hundreds nationally) are typed instead, matched by
    ``school_list`` and suggested by ``school_filter_suggestions``."""

    alliances: list[tuple[int, str]] = field(default_factory=list)


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


def _named(visible: QuerySet, field: str, text: str) -> Q:
    """Schools whose ``field`` is ``text`` (any case) if one the viewer sees is; else those whose
    ``field`` contains it. Picking "Oak Trust" does not also bring in "Oak Trust North"."""
    if visible.filter(**{f"{field}__iexact": text}).exists():
        return Q(**{f"{field}__iexact": text})
    return Q(**{f"{field}__icontains": text})


def _in_la(visible: QuerySet, text: str) -> Q:
    """An LA by its code ("936"), its label ("Surrey (936)") or its name, whole or in part."""
    label = LA_LABEL.match(text)
    if label:
        return Q(la_code=label["code"])
    if text.isdigit():
        return Q(la_code=text)
    return _named(visible, "la_name", text)


def _in_trust(visible: QuerySet, text: str) -> Q:
    """A trust by its name, whole or in part, or its id (links made before names were typed).
    The trusts are matched first, in a subquery: matching each school's trust name instead
    makes PostgreSQL scan every school against the pattern."""
    if text.isdigit() and len(text) <= MAX_URN_DIGITS:
        return Q(trust_id=int(text))
    trusts = Trust.objects.filter(pk__in=visible.values("trust_id"))
    exact = trusts.filter(name__iexact=text)
    named = exact if exact.exists() else trusts.filter(name__icontains=text)
    return Q(trust_id__in=named.values("pk"))


def _filter(queryset: QuerySet, filters: SchoolFilters, *, user) -> QuerySet:
    queryset = _filter_status(_search(queryset, filters.q), filters.status)
    visible = School.objects.visible_to(user)
    if filters.phases:
        queryset = queryset.filter(phase__in=filters.phases)
    if filters.type_groups:
        queryset = queryset.filter(type_group__in=filters.type_groups)
    if filters.la:
        queryset = queryset.filter(_in_la(visible, filters.la))
    if filters.trust:
        queryset = queryset.filter(_in_trust(visible, filters.trust))
    if filters.cluster:
        queryset = queryset.filter(placement().in_clusters_named(user=user, text=filters.cluster))
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
    queryset = _filter(_with_current_tiers(School.objects.visible_to(user)), filters, user=user)
    return queryset.order_by(*_ordering(filters.sort))


def school_filter_options(*, user) -> FilterOptions:
    """The alliances this user sees, to pick from a list."""
    return FilterOptions(alliances=placement().alliance_choices(user=user))


def _starts_first(field: str, text: str) -> Case:
    return Case(When(**{f"{field}__istartswith": text}, then=Value(0)), default=Value(1))


def _la_suggestions(visible: QuerySet, text: str, limit: int) -> list[str]:
    # One GROUP BY over the visible schools: each LA once, however many schools it has.
    las = (
        visible.filter(Q(la_name__icontains=text) | Q(la_code__startswith=text))
        .order_by()
        .values("la_name", "la_code")
        .annotate(starts=Min(_starts_first("la_name", text)))
        .order_by("starts", "la_name", "la_code")
    )
    return [f"{la['la_name']} ({la['la_code']})" for la in las[:limit]]


def _trust_suggestions(visible: QuerySet, text: str, limit: int) -> list[str]:
    trusts = (
        Trust.objects.filter(pk__in=visible.values("trust_id"), name__icontains=text)
        .annotate(starts=_starts_first("name", text))
        .order_by("starts", "name")
    )
    return list(trusts.values_list("name", flat=True)[:limit])


def school_filter_suggestions(*, user, field: str, text: str) -> list[str]:
    """Up to ``SUGGESTIONS`` LAs, trusts or clusters of the schools this user sees whose name
    contains ``text`` (those that start with it first), as the filter matches them."""
    text = text.strip()[:MAX_FILTER_TEXT]
    if not text:
        return []
    if field == "cluster":
        return placement().cluster_suggestions(user=user, text=text, limit=SUGGESTIONS)
    visible = School.objects.visible_to(user)
    if field == "la":
        return _la_suggestions(visible, text, SUGGESTIONS)
    return _trust_suggestions(visible, text, SUGGESTIONS)


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
