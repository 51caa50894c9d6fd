"""The demo partnership: Hampshire's open schools from GIAS (April 2022), arranged by a rule.

The rule is documented in ``board/demo/SOURCE.md``; everything is written through the
same services the pages use, so the demo exercises the real import and structure code.
"""

from __future__ import annotations

import secrets
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction

from board.demo_cases import demo_cases_load
from board.demo_engagements import demo_engagements_load
from board.demo_funding import demo_funding_load
from board.demo_providers import demo_providers_load
from categorisation.default_rules import default_rules_load, default_rules_v2_load
from categorisation.models import RuleSet, Run
from categorisation.moderation import run_agree, run_confirm_pending
from categorisation.performance_import import performance_import
from categorisation.runs import rule_set_adopt, run_current_agreed
from clusters.models import Cluster
from clusters.services import alliance_create, cluster_create, schools_move
from partnership.models import Partnership, Role, RoleAssignment, User
from schools.gias_import import gias_import
from schools.models import School
from schools.services import school_set_opt_out

from .demo_meetings import demo_meetings_logins
from .demo_peer import demo_peer_load

DEMO_DIR = Path(__file__).parent / "demo"
GIAS_FILE = DEMO_DIR / "gias_20220420_hampshire850_open.csv"
ABSENCE_FILE = DEMO_DIR / "abs" / "2023-2024_850_abs.csv"
PASSWORD_FILE = Path(settings.BASE_DIR) / ".demo-password"

ALLIANCES = {
    "North Hampshire Alliance": ["Basingstoke and Deane", "Hart", "Rushmoor"],
    "East Hampshire Alliance": ["East Hampshire", "Havant", "Winchester"],
    "South Hampshire Alliance": ["Eastleigh", "Fareham", "Gosport"],
    "West Hampshire Alliance": ["New Forest", "Test Valley"],
}
MIN_CLUSTER_SIZE = 10
AWAITING_ALLOCATION_FROM = date(2021, 4, 1)
OPTED_OUT_URNS = (137693, 138719)  # two single-academy trusts, to show the opted-out list
DEMO_ALLIANCE = "North Hampshire Alliance"


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str
    scope: str


def demo_password() -> tuple[str, bool]:
    """DEMO_PASSWORD, or one generated on the first run and kept in .demo-password."""
    if settings_password := getattr(settings, "DEMO_PASSWORD", ""):
        return settings_password, False
    if PASSWORD_FILE.exists():
        return PASSWORD_FILE.read_text().strip(), False
    password = secrets.token_urlsafe(12)
    PASSWORD_FILE.write_text(password + "\n")
    PASSWORD_FILE.chmod(0o600)
    return password, True


def group_into_clusters(schools: list[School]) -> list[list[School]]:
    """Group a district's schools by postcode district, merging until each has 10 or more."""
    by_outward: dict[str, list[School]] = defaultdict(list)
    for school in schools:
        by_outward[(school.postcode.split() or ["?"])[0]].append(school)
    groups: list[list[School]] = []
    current: list[School] = []
    for outward in sorted(by_outward, key=_outward_sort_key):
        current.extend(by_outward[outward])
        if len(current) >= MIN_CLUSTER_SIZE:
            groups.append(current)
            current = []
    if current:
        if groups:
            groups[-1].extend(current)
        else:
            groups.append(current)
    return groups


def _outward_sort_key(outward: str) -> tuple[str, int]:
    letters = outward.rstrip("0123456789")
    digits = outward[len(letters) :]
    return letters, int(digits) if digits.isdigit() else 0


def cluster_name(schools: list[School]) -> str:
    town = Counter(s.town for s in schools if s.town).most_common(1)
    outwards = sorted({s.postcode.split()[0] for s in schools if s.postcode}, key=_outward_sort_key)
    codes = outwards[0] if len(outwards) == 1 else f"{outwards[0]}–{outwards[-1]}"
    return f"{town[0][0] if town else 'Cluster'} ({codes})"


def load_structure(*, partnership: Partnership) -> None:
    """Create the alliances and clusters and place the schools, if there are no alliances yet."""
    if partnership.alliances.exists():
        return
    schools = list(School.objects.in_partnership().filter(la_code="850").order_by("postcode"))
    for alliance_name, districts in ALLIANCES.items():
        alliance = alliance_create(partnership=partnership, name=alliance_name, by=None)
        for district in districts:
            placed = [
                s
                for s in schools
                if s.district == district
                and not (s.open_date and s.open_date >= AWAITING_ALLOCATION_FROM)
            ]
            for group in group_into_clusters(placed):
                cluster = cluster_create(
                    alliance=alliance,
                    name=cluster_name(group),
                    linked_hub=f"{district} Teaching School Hub",
                    school_improvement_partner=f"{district} SIP team",
                    by=None,
                )
                schools_move(schools=group, cluster=cluster, on=date(2021, 9, 1), by=None)


def load_people(*, password: str) -> list[DemoLogin]:
    """One demo user per role, scoped to the demo alliance, one of its clusters and a school."""
    cluster = Cluster.objects.filter(alliance__name=DEMO_ALLIANCE).order_by("name").first()
    school = cluster.memberships.current().select_related("school").first().school
    people = [
        ("officer@example.org", "Olivia", "Officer", Role.OFFICER, {}),
        ("chair@example.org", "Charles", "Chair", Role.BOARD_CHAIR, {}),
        ("member@example.org", "Mina", "Member", Role.BOARD_MEMBER, {}),
        (
            "alliance.chair@example.org",
            "Alan",
            "Chair",
            Role.ALLIANCE_CHAIR,
            {"alliance": cluster.alliance},
        ),
        ("cluster.lead@example.org", "Clara", "Lead", Role.CLUSTER_LEAD, {"cluster": cluster}),
        ("head@example.org", "Hannah", "Head", Role.HEADTEACHER, {"school": school}),
        ("provider@example.org", "Priya", "Provider", Role.PROVIDER, {}),
    ]
    logins = []
    for email, first, last, role, scope in people:
        user, created = User.objects.get_or_create(
            email=email, defaults={"first_name": first, "last_name": last}
        )
        if created or not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        if not RoleAssignment.objects.current().filter(user=user, role=role).exists():
            RoleAssignment.objects.create(user=user, role=role, starts_on=date(2021, 9, 1), **scope)
        label = next(iter(scope.values()), None)
        logins.append(
            DemoLogin(email, Role(role).label, str(label) if label else "whole partnership")
        )
    return logins


def load_demo() -> tuple[dict, list[DemoLogin], str, bool]:
    """Import the demo register, arrange it, and create the demo users; safe to run again."""
    result = gias_import(data=GIAS_FILE.read_bytes(), by=None)
    with transaction.atomic():
        partnership, _ = Partnership.objects.get_or_create(
            defaults={"name": "Hampshire School Improvement Partnership", "la_codes": ["850"]}
        )
        for urn in OPTED_OUT_URNS:
            school = School.objects.filter(urn=urn, opted_out=False).first()
            if school:
                school_set_opt_out(
                    school=school,
                    opted_out=True,
                    on=date(2022, 3, 31),
                    note="Governors decided to work with their trust's own improvement model.",
                    by=None,
                )
        load_structure(partnership=partnership)
        password, generated = demo_password()
        logins = load_people(password=password)
        # Categorisation: adopt the default rules (once), before any performance data arrives,
        # so that each demo upload starts a categorisation run by itself.
        default_rules_load(by=None)
        rules_v2 = default_rules_v2_load(by=None)
    load_categorisation(rules_v2=rules_v2)
    demo_providers_load(partnership=partnership)
    demo_cases_load()
    demo_engagements_load()
    demo_funding_load()
    logins += demo_meetings_logins(password=password)
    demo_peer_load()
    return result, logins, password, generated


def load_categorisation(*, rules_v2: RuleSet | None = None) -> None:
    """Adopt version 2 of the default rules when the loader has just added it (so never again,
    and never over a board's own choice), import three years of KS2 results and a year of
    absence figures (each starts a run),
    then moderate and agree the newest run, once. With real Celery workers the runs may still be
    queued: then nothing is agreed."""
    officer = User.objects.get(email="officer@example.org")
    if rules_v2 is not None:
        rule_set_adopt(rule_set=rules_v2, by=officer)
    # The register's Ofsted rating and date (GIAS, April 2022) feed the Ofsted indicators.
    performance_import(
        data=GIAS_FILE.read_bytes(),
        filename=GIAS_FILE.name,
        kind="gias",
        year="2021-2022",
        by=officer,
    )
    for path in sorted((DEMO_DIR / "ks2").glob("*_ks2final.csv")):
        performance_import(data=path.read_bytes(), filename=path.name, by=officer)
    # The most recent real data there is: attendance in 2023/24 (the performance tables' absence
    # file), which version 2 of the rules compares with England's value for the school's phase.
    performance_import(data=ABSENCE_FILE.read_bytes(), filename=ABSENCE_FILE.name, by=officer)
    if run_current_agreed() is not None:
        return
    run = (
        Run.objects.filter(purpose=Run.Purpose.OFFICIAL, state=Run.State.SUCCEEDED)
        .order_by("-created_at", "-pk")
        .first()
    )
    if run is None:
        return
    run_confirm_pending(run=run, by=officer)
    run_agree(
        run=run,
        by=User.objects.get(email="chair@example.org"),
        note="Agreed at the board's autumn meeting (demo data).",
    )
