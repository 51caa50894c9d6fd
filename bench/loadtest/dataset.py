"""The national data set the load benchmark serves, built with the other benchmarks' generators.

Everything is written through the app's own services, as an installation would be filled:

- the register: ``bench/gias.py``'s national GIAS file (50,000 rows: 40,100 state-funded
  schools, 22,000 of them open, 1,200 trusts), imported by ``gias_import``;
- the structure: 8 alliances of 25 family clusters each, the open schools placed by LA and
  postcode (about 110 a cluster), through ``alliance_create``, ``cluster_create`` and
  ``schools_move``;
- people: officers, a board chair, board members, a chair for each alliance, a lead for each
  cluster and a headteacher in each cluster, each with their role;
- categorisation: the default rules adopted, the register's Ofsted data and three national KS2
  years (``bench/performance_data.py``'s files, their URNs those of the register's open
  schools), each import starting an official run; the newest run confirmed and agreed by the
  board; then a what-if run of a draft and one more official run: 6 runs, 132,000 results.

It needs Django set up on the throwaway database. ``plan_build`` then returns what the locust
users need (their sessions, a school, a cluster and a run to open), as plain data.
"""

from __future__ import annotations

import csv
import io
import time
from datetime import date

ALLIANCES = 8
CLUSTERS_PER_ALLIANCE = 25
OFFICERS = 4
BOARD_MEMBERS = 12
KS2_YEARS = ["2016-2017", "2017-2018", "2018-2019"]
PLACED_ON = date(2021, 9, 1)


def _step(label: str, work):
    started = time.perf_counter()
    value = work()
    print(f"  {label}: {time.perf_counter() - started:.1f} s", flush=True)
    return value


def _register() -> dict:
    import gias

    from schools.gias_import import gias_import

    result = gias_import(data=gias.build_file(), by=None)
    assert not result.errors, result.errors[:5]
    return result.counts


def _structure() -> None:
    """8 alliances × 25 clusters; the open schools in LA and postcode order, in equal slices."""
    from clusters.services import alliance_create, cluster_create, schools_move
    from partnership.models import Partnership
    from schools.models import School

    schools = list(School.objects.in_partnership().order_by("la_code", "postcode", "urn"))
    partnership = Partnership.objects.create(
        name="National School Improvement Partnership (benchmark)",
        la_codes=sorted({s.la_code for s in schools}),
    )
    count = ALLIANCES * CLUSTERS_PER_ALLIANCE
    size = -(-len(schools) // count)
    for a in range(ALLIANCES):
        alliance = alliance_create(partnership=partnership, name=f"Alliance {a + 1}", by=None)
        for c in range(CLUSTERS_PER_ALLIANCE):
            n = a * CLUSTERS_PER_ALLIANCE + c
            group = schools[n * size : (n + 1) * size]
            cluster = cluster_create(
                alliance=alliance,
                name=f"{group[0].la_name} cluster {n + 1}",
                linked_hub=f"{group[0].la_name} Teaching School Hub",
                school_improvement_partner=f"{group[0].la_name} SIP team",
                by=None,
            )
            schools_move(schools=group, cluster=cluster, on=PLACED_ON, by=None)


def _people() -> None:
    """Every persona, with a current role (no passwords: the benchmark makes their sessions)."""
    from clusters.models import Cluster
    from partnership.models import Alliance, Role, RoleAssignment, User

    def person(email: str, role: str, **scope) -> None:
        user = User(email=email, first_name=role.replace("_", " ").capitalize(), last_name=email)
        user.set_unusable_password()
        user.save()
        RoleAssignment.objects.create(user=user, role=role, starts_on=PLACED_ON, **scope)

    for n in range(OFFICERS):
        person(f"officer{n}@bench.example.org", Role.OFFICER)
    person("chair@bench.example.org", Role.BOARD_CHAIR)
    for n in range(BOARD_MEMBERS):
        person(f"member{n}@bench.example.org", Role.BOARD_MEMBER)
    for alliance in Alliance.objects.order_by("pk"):
        person(f"alliance{alliance.pk}@bench.example.org", Role.ALLIANCE_CHAIR, alliance=alliance)
    for cluster in Cluster.objects.order_by("pk"):
        person(f"lead{cluster.pk}@bench.example.org", Role.CLUSTER_LEAD, cluster=cluster)
        school = cluster.memberships.current().order_by("school__urn").first().school
        person(f"head{school.urn}@bench.example.org", Role.HEADTEACHER, school=school)


def _ks2_file(year: str, urns: list[int], la_codes: dict[int, str]) -> bytes:
    """``bench/performance_data.py``'s national KS2 file, its schools those of the register."""
    import performance_data

    text = performance_data.build_ks2_file(year).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    urn, lea, rectype = (rows[0].index(c) for c in ("URN", "LEA", "RECTYPE"))
    for row in rows[1:]:
        if row[rectype] in ("1", "2"):
            school = urns[int(row[urn]) - 100000]
            row[urn], row[lea] = str(school), la_codes[school]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _categorisation() -> None:
    import gias

    from categorisation.default_rules import default_rules_load
    from categorisation.models import Run
    from categorisation.moderation import run_agree, run_confirm_pending
    from categorisation.performance_import import performance_import
    from categorisation.runs import (
        rule_set_create_draft,
        run_create,
        run_create_what_if,
        run_execute,
    )
    from categorisation.selectors import rule_set_adopted
    from partnership.models import User
    from schools.models import School

    officer = User.objects.get(email="officer0@bench.example.org")
    default_rules_load(by=officer)
    # Each import starts an official run (Celery runs it in this process: no broker is set).
    gias_result = performance_import(
        data=gias.build_file(), filename="gias_national.csv", kind="gias", year="2021-2022"
    )
    assert not gias_result.errors, gias_result.errors[:5]
    schools = dict(School.objects.in_partnership().order_by("urn").values_list("urn", "la_code"))
    for year in KS2_YEARS:
        data = _ks2_file(year, list(schools), schools)
        result = _step(
            f"KS2 {year} import and its run",
            lambda data=data, year=year: performance_import(
                data=data, filename=f"{year}_national_ks2final.csv", by=officer
            ),
        )
        assert not result.errors, result.errors[:5]
    newest = Run.objects.filter(purpose=Run.Purpose.OFFICIAL).latest("created_at", "pk")
    _step("confirm every pending result", lambda: run_confirm_pending(run=newest, by=officer))
    chair = User.objects.get(email="chair@bench.example.org")
    run_agree(run=newest, by=chair, note="Agreed at the board's autumn meeting (benchmark).")
    draft = rule_set_create_draft(based_on=rule_set_adopted(), by=officer)
    for run in (
        run_create_what_if(rule_set=draft, by=officer),
        run_create(rule_set=rule_set_adopted(), by=officer, trigger="Officer", enqueue=False),
    ):
        run.refresh_from_db()
        if run.state == Run.State.QUEUED:
            _step(f"run {run.pk} ({run.purpose})", lambda run=run: run_execute(run=run))
    failed = Run.objects.exclude(state=Run.State.SUCCEEDED).values_list("pk", "error")
    assert not failed, list(failed)


def support_build() -> dict:
    """``dataset_support.build``: support cases, engagements, the fund's year and a meeting."""
    import dataset_support

    return dataset_support.build()


def pack_build() -> dict:
    """``dataset_support.pack_build``: the board meeting's members' pack, by its job."""
    import dataset_support

    return dataset_support.pack_build()


def build() -> dict:
    """Fill the (migrated, empty) database; returns what it holds."""
    from categorisation.models import MeasureValue, Result, Run
    from clusters.models import Cluster
    from partnership.models import User
    from schools.models import School, Trust

    _step("register (GIAS, national)", _register)
    _step("8 alliances x 25 clusters", _structure)
    _step("people and roles", _people)
    _step("categorisation (rules, data, runs)", _categorisation)
    support = _step("support cases, engagements, the fund's year, a meeting", support_build)
    return {
        **{key: value for key, value in support.items() if key != "meeting"},
        "schools": School.objects.count(),
        "open_schools": School.objects.in_partnership().count(),
        "trusts": Trust.objects.count(),
        "local_authorities": School.objects.values("la_code").distinct().count(),
        "clusters": Cluster.objects.count(),
        "users": User.objects.count(),
        "values": MeasureValue.objects.count(),
        "runs": Run.objects.count(),
        "results": Result.objects.count(),
    }


def _session(user) -> str:
    """A signed-in session for the user, as the sign-in page would leave it."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def plan_build(per_persona: int = 20) -> dict:
    """For each persona, accounts to sign in as (a session each) with a school, a cluster, an
    LA and the runs they can see; and the agreed run."""
    from board.models import Meeting
    from categorisation.models import Run
    from clusters.models import Cluster
    from partnership.models import Role, RoleAssignment

    agreed = Run.objects.filter(agreed_at__isnull=False).values_list("pk", flat=True).first()
    # The board's meeting for the meeting page (the one in progress, built by dataset_support).
    meeting = Meeting.objects.filter(alliance__isnull=True).values_list("pk", flat=True).first()
    personas = {
        "board": [Role.BOARD_MEMBER, Role.BOARD_CHAIR],
        "officer": [Role.OFFICER],
        "alliance_chair": [Role.ALLIANCE_CHAIR],
        "head": [Role.HEADTEACHER],
    }
    plan = {"agreed_run": agreed, "meeting": meeting, "personas": {}}
    for persona, roles in personas.items():
        accounts = []
        assignments = RoleAssignment.objects.filter(role__in=roles).select_related(
            "user", "alliance", "school"
        )
        for assignment in assignments.order_by("pk")[:per_persona]:
            if assignment.school:
                school = assignment.school
                cluster = school.cluster_memberships.current().get().cluster
            else:
                clusters = Cluster.objects.order_by("pk")
                if assignment.alliance:
                    clusters = clusters.filter(alliance=assignment.alliance)
                cluster = clusters[len(accounts) % clusters.count()]
                school = cluster.memberships.current().order_by("-school__urn").first().school
            accounts.append(
                {
                    "email": assignment.user.email,
                    "session": _session(assignment.user),
                    "urn": school.urn,
                    "cluster": cluster.pk,
                    "alliance": cluster.alliance_id,
                    "la": school.la_code,
                    "town": school.town,
                    # The runs this user may open (an alliance chair no what-if run).
                    "runs": list(
                        Run.objects.visible_to(assignment.user)
                        .order_by("pk")
                        .values_list("pk", flat=True)
                    ),
                }
            )
        plan["personas"][persona] = accounts
    return plan
