"""Every write to the structure: area alliances, family clusters and which school is in which.

Each service owns its transaction, checks what it is asked to do, raises ``ValidationError`` with
a message the officer can act on, and records who acted for django-simple-history
(``_history_user`` on a saved instance, ``default_user`` on bulk writes).
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import dateformat, timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from partnership.models import Alliance, Partnership
from partnership.selectors import partnership_or_none
from schools.models import OPEN_STATUSES, School

from .imports import StructureFileInvalid, StructurePlan, name_key, structure_file_read
from .models import Cluster, ClusterMembership

UNCHANGED = object()  # cluster_update: leave the communication lead as it is


# Alliances and clusters share one limit: the shorter of their name columns.
NAME_MAX_LENGTH = min(m._meta.get_field("name").max_length for m in (Alliance, Cluster))
TEXT_MAX_LENGTH = Cluster._meta.get_field("linked_hub").max_length


def clean_name(name: str, *, what: str) -> str:
    """The name with runs of spaces collapsed; refuse a blank or an over-long one.

    The one rule for an alliance's or cluster's name: the services apply it to every write,
    and the forms, the API and the structure upload check names with it before they write.
    """
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(f"Enter the {what}'s name", code="blank")
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(
            f"The {what}'s name must be {NAME_MAX_LENGTH} characters or less", code="max_length"
        )
    return name


def clean_text(text: str, *, label: str) -> str:
    """A line of text (a cluster's linked hub or SIP), trimmed; refuse an over-long one."""
    text = (text or "").strip()
    if len(text) > TEXT_MAX_LENGTH:
        raise ValidationError(
            f"{label} must be {TEXT_MAX_LENGTH} characters or less", code="max_length"
        )
    return text


def name_validator(what: str) -> Callable[[str], None]:
    """``clean_name`` as a field validator, for the forms and the API serializers."""
    return functools.partial(clean_name, what=what)


def text_validator(label: str) -> Callable[[str], None]:
    """``clean_text`` as a field validator, for the forms and the API serializers."""
    return functools.partial(clean_text, label=label)


LINKED_HUB = "The linked teaching school hub or alliance"
SIP = "The School Improvement Partner"


def _on_date(on: datetime.date | None) -> datetime.date:
    today = timezone.localdate()
    on = on or today
    if on > today:
        # Current membership means "not ended"; an end date in the future would end it today.
        raise ValidationError("The date must be today or in the past")
    return on


def _long(day: datetime.date) -> str:
    return dateformat.format(day, "j F Y")


def _save(instance, by) -> None:
    instance._history_user = by
    instance.save()


def _check_alliance_name(*, partnership_id: int, name: str, exclude_pk=None) -> str:
    name = clean_name(name, what="alliance")
    others = Alliance.objects.active().filter(partnership_id=partnership_id, name__iexact=name)
    if others.exclude(pk=exclude_pk).exists():
        raise ValidationError(f"There is already an open alliance called {name}")
    return name


def _check_cluster_name(*, alliance: Alliance, name: str, exclude_pk=None) -> str:
    name = clean_name(name, what="cluster")
    others = Cluster.objects.active().filter(alliance=alliance, name__iexact=name)
    if others.exclude(pk=exclude_pk).exists():
        raise ValidationError(f"{alliance} already has an open cluster called {name}")
    return name


def _locked_open(model, pk: int, what: str):
    # Locks are always taken top down (partnership, alliance, cluster, school) and, within a
    # level, in primary key order, so that no two services can deadlock.
    instance = model.objects.select_for_update().get(pk=pk)
    if not instance.is_open:
        raise ValidationError(f"{instance} is closed: choose an open {what}")
    return instance


@transaction.atomic
def alliance_create(*, partnership: Partnership, name: str, description: str = "", by) -> Alliance:
    """Add an area alliance to the partnership."""
    # Locking the partnership serialises creations, so two cannot pass the name check at once.
    Partnership.objects.select_for_update().get(pk=partnership.pk)
    name = _check_alliance_name(partnership_id=partnership.pk, name=name)
    alliance = Alliance(partnership=partnership, name=name, description=description.strip())
    _save(alliance, by)
    return alliance


@transaction.atomic
def alliance_rename(*, alliance: Alliance, name: str, by) -> Alliance:
    """Rename an open alliance; its earlier names stay in its history."""
    Partnership.objects.select_for_update().get(pk=alliance.partnership_id)
    alliance = _locked_open(Alliance, alliance.pk, "alliance")
    alliance.name = _check_alliance_name(
        partnership_id=alliance.partnership_id, name=name, exclude_pk=alliance.pk
    )
    _save(alliance, by)
    return alliance


@transaction.atomic
def alliance_close(*, alliance: Alliance, on: datetime.date | None = None, by) -> Alliance:
    """Close an alliance that has no open clusters left."""
    on = _on_date(on)
    alliance = _locked_open(Alliance, alliance.pk, "alliance")
    open_clusters = alliance.clusters.active().count()
    if open_clusters:
        raise ValidationError(
            f"{alliance} still has {open_clusters} open cluster{'s' if open_clusters > 1 else ''}: "
            "close them or move them to another alliance first"
        )
    alliance.closed_on = on
    _save(alliance, by)
    return alliance


@transaction.atomic
def alliance_merge(
    *, source: Alliance, target: Alliance, on: datetime.date | None = None, by
) -> Alliance:
    """Move the source alliance's open clusters to the target and close the source."""
    on = _on_date(on)
    if source.pk == target.pk:
        raise ValidationError("Choose a different alliance to merge into")
    first, second = sorted([source.pk, target.pk])  # a fixed lock order cannot deadlock
    locked = {pk: _locked_open(Alliance, pk, "alliance") for pk in (first, second)}
    source, target = locked[source.pk], locked[target.pk]
    if source.partnership_id != target.partnership_id:
        raise ValidationError("Choose an alliance in the same partnership")
    moving = list(source.clusters.active().select_for_update())
    taken = {name_key(n) for n in target.clusters.active().values_list("name", flat=True)}
    clashes = sorted(c.name for c in moving if name_key(c.name) in taken)
    if clashes:
        raise ValidationError(
            f"{target} already has clusters called {', '.join(clashes)}: "
            "rename or merge them before merging the alliances"
        )
    for cluster in moving:
        cluster.alliance = target
    bulk_update_with_history(moving, Cluster, ["alliance"], default_user=by)
    source.closed_on, source.merged_into = on, target
    _save(source, by)
    return target


@transaction.atomic
def cluster_create(
    *,
    alliance: Alliance,
    name: str,
    linked_hub: str = "",
    school_improvement_partner: str = "",
    communication_lead=None,
    by,
) -> Cluster:
    """Add a family cluster to an open alliance."""
    alliance = _locked_open(Alliance, alliance.pk, "alliance")
    cluster = Cluster(
        alliance=alliance,
        name=_check_cluster_name(alliance=alliance, name=name),
        linked_hub=clean_text(linked_hub, label=LINKED_HUB),
        school_improvement_partner=clean_text(school_improvement_partner, label=SIP),
        communication_lead=communication_lead,
    )
    _save(cluster, by)
    return cluster


@transaction.atomic
def cluster_update(
    *,
    cluster: Cluster,
    by,
    name: str | None = None,
    alliance: Alliance | None = None,
    linked_hub: str | None = None,
    school_improvement_partner: str | None = None,
    communication_lead=UNCHANGED,
) -> Cluster:
    """Change an open cluster's name, alliance, links or communication lead (None leaves as is)."""
    # Lock alliances before the cluster, the order every service takes, so none can deadlock.
    home = Cluster.objects.values_list("alliance_id", flat=True).get(pk=cluster.pk)
    for pk in sorted({home, alliance.pk if alliance else home}):
        Alliance.objects.select_for_update().get(pk=pk)
    cluster = _locked_open(Cluster, cluster.pk, "cluster")
    if alliance is not None and alliance.pk != cluster.alliance_id:
        cluster.alliance = _locked_open(Alliance, alliance.pk, "alliance")
    cluster.name = _check_cluster_name(
        alliance=cluster.alliance,
        name=cluster.name if name is None else name,
        exclude_pk=cluster.pk,
    )
    if linked_hub is not None:
        cluster.linked_hub = clean_text(linked_hub, label=LINKED_HUB)
    if school_improvement_partner is not None:
        cluster.school_improvement_partner = clean_text(school_improvement_partner, label=SIP)
    if communication_lead is not UNCHANGED:
        cluster.communication_lead = communication_lead
    _save(cluster, by)
    return cluster


@transaction.atomic
def cluster_close(*, cluster: Cluster, on: datetime.date | None = None, by) -> Cluster:
    """Close a cluster, ending its schools' memberships on that date."""
    on = _on_date(on)
    cluster = _locked_open(Cluster, cluster.pk, "cluster")
    if on < cluster.created_on:
        raise ValidationError(f"The date must be on or after {_long(cluster.created_on)}")
    members = cluster.memberships.current().values_list("school_id", flat=True)
    _memberships_set(targets=dict.fromkeys(members), on=on, by=by)
    cluster.closed_on = on
    _save(cluster, by)
    return cluster


@transaction.atomic
def cluster_merge(
    *, source: Cluster, target: Cluster, on: datetime.date | None = None, by
) -> Cluster:
    """Move the source cluster's schools to the target and close the source."""
    on = _on_date(on)
    if source.pk == target.pk:
        raise ValidationError("Choose a different cluster to merge into")
    first, second = sorted([source.pk, target.pk])
    locked = {pk: _locked_open(Cluster, pk, "cluster") for pk in (first, second)}
    source, target = locked[source.pk], locked[target.pk]
    members = source.memberships.current().values_list("school_id", flat=True)
    _memberships_set(targets=dict.fromkeys(members, target.pk), on=on, by=by)
    source.closed_on, source.merged_into = on, target
    _save(source, by)
    return target


@dataclass
class MoveCounts:
    moved: int = 0
    removed: int = 0
    unchanged: int = 0


def _memberships_set(*, targets: dict[int, int | None], on: datetime.date, by) -> MoveCounts:
    """Put each school (by id) in its target cluster (by id, None for no cluster)."""
    # Locking the schools serialises moves of one school, which has at most one open membership.
    list(School.objects.select_for_update().filter(pk__in=targets).values_list("pk", flat=True))
    current = {
        m.school_id: m for m in ClusterMembership.objects.current().filter(school_id__in=targets)
    }
    counts, ended, started = MoveCounts(), [], []
    for school_id, cluster_id in targets.items():
        membership = current.get(school_id)
        if (membership.cluster_id if membership else None) == cluster_id:
            counts.unchanged += 1
            continue
        if membership:
            if on < membership.started_on:
                raise ValidationError(
                    f"A school joined its cluster on {_long(membership.started_on)}: "
                    "the date must be on or after that"
                )
            membership.ended_on = on
            ended.append(membership)
        if cluster_id:
            started.append(
                ClusterMembership(school_id=school_id, cluster_id=cluster_id, started_on=on)
            )
            counts.moved += 1
        else:
            counts.removed += 1
    # End first: the database allows one open membership per school.
    if ended:
        bulk_update_with_history(ended, ClusterMembership, ["ended_on"], default_user=by)
    if started:
        bulk_create_with_history(started, ClusterMembership, default_user=by)
    return counts


def _check_movable(schools: Iterable[School], cluster: Cluster | None) -> None:
    if cluster is None:
        return
    refused = [
        f"{s} is closed"
        if s.status not in OPEN_STATUSES
        else f"{s} has opted out of the partnership"
        for s in schools
        if s.status not in OPEN_STATUSES or s.opted_out
    ]
    if refused:
        raise ValidationError(
            f"{'; '.join(refused)}: only open schools in the partnership join a cluster"
        )


@transaction.atomic
def schools_move(
    *, schools: Iterable[School], cluster: Cluster | None, on: datetime.date | None = None, by
) -> int:
    """Move the schools into the cluster (or out of any cluster); returns how many moved."""
    on = _on_date(on)
    schools = list(schools)
    if cluster is not None:
        cluster = _locked_open(Cluster, cluster.pk, "cluster")
    _check_movable(schools, cluster)
    targets = dict.fromkeys((s.pk for s in schools), cluster.pk if cluster else None)
    counts = _memberships_set(targets=targets, on=on, by=by)
    return counts.moved + counts.removed


@transaction.atomic
def school_move(
    *, school: School, cluster: Cluster | None, on: datetime.date | None = None, by
) -> ClusterMembership | None:
    """Move one school into the cluster (or out of any); returns its current membership."""
    schools_move(schools=[school], cluster=cluster, on=on, by=by)
    return ClusterMembership.objects.current().filter(school=school).first()


def structure_import(
    *, data: bytes, by, create_missing: bool = True, progress: Callable | None = None
) -> dict:
    """Read a URN,cluster[,alliance] file and set the whole structure from it, or change nothing."""
    report = progress or (lambda percent, stage: None)
    report(10, "Reading and checking the file")
    partnership = partnership_or_none()
    plan = structure_file_read(
        data=data, partnership=partnership, check_name=clean_name, create_missing=create_missing
    )
    if plan.errors:
        raise StructureFileInvalid(plan.errors)
    report(50, f"Applying the structure to {len(plan.rows)} schools")
    counts, created = structure_apply(plan=plan, partnership=partnership, by=by)
    return {
        "summary": _import_summary(counts, created),
        "counts": counts,
        "created": created,
        "errors": [],
    }


@transaction.atomic
def structure_apply(*, plan: StructurePlan, partnership: Partnership, on=None, by) -> tuple:
    """Create the plan's new alliances and clusters and move every school to its cluster."""
    on = _on_date(on)
    Partnership.objects.select_for_update().get(pk=partnership.pk)
    alliances, new_alliances = _alliances_ensure(plan=plan, partnership=partnership, by=by)
    clusters, new_clusters = _clusters_ensure(plan=plan, alliances=alliances, by=by)
    targets = {
        r.school_id: clusters[(name_key(r.alliance), name_key(r.cluster))].pk for r in plan.rows
    }
    # Open schools not in the file leave their clusters: the file is the whole structure.
    leaving = (
        ClusterMembership.objects.current()
        .filter(school__status__in=OPEN_STATUSES)
        .exclude(school_id__in=targets)
        .values_list("school_id", flat=True)
    )
    targets.update(dict.fromkeys(leaving))
    moves = _memberships_set(targets=targets, on=on, by=by)
    counts = {
        "schools moved": moves.moved,
        "unchanged": moves.unchanged,
        "removed from clusters": moves.removed,
        "clusters created": len(new_clusters),
        "alliances created": len(new_alliances),
    }
    return counts, {"alliances": new_alliances, "clusters": new_clusters}


def _alliances_ensure(*, plan: StructurePlan, partnership: Partnership, by) -> tuple[dict, list]:
    existing = {name_key(a.name): a for a in partnership.alliances.active()}
    created = []
    for name in dict.fromkeys(r.alliance for r in plan.rows):
        if name_key(name) not in existing:
            alliance = Alliance(partnership=partnership, name=clean_name(name, what="alliance"))
            _save(alliance, by)
            existing[name_key(name)] = alliance
            created.append(name)
    return existing, created


def _clusters_ensure(*, plan: StructurePlan, alliances: dict, by) -> tuple[dict, list]:
    ids = [a.pk for a in alliances.values()]
    existing = {
        (name_key(c.alliance.name), name_key(c.name)): c
        for c in Cluster.objects.active().filter(alliance_id__in=ids).select_related("alliance")
    }
    new = {}
    for row in plan.rows:
        key = (name_key(row.alliance), name_key(row.cluster))
        if key not in existing and key not in new:
            name = clean_name(row.cluster, what="cluster")
            new[key] = Cluster(alliance=alliances[key[0]], name=name)
    if new:
        made = bulk_create_with_history(list(new.values()), Cluster, default_user=by)
        existing.update(zip(new.keys(), made, strict=True))
    return existing, [f"{c.name} ({c.alliance.name})" for c in new.values()]


def _import_summary(counts: dict, created: dict) -> str:
    moved, removed = counts["schools moved"], counts["removed from clusters"]
    summary = (
        f"{moved} school{'' if moved == 1 else 's'} moved, {counts['unchanged']} unchanged, "
        f"{removed} school{'' if removed == 1 else 's'} removed from their clusters."
    )
    if created["alliances"]:
        summary += f" New alliances: {', '.join(created['alliances'])}."
    if created["clusters"]:
        summary += f" New clusters: {', '.join(created['clusters'])}."
    return summary
