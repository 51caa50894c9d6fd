"""The demo's directory of support providers: some of Hampshire's own schools in good standing,
an LA adviser, a teaching school hub, a multi-academy trust, NLEs and subject hubs, the demo
provider (provider@example.org) keeping one entry, and one declared conflict of interest.

Written through the directory's services; run once (nothing is added when entries exist).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count

from brokerage.models import Expertise, Provider, ProviderKind
from brokerage.provider_services import conflict_declare, provider_create, provider_set_active
from categorisation.models import Result
from categorisation.runs import run_current_agreed
from partnership.models import Partnership, Role, RoleAssignment, User
from schools.models import Phase, School, Trust

PRIMARY, SECONDARY = [Phase.PRIMARY.value], [Phase.SECONDARY.value]
BOTH = [Phase.PRIMARY.value, Phase.SECONDARY.value]
SCHOOL_OFFERS = [
    (["KS2 reading", "Phonics", "Early years"], 6),
    (["KS2 maths", "Curriculum"], 8),
    (["Writing", "KS2 reading"], 5),
    (["Attendance", "Behaviour"], 6),
    (["SEND", "Safeguarding"], 4),
    (["Leadership", "Governance"], 5),
]
# (name, kind, expertise, phases, days a term, can be paid, VAT registered)
PEOPLE = [
    (
        "Hampshire LA primary adviser",
        ProviderKind.LA_ADVISER,
        ["Leadership", "Curriculum", "KS2 maths"],
        PRIMARY,
        20,
        False,
        False,
    ),
    (
        "Solent Teaching School Hub",
        ProviderKind.TEACHING_SCHOOL_HUB,
        ["Leadership", "Early years", "Phonics", "Writing"],
        PRIMARY,
        30,
        True,
        True,
    ),
    (
        "Maths Hub for Hampshire and the Isle of Wight",
        ProviderKind.SUBJECT_HUB,
        ["KS2 maths", "KS4 maths"],
        BOTH,
        15,
        True,
        True,
    ),
    (
        "English Hub (Test Valley)",
        ProviderKind.SUBJECT_HUB,
        ["Phonics", "KS2 reading"],
        PRIMARY,
        10,
        True,
        False,
    ),
    (
        "Dr Anne Baxter, NLE",
        ProviderKind.NLE,
        ["Leadership", "Governance", "Finance"],
        BOTH,
        12,
        True,
        False,
    ),
    (
        "Mark Ellis, NLE",
        ProviderKind.NLE,
        ["Leadership", "SEND", "Behaviour"],
        SECONDARY,
        10,
        True,
        True,
    ),
    ("Sarah Kemp, SLE", ProviderKind.SLE, ["KS4 English", "Writing"], SECONDARY, 6, True, False),
]
PROVIDER_EMAIL = "provider@example.org"


def _good_schools(partnership: Partnership, count: int) -> list[School]:
    """Open primary schools of the partnership with a grid reference and, when there is an
    agreed categorisation, no support band in it (best score first)."""
    schools = School.objects.in_partnership().filter(
        la_code__in=partnership.la_codes, phase=Phase.PRIMARY, easting__isnull=False
    )
    run = run_current_agreed()
    if run is not None:
        results = Result.objects.filter(run=run, support_band="", insufficient_data=False)
        ids = list(results.order_by("score", "school__urn").values_list("school_id", flat=True))
        picked = {s.pk: s for s in schools.filter(pk__in=ids[: count * 3])}
        return [picked[pk] for pk in ids if pk in picked][:count]
    return list(schools.order_by("urn")[:count])


def _largest_trust(partnership: Partnership) -> Trust | None:
    schools = School.objects.in_partnership().filter(la_code__in=partnership.la_codes)
    counted = Trust.objects.filter(schools__in=schools).annotate(n=Count("schools"))
    return counted.order_by("-n", "name").first()


class _Areas(dict):
    """Areas of expertise by name, added to the shared list if an officer removed one."""

    def __missing__(self, name: str) -> Expertise:
        self[name] = Expertise.objects.get_or_create(name=name)[0]
        return self[name]


def _head_offer(added: list[Provider], areas: dict, officer) -> None:
    """The demo headteacher's school offers its strengths (kept by the head)."""
    head = RoleAssignment.objects.filter(
        user__email="head@example.org", role=Role.HEADTEACHER
    ).first()
    if head is None or any(p.school_id == head.school_id for p in added):
        return
    added.append(
        provider_create(
            by=head.user,
            name="",
            kind=ProviderKind.SCHOOL,
            school=head.school,
            phases=[head.school.phase],
            capacity_days_per_term=3,
            expertise=[areas["Attendance"]],
            description="Our attendance team turned persistent absence around in two years.",
        )
    )


def _school_offers(partnership: Partnership, areas: _Areas, officer) -> list[Provider]:
    schools = _good_schools(partnership, len(SCHOOL_OFFERS))
    return [
        provider_create(
            by=officer,
            name=school.name,
            kind=ProviderKind.SCHOOL,
            school=school,
            phases=PRIMARY,
            capacity_days_per_term=days,
            expertise=[areas[n] for n in names],
            description="A school in good standing offering its strengths to others.",
        )
        for school, (names, days) in zip(schools, SCHOOL_OFFERS, strict=False)
    ]


def _people(areas: _Areas, officer) -> list[Provider]:
    """Advisers, hubs and leaders of education; the first NLE is kept by the demo provider."""
    person = User.objects.filter(email=PROVIDER_EMAIL).first()
    kept = next(row[0] for row in PEOPLE if row[1] == ProviderKind.NLE)
    return [
        provider_create(
            by=officer,
            name=name,
            kind=kind,
            person=person if name == kept else None,
            phases=phases,
            capacity_days_per_term=days,
            can_be_paid=paid,
            vat_registered=vat,
            expertise=[areas[n] for n in names],
        )
        for name, kind, names, phases, days, paid, vat in PEOPLE
    ]


def _others(partnership: Partnership, areas: _Areas, officer) -> list[Provider]:
    """The county's largest multi-academy trust, and a retired adviser (inactive)."""
    others = []
    trust = _largest_trust(partnership)
    if trust is not None:
        others.append(
            provider_create(
                by=officer,
                name=trust.name.title(),
                kind=ProviderKind.MAT,
                trust=trust,
                phases=BOTH,
                capacity_days_per_term=15,
                vat_registered=True,
                expertise=[areas[n] for n in ("Leadership", "Finance", "Curriculum")],
            )
        )
    retired = provider_create(
        by=officer,
        name="Retired adviser (no longer taking work)",
        kind=ProviderKind.OTHER,
        phases=PRIMARY,
        capacity_days_per_term=0,
        expertise=[areas["KS2 reading"]],
    )
    return [*others, provider_set_active(provider=retired, active=False, by=officer)]


def _conflict(partnership: Partnership, added: list[Provider], officer) -> None:
    """The second school offering declares a conflict with a school that offers nothing."""
    offering = [p.school_id for p in added if p.school_id]
    schools = School.objects.in_partnership().filter(la_code__in=partnership.la_codes)
    neighbour = schools.exclude(pk__in=offering).order_by("urn").first()
    if neighbour is not None and len(added) > 1:
        conflict_declare(
            provider=added[1],
            school=neighbour,
            reason="The headteacher is a governor of this school.",
            by=officer,
        )


@transaction.atomic
def demo_providers_load(*, partnership: Partnership) -> int:
    """Fill the demo directory (once); how many entries were added."""
    if Provider.objects.exists():
        return 0
    areas = _Areas()
    officer = User.objects.filter(email="officer@example.org").first()
    added = _school_offers(partnership, areas, officer)
    added += _people(areas, officer) + _others(partnership, areas, officer)
    _head_offer(added, areas, officer)
    _conflict(partnership, added, officer)
    return len(added)
