"""Run by test_sqlite_safety.py in a subprocess with DATABASE_URL pointing at a fresh SQLite
file (the suite itself runs on PostgreSQL): migrate, set up one £15,000 allocation, then
commission twelve £2,000 engagements against it from twelve threads at once. Prints a JSON
summary: how many were committed, how many refused, any other errors, what is left and
how SQLite stored the amounts."""

import json
import os
import sys
import threading
from decimal import Decimal

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
sys.path.insert(0, os.getcwd())
django.setup()

from django.core.exceptions import ValidationError  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.utils import timezone  # noqa: E402

from brokerage.engagements import engagement_commission  # noqa: E402
from brokerage.models import Engagement, Provider, SupportCase  # noqa: E402
from clusters.models import Cluster, ClusterMembership  # noqa: E402
from funding.balances import alliance_position  # noqa: E402
from funding.ledger import ledger_post  # noqa: E402
from funding.models import Allocation, Kind, financial_year_of  # noqa: E402
from funding.services import fund_create  # noqa: E402
from partnership.models import Alliance, Partnership  # noqa: E402
from schools.models import School  # noqa: E402

THREADS, COST = 12, Decimal("2000")


def world():
    call_command("migrate", verbosity=0)
    partnership = Partnership.objects.create(name="P")
    alliance = Alliance.objects.create(partnership=partnership, name="North Alliance")
    cluster = Cluster.objects.create(alliance=alliance, name="C")
    school = School.objects.create(
        urn=1,
        name="S",
        la_code="850",
        la_name="H",
        establishment_type="x",
        type_group="la_maintained",
        phase="primary",
        status="open",
    )
    ClusterMembership.objects.create(school=school, cluster=cluster)
    fund = fund_create(partnership=partnership, year=financial_year_of(timezone.localdate()))
    Allocation.objects.create(fund=fund, alliance=alliance, amount=Decimal("15000"))
    ledger_post(
        idempotency_key="a",
        fund=fund,
        kind=Kind.ALLOCATION,
        amount=Decimal("15000"),
        alliance=alliance,
    )
    provider = Provider.objects.create(name="Hub", kind="nle")
    case = SupportCase.objects.create(school=school, origin="request")  # one live case a school
    engagements = [
        Engagement.objects.create(
            case=case,
            provider=provider,
            alliance=alliance,
            cost=COST,
        )
        for _ in range(THREADS)
    ]
    return fund, alliance, engagements


def main():
    fund, alliance, engagements = world()
    connections.close_all()
    start, outcomes = threading.Barrier(THREADS), []

    def commission(engagement):
        try:
            start.wait()
            engagement_commission(engagement=engagement, by=None)
            outcomes.append("committed")
        except ValidationError:
            outcomes.append("refused")
        except Exception as error:  # "database is locked" and the like
            outcomes.append(f"error: {error}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=commission, args=(e,)) for e in engagements]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    left = alliance_position(fund=fund, alliance_id=alliance.pk).allocation_left
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT typeof(amount) FROM funding_ledgerentry")
        stored_as = sorted(row[0] for row in cursor.fetchall())
    print(
        json.dumps(
            {
                "vendor": connection.vendor,
                "transaction_mode": connection.settings_dict["OPTIONS"].get("transaction_mode"),
                "committed": outcomes.count("committed"),
                "refused": outcomes.count("refused"),
                "errors": sorted({o for o in outcomes if o.startswith("error")}),
                "left": str(left),
                "amounts_stored_as": stored_as,
            }
        )
    )


if __name__ == "__main__":
    main()
