"""The fund's pages and API run the same number of queries with 20 engagements as with
2,000: every balance is a grouped aggregate, every list a page."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from brokerage.models import Engagement, Provider, SupportCase
from clusters.models import ClusterMembership
from funding.models import Kind, LedgerEntry
from tests.factories import SchoolFactory

MAX_QUERIES = 16
HOME_MAX_QUERIES = 22


def _engagements(world, fund, count: int) -> None:
    """``count`` commissioned engagements in alliance A (half of them part paid), written in
    bulk as the services would have written them."""
    schools = SchoolFactory.build_batch(count // 2)
    for school in schools:
        school.pk = None
    schools = SchoolFactory._meta.model.objects.bulk_create(schools)
    ClusterMembership.objects.bulk_create(
        ClusterMembership(school=s, cluster=world.cluster_a1) for s in schools
    )
    provider = Provider.objects.create(name="Hub", kind="nle")
    cases = SupportCase.objects.bulk_create(
        # closed: a school has one live case at a time (the fund's pages do not read it)
        SupportCase(school=schools[i % len(schools)], origin="request", state="closed")
        for i in range(count)
    )
    engagements = Engagement.objects.bulk_create(
        Engagement(
            case=case,
            provider=provider,
            alliance=world.alliance_a,
            cost=Decimal("7.50"),
            state="commissioned",
            commissioned_at=timezone.now(),
        )
        for case in cases
    )
    entries = []
    for i, engagement in enumerate(engagements):
        kinds = [(Kind.COMMITMENT, Decimal("7.50"))] + (
            [(Kind.PAYMENT, Decimal("2.00"))] if i % 2 else []
        )
        for kind, amount in kinds:
            entry = LedgerEntry(
                fund=fund,
                kind=kind,
                amount=amount,
                alliance=world.alliance_a,
                engagement=engagement,
                school_id=engagement.case.school_id,
                idempotency_key=f"{kind}:{engagement.pk}",
            )
            entry.digest = entry.compute_digest()
            entries.append(entry)
    LedgerEntry.objects.bulk_create(entries)


def _urls(world, fund):
    year = fund.year
    return [
        reverse("funding:position", args=[year]),
        reverse("funding:schools", args=[year]),
        reverse("funding:alliance", args=[year, world.alliance_a.pk]),
        reverse("funding:school", args=[year, world.school_a.urn]),
        reverse("funding:ledger", args=[year]),
        reverse("funding:forecast", args=[year]),
        reverse("funding:allocation", args=[year]),
        reverse("funding:export-csv", args=[year]),
        "/api/fund/position/",
        "/api/fund/ledger/",
        "/",
    ]


def _counts(client, urls) -> list[int]:
    counts = []
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        counts.append(len(queries))
    return counts


@pytest.mark.parametrize("persona", ["officer", "alliance_chair"])
def test_pages_run_the_same_queries_for_20_and_2000_engagements(persona, world, fund, as_user):
    client = as_user(persona)
    urls = [
        u
        for u in _urls(world, fund)
        if persona == "officer" or "alliances" in u or u in ("/", "/api/fund/position/")
    ]
    _engagements(world, fund, 20)
    few = _counts(client, urls)
    _engagements(world, fund, 1980)
    many = _counts(client, urls)
    assert few == many, list(zip(urls, few, many, strict=True))
    pages = [count for url, count in zip(urls, many, strict=True) if url != "/"]
    assert max(pages) <= MAX_QUERIES, list(zip(urls, many, strict=True))
    # the home page's worklist gathers every app's sources (cases, engagements, fund, meetings)
    assert many[urls.index("/")] <= HOME_MAX_QUERIES
