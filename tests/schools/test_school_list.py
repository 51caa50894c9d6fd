"""The school register list (/schools/) and its CSV export (/schools/export.csv)."""

import csv
import io
import re

import pytest

from clusters.models import ClusterMembership
from schools.models import Phase, School, Status, TypeGroup
from tests.factories import SchoolFactory, TrustFactory

LIST = "/schools/"
EXPORT = "/schools/export.csv"
ROW_LINK = re.compile(
    r'<td class="govuk-table__cell"><a class="govuk-link" href="/schools/(\d+)/">'
)

# Which schools of the world each persona sees on the register page.
ROWS_SEEN = {
    "officer": {"A", "A2", "B", "Z"},
    "board_chair": {"A", "A2", "B", "Z"},
    "board_member": {"A", "A2", "B", "Z"},
    "alliance_chair": {"A", "A2"},
    "cluster_lead": {"A", "A2"},
    "head_a": {"A"},
    "head_b": {"B"},
    "provider": set(),
}
URN_LABELS = {100001: "A", 100002: "A2", 100003: "B", 100004: "Z"}


def shown_urns(response) -> list[int]:
    """The URNs in the register table, in the order shown."""
    return [int(urn) for urn in ROW_LINK.findall(response.content.decode())]


def labels(response) -> set[str]:
    return {URN_LABELS[urn] for urn in shown_urns(response)}


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def bulk_schools(count: int, *, cluster=None, first_urn: int = 500000, **fields) -> list[School]:
    """Many schools in two queries, each put in the cluster if one is given."""
    schools = School.objects.bulk_create(
        SchoolFactory.build(urn=first_urn + i, name=f"Bulk School {i:04d}", **fields)
        for i in range(count)
    )
    if cluster is not None:
        ClusterMembership.objects.bulk_create(
            ClusterMembership(school=school, cluster=cluster) for school in schools
        )
    return schools


# Who may open the register


def test_anonymous_visitor_is_sent_to_login(client, world):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_anonymous_visitor_cannot_download_the_csv(client, world):
    response = client.get(EXPORT)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_user_without_a_role_is_refused_the_register_and_the_csv(as_user):
    client = as_user("no_role")
    assert client.get(LIST).status_code == 403
    assert client.get(EXPORT).status_code == 403


@pytest.mark.parametrize("persona,expected", ROWS_SEEN.items())
def test_each_persona_sees_exactly_their_schools(as_user, persona, expected):
    response = as_user(persona).get(LIST)
    assert response.status_code == 200
    assert labels(response) == expected
    assert f"{len(expected)} school" in response.content.decode()


@pytest.mark.parametrize("persona,expected", ROWS_SEEN.items())
def test_each_persona_downloads_exactly_their_schools(as_user, persona, expected):
    response = as_user(persona).get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert {URN_LABELS[int(row[0])] for row in csv_rows(response)[1:]} == expected


def test_register_uses_govuk_table_tags_breadcrumbs_and_a_scrolling_wrapper(as_user, world):
    School.objects.filter(pk=world.school_b.pk).update(status=Status.PROPOSED_TO_CLOSE)
    content = as_user("officer").get(LIST).content.decode()
    assert '<div class="app-table-wrapper">' in content
    assert '<caption class="govuk-table__caption' in content
    assert "govuk-breadcrumbs" in content
    assert '<strong class="govuk-tag govuk-tag--green">Open</strong>' in content
    assert (
        '<strong class="govuk-tag govuk-tag--yellow">Open, but proposed to close</strong>'
        in content
    )


def test_table_shows_each_schools_current_cluster_alliance_and_trust(as_user, world):
    world.school_a.trust = TrustFactory(name="THE DOWNLAND TRUST")
    world.school_a.save()
    content = as_user("officer").get(LIST).content.decode()
    row = content[content.index("Ashdown Primary School") :].split("</tr>")[0]
    assert "Andover Cluster" in row
    assert "North Alliance" in row
    assert "THE DOWNLAND TRUST" in row
    assert "Hampshire" in row


# Filters and search


@pytest.fixture
def varied(world):
    """The world's schools made different enough to filter: phase, type, LA, trust, status."""
    trust = TrustFactory(name="Test Valley Trust")
    School.objects.filter(pk=world.school_a.pk).update(postcode="SP11 7DD")
    School.objects.filter(pk=world.school_a2.pk).update(
        trust=trust, type_group=TypeGroup.ACADEMY, is_academy=True
    )
    School.objects.filter(pk=world.school_b.pk).update(
        phase=Phase.SECONDARY, opted_out=True, status=Status.PROPOSED_TO_CLOSE
    )
    School.objects.filter(pk=world.school_z.pk).update(
        la_code="936", la_name="Surrey", status=Status.CLOSED
    )
    return trust


@pytest.mark.parametrize(
    "query,expected",
    [
        ("", {"A", "A2", "B"}),
        ("?q=sp117dd", {"A"}),
        ("?q=SP11+7DD", {"A"}),
        ("?q=100003", {"B"}),
        ("?q=abbotts", {"A2"}),
        ("?q=school", {"A", "A2", "B"}),
        ("?phase=secondary", {"B"}),
        ("?phase=secondary&phase=primary", {"A", "A2", "B"}),
        ("?type_group=academy", {"A2"}),
        ("?status=closed", {"Z"}),
        ("?status=all", {"A", "A2", "B", "Z"}),
        ("?status=all&la=936", {"Z"}),
        ("?opted_out=yes", {"B"}),
        ("?opted_out=no", {"A", "A2"}),
        ("?q=nothing+like+this", set()),
    ],
)
def test_officer_filters_and_searches_the_register(as_user, varied, query, expected):
    response = as_user("officer").get(LIST + query)
    assert response.status_code == 200
    assert labels(response) == expected


def test_officer_filters_by_trust_alliance_and_cluster(as_user, world, varied):
    client = as_user("officer")
    assert labels(client.get(f"{LIST}?trust={varied.pk}")) == {"A2"}
    assert labels(client.get(f"{LIST}?alliance={world.alliance_b.pk}")) == {"B"}
    assert labels(client.get(f"{LIST}?cluster={world.cluster_a1.pk}")) == {"A", "A2"}


def test_cluster_filter_counts_only_current_membership(as_user, world):
    ClusterMembership.objects.filter(school=world.school_a2).update(
        started_on="2020-09-01", ended_on="2024-08-31"
    )
    response = as_user("officer").get(f"{LIST}?cluster={world.cluster_a1.pk}")
    assert labels(response) == {"A"}


def suggested(client, field: str, text: str) -> list[str]:
    response = client.get(f"{LIST}suggestions/{field}/", {"q": text})
    assert response.status_code == 200
    return response.json()["suggestions"]


def test_filter_options_come_only_from_what_the_persona_sees(as_user, world, varied):
    TrustFactory(name="Unused Trust")
    chair = as_user("alliance_chair")
    assert suggested(chair, "trust", "trust") == ["Test Valley Trust"]
    assert suggested(chair, "la", "surrey") == []
    assert suggested(chair, "cluster", "cluster") == ["Andover Cluster (North Alliance)"]
    assert "South Alliance" not in chair.get(LIST).content.decode()
    officer = as_user("officer")
    assert suggested(officer, "la", "surrey") == ["Surrey (936)"]
    assert suggested(officer, "la", "936") == ["Surrey (936)"]
    assert suggested(officer, "cluster", "bishops") == ["Bishops Waltham Cluster (South Alliance)"]
    assert "South Alliance" in officer.get(LIST).content.decode()


def test_headteacher_cannot_filter_into_another_alliance(as_user, world):
    response = as_user("head_a").get(f"{LIST}?alliance={world.alliance_b.pk}")
    content = response.content.decode()
    assert response.status_code == 200
    assert labels(response) == {"A"}
    assert "govuk-error-summary" in content
    assert "<title>Error: " in content


def test_filters_use_govuk_components_and_remember_choices(as_user, varied):
    content = as_user("officer").get(f"{LIST}?phase=secondary&status=all&q=bram").content.decode()
    assert 'class="govuk-select' in content
    assert 'class="govuk-checkboxes__input"' in content
    assert 'class="govuk-radios__input"' in content
    assert re.search(r'value="secondary"\s+checked="checked"', content)
    assert re.search(r'value="all"\s+checked="checked"', content)
    assert 'value="bram"' in content


# Sorting


@pytest.mark.parametrize(
    "sort,expected",
    [
        ("name", [100002, 100001, 100003, 100004]),
        ("-name", [100004, 100003, 100001, 100002]),
        ("urn", [100001, 100002, 100003, 100004]),
        ("-urn", [100004, 100003, 100002, 100001]),
        ("pupils", [100003, 100002, 100001, 100004]),
        ("-pupils", [100001, 100002, 100003, 100004]),
        ("cluster", [100002, 100001, 100003, 100004]),
        ("-cluster", [100003, 100002, 100001, 100004]),
        ("phase", [100002, 100001, 100004, 100003]),
        ("la", [100002, 100001, 100003, 100004]),
        ("-la", [100004, 100002, 100001, 100003]),
    ],
)
def test_officer_sorts_the_register(as_user, world, sort, expected):
    School.objects.filter(pk=world.school_a.pk).update(number_of_pupils=400)
    School.objects.filter(pk=world.school_a2.pk).update(number_of_pupils=300, phase=Phase.NURSERY)
    School.objects.filter(pk=world.school_b.pk).update(number_of_pupils=20, phase=Phase.SECONDARY)
    School.objects.filter(pk=world.school_z.pk).update(
        number_of_pupils=None, la_code="936", la_name="Surrey"
    )
    response = as_user("officer").get(f"{LIST}?status=all&sort={sort}")
    assert shown_urns(response) == expected


def test_sorted_column_header_has_aria_sort_and_links_to_the_reverse(as_user, world):
    content = as_user("officer").get(f"{LIST}?status=all&sort=urn").content.decode()
    assert re.search(
        r'aria-sort="ascending">\s*<a class="govuk-link app-sort-link" '
        r'href="\?status=all&amp;sort=-urn">URN',
        content,
    )
    assert re.search(r'aria-sort="none">\s*<a [^>]*href="\?status=all">Name', content)


def test_csv_follows_the_sort_and_filters_of_the_page(as_user, varied):
    client = as_user("officer")
    query = "?status=all&sort=-urn&phase=primary"
    page_urns = shown_urns(client.get(LIST + query))
    rows = csv_rows(client.get(EXPORT + query))
    assert [int(row[0]) for row in rows[1:]] == page_urns == [100004, 100002, 100001]


def test_download_link_carries_the_filters(as_user, world):
    content = as_user("officer").get(f"{LIST}?q=ash&sort=-name").content.decode()
    assert 'href="/schools/export.csv?q=ash&amp;sort=-name"' in content


# Paging


def test_register_pages_by_fifty_and_page_links_keep_the_filters(as_user, world):
    bulk_schools(120, phase=Phase.SECONDARY)
    client = as_user("officer")
    first = client.get(f"{LIST}?phase=secondary&sort=urn")
    content = first.content.decode()
    assert len(shown_urns(first)) == 50
    assert "120 schools" in content
    assert 'class="govuk-pagination"' in content
    assert 'href="?phase=secondary&amp;sort=urn&amp;page=2" rel="next"' in content
    last = client.get(f"{LIST}?phase=secondary&sort=urn&page=3")
    assert shown_urns(last) == list(range(500100, 500120))
    assert 'href="?phase=secondary&amp;sort=urn&amp;page=2" rel="prev"' in last.content.decode()


def test_a_page_number_out_of_range_shows_the_last_page(as_user, world):
    bulk_schools(60)
    response = as_user("officer").get(f"{LIST}?page=99")
    assert len(shown_urns(response)) == 14


# The CSV


def test_csv_holds_every_matching_row_across_pages_with_the_agreed_columns(as_user, world):
    world.school_a.trust = TrustFactory(name="THE DOWNLAND TRUST")
    world.school_a.ofsted_rating = "Good"
    world.school_a.ofsted_last_inspection = "2023-05-17"
    world.school_a.save()
    bulk_schools(120)
    rows = csv_rows(as_user("officer").get(EXPORT))
    assert rows[0] == [
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
    assert len(rows) == 1 + 124
    row_a = next(row for row in rows if row[0] == "100001")
    assert row_a[1:9] == [
        "Ashdown Primary School",
        "850",
        "Hampshire",
        "Community school",
        "LA maintained",
        "Primary",
        "Open",
        "210",
    ]
    assert row_a[10:] == [
        "THE DOWNLAND TRUST",
        "Andover Cluster",
        "North Alliance",
        "No",
        "Good",
        "2023-05-17",
    ]


def test_csv_is_a_dated_attachment(as_user, world):
    response = as_user("officer").get(EXPORT)
    assert response.streaming
    assert re.match(
        r'attachment; filename="school-register-\d{4}-\d{2}-\d{2}\.csv"',
        response["Content-Disposition"],
    )


def test_csv_defuses_cells_a_spreadsheet_would_run_as_formulas(as_user, world):
    School.objects.filter(pk=world.school_a.pk).update(name="=HYPERLINK(1)")
    rows = csv_rows(as_user("officer").get(EXPORT))
    assert [row[1] for row in rows if row[0] == "100001"] == ["'=HYPERLINK(1)"]


# A fixed number of queries, however many schools

# Session, user, roles, the alliance list (the other filters are typed), count, page, session
# save (with its savepoint)
# and, for users whom the rules refuse a navigation item, Django's two model-permission reads.
MAX_QUERIES = 14


def _persona_cluster(world, persona: str):
    return world.cluster_a1 if persona == "alliance_chair" else world.cluster_b1


@pytest.mark.parametrize("persona", ["officer", "head_a", "alliance_chair"])
@pytest.mark.parametrize("path", [LIST, f"{LIST}?q=school&sort=-cluster", EXPORT])
def test_register_and_csv_run_the_same_number_of_queries_for_20_or_2000_schools(
    as_user, world, django_assert_max_num_queries, persona, path
):
    client = as_user(persona)
    trust = TrustFactory()
    counts = []
    for total, first_urn in ((20, 600000), (1980, 700000)):
        bulk_schools(total, cluster=_persona_cluster(world, persona), first_urn=first_urn)
        School.objects.filter(urn__gte=first_urn, urn__lt=first_urn + 10).update(trust=trust)
        with django_assert_max_num_queries(MAX_QUERIES) as captured:
            response = client.get(path)
            if response.streaming:
                rows = csv_rows(response)
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
    if path == EXPORT and persona != "head_a":
        assert len(rows) == 1 + 2000 + (2 if persona == "alliance_chair" else 4)


def test_an_unknown_sort_falls_back_to_name_without_an_error(as_user, world):
    response = as_user("officer").get(f"{LIST}?sort=password")
    assert shown_urns(response) == [100002, 100001, 100003, 100004]
    assert "govuk-error-summary" not in response.content.decode()


def test_folded_filters_open_when_one_of_them_is_set(as_user, world):
    client = as_user("officer")
    assert '<details class="govuk-details">' in client.get(LIST).content.decode()
    for query in ("?status=closed", "?phase=primary", "?opted_out=yes"):
        assert '<details class="govuk-details" open>' in client.get(LIST + query).content.decode()
