"""The structure CSV upload: a good file sets the whole structure; a bad one changes nothing and
lists every problem by row and column."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from clusters.jobs import STRUCTURE_IMPORT
from clusters.models import Cluster, ClusterMembership
from clusters.services import StructureFileInvalid, structure_import
from kernel.models import Job
from partnership.models import Alliance
from schools.models import Status
from tests.factories import ClusterFactory, SchoolFactory, UserFactory

TODAY = timezone.localdate()
NOT_CSV = "The selected file is not a CSV file: save it as CSV (UTF-8) and upload it again"


def csv(text: str, encoding: str = "utf-8") -> bytes:
    return text.replace("\n", "\r\n").encode(encoding)


def where(school):
    membership = ClusterMembership.objects.current().filter(school=school).first()
    return membership and membership.cluster.name


def snapshot():
    """Everything an upload could write, to prove a refused file wrote nothing."""
    return (
        list(ClusterMembership.objects.values_list("pk", "school_id", "cluster_id", "ended_on")),
        list(Cluster.objects.values_list("pk", "name", "alliance_id", "closed_on")),
        list(Alliance.objects.values_list("pk", "name", "closed_on")),
        ClusterMembership.history.count(),
        Cluster.history.count(),
        Alliance.history.count(),
    )


def problems(data: bytes, **kwargs) -> list[tuple]:
    before = snapshot()
    with pytest.raises(StructureFileInvalid) as refused:
        structure_import(data=data, by=UserFactory(), **kwargs)
    assert snapshot() == before, "a refused file must write nothing"
    return [(p["row"], p["column"], p["message"]) for p in refused.value.problems]


@pytest.fixture
def by(db):
    return UserFactory(email="uploader@example.org")


def test_good_file_moves_schools_keeps_history_and_counts(world, by):
    data = csv(
        "URN,cluster,alliance\n"
        "100001,Bishops Waltham Cluster,South Alliance\n"  # moves from A1
        "100002,Andover Cluster,North Alliance\n"  # stays
        "100003,Bishops Waltham Cluster,South Alliance\n"  # stays
        "100004,Andover Cluster,\n"  # from no cluster; the alliance is found from the name
    )
    result = structure_import(data=data, by=by)
    assert result["counts"] == {
        "schools moved": 2,
        "unchanged": 2,
        "removed from clusters": 0,
        "clusters created": 0,
        "alliances created": 0,
    }
    assert result["errors"] == []
    assert where(world.school_a) == "Bishops Waltham Cluster"
    assert where(world.school_z) == "Andover Cluster"
    old = ClusterMembership.objects.get(school=world.school_a, cluster=world.cluster_a1)
    assert old.ended_on == TODAY
    assert old.history.latest().history_user == by
    assert ClusterMembership.objects.filter(school=world.school_a2).count() == 1


def test_open_schools_missing_from_the_file_leave_their_cluster(world, by):
    closed_member = SchoolFactory(status=Status.CLOSED)
    ClusterMembership.objects.create(school=closed_member, cluster=world.cluster_a1)
    result = structure_import(data=csv("URN,Cluster\n100001,Andover Cluster\n"), by=by)
    assert result["counts"]["removed from clusters"] == 2  # school A2 and school B
    assert where(world.school_a2) is None and where(world.school_b) is None
    assert where(world.school_a) == "Andover Cluster"
    # Only open schools are taken out; a closed school's record is left as it was.
    assert where(closed_member) == "Andover Cluster"
    assert "2 schools removed from their clusters" in result["summary"]


def test_new_alliances_and_clusters_are_created_and_listed(world, by):
    data = csv(
        "urn,CLUSTER,Alliance\n"
        "100001,Romsey Cluster,North Alliance\n"
        "100002,romsey cluster,north alliance\n"
        "100003,Fareham Cluster,East Alliance\n"
        "100004,Fareham Cluster,\n"
    )
    result = structure_import(data=data, by=by)
    assert result["counts"]["clusters created"] == 2
    assert result["counts"]["alliances created"] == 1
    assert result["created"] == {
        "alliances": ["East Alliance"],
        "clusters": ["Romsey Cluster (North Alliance)", "Fareham Cluster (East Alliance)"],
    }
    assert "New alliances: East Alliance." in result["summary"]
    east = Alliance.objects.get(name="East Alliance")
    assert east.partnership == world.partnership
    assert east.history.get().history_user == by
    assert where(world.school_z) == "Fareham Cluster"
    assert where(world.school_a2) == "Romsey Cluster"


def test_new_names_are_problems_when_creating_is_not_allowed(world):
    data = csv("URN,cluster,alliance\n100001,Romsey Cluster,North Alliance\n100003,X,East\n")
    assert problems(data, create_missing=False) == [
        (2, "cluster", "North Alliance has no open cluster called Romsey Cluster"),
        (3, "alliance", "There is no open alliance called East"),
    ]


def test_every_problem_is_listed_by_row_and_column_and_nothing_is_written(world):
    SchoolFactory(urn=100005, status=Status.CLOSED, name="Closed School")
    SchoolFactory(urn=100006, opted_out=True, name="Opted Out School")
    ClusterFactory(alliance=world.alliance_b, name="Andover Cluster")
    data = csv(
        "URN,cluster\n"
        "100001,Bishops Waltham Cluster\n"
        "abc,Bishops Waltham Cluster\n"
        ",Bishops Waltham Cluster\n"
        "999999,Bishops Waltham Cluster\n"
        "100001,Bishops Waltham Cluster\n"
        "100002,\n"
        "100003,Andover Cluster\n"
        "100004,Brand New Cluster\n"
        "100005,Bishops Waltham Cluster\n"
        "100006,Bishops Waltham Cluster\n"
    )
    assert problems(data) == [
        (3, "URN", "URN must be a number, like 100001 (not abc)"),
        (4, "URN", "Enter the school's URN"),
        (5, "URN", "There is no school with URN 999999 in the register"),
        (6, "URN", "URN 100001 is already on row 2"),
        (7, "cluster", "Enter the name of the school's cluster"),
        (
            8,
            "alliance",
            "There is a cluster called Andover Cluster in more than one alliance: "
            "enter its alliance in the alliance column",
        ),
        (
            9,
            "alliance",
            "Brand New Cluster is a new cluster: enter its alliance in an alliance column",
        ),
        (10, "URN", "Closed School (100005) is closed: take it out of the file"),
        (
            11,
            "URN",
            "Opted Out School (100006) has opted out of the partnership: take it out of the file",
        ),
    ]


def test_one_bad_row_stops_the_whole_file(world):
    data = csv(
        "URN,cluster\n100001,Bishops Waltham Cluster\n100004,Bishops Waltham Cluster\n12,X\n"
    )
    assert problems(data) == [(4, "URN", "There is no school with URN 12 in the register")]
    assert where(world.school_a) == "Andover Cluster"
    assert where(world.school_z) is None


def test_names_longer_than_200_characters_are_problems_by_row_and_column(world):
    long_cluster, long_alliance = "C" * 201, "A" * 201
    data = csv(
        "URN,cluster,alliance\n"
        f"100001,{long_cluster},South Alliance\n"
        f"100004,Andover Cluster,{long_alliance}\n"
        f"100002,{'D' * 200},North Alliance\n"  # 200 is allowed
    )
    assert problems(data) == [
        (2, "cluster", "The cluster's name must be 200 characters or less"),
        (3, "alliance", "The alliance's name must be 200 characters or less"),
    ]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", [(None, "", "The file is empty: upload a CSV file with a header row")]),
        (
            csv("URN,cluster\n"),
            [(None, "", "The file has no schools in it: add a row for each school")],
        ),
        (
            csv("school,cluster\n100001,Andover Cluster\n"),
            [(1, "URN", "The header row must have a column called URN")],
        ),
        (
            csv("100001,Andover Cluster\n"),
            [
                (1, "URN", "The header row must have a column called URN"),
                (1, "cluster", "The header row must have a column called cluster"),
            ],
        ),
        (
            csv("URN,cluster,Cluster\n100001,Andover Cluster,Andover Cluster\n"),
            [(1, "cluster", "The header row has more than one cluster column")],
        ),
        (
            b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00",
            [(None, "", NOT_CSV)],
        ),
        (
            b"URN,cluster\r\n\x81\x8d\x8f,X\r\n",
            [(None, "", NOT_CSV)],
        ),
    ],
    ids=[
        "empty",
        "header-only",
        "no-urn-column",
        "no-header",
        "repeated-column",
        "spreadsheet",
        "unreadable-bytes",
    ],
)
def test_files_without_a_usable_header_or_rows_are_refused(world, data, expected):
    assert problems(data) == expected


def test_a_byte_order_mark_and_windows_1252_are_both_read(world, by):
    bom = "\ufeffURN,cluster,alliance\n100004,Café Cluster,North Alliance\n"
    structure_import(data=csv(bom), by=by)
    assert where(world.school_z) == "Café Cluster"
    windows = "URN,cluster,alliance\n100004,Café Cluster,North Alliance\n100001,Café Cluster,\n"
    result = structure_import(data=csv(windows, "cp1252"), by=by)
    assert where(world.school_a) == "Café Cluster"
    assert result["counts"]["clusters created"] == 0


def test_short_and_long_rows_are_read_by_column_name(world, by):
    data = csv("cluster,URN,notes\nAndover Cluster,100004,new school,extra\nAndover Cluster\n")
    assert problems(data) == [(3, "URN", "Enter the school's URN")]
    data = csv("cluster,URN,notes\nAndover Cluster,100004,new school,extra\n")
    structure_import(data=data, by=by)
    assert where(world.school_z) == "Andover Cluster"


def test_the_same_file_twice_changes_nothing_the_second_time(world, by):
    data = csv("URN,cluster\n100001,Bishops Waltham Cluster\n100002,Andover Cluster\n")
    structure_import(data=data, by=by)
    memberships = ClusterMembership.objects.count()
    again = structure_import(data=data, by=by)
    assert again["counts"]["schools moved"] == 0
    assert again["counts"]["unchanged"] == 2
    assert ClusterMembership.objects.count() == memberships


def test_real_gias_schools_grouped_into_clusters_by_constituency(db, world, by, shared_data):
    """Hampshire and Surrey primaries from the 2022 GIAS file, clustered by parliamentary
    constituency within an alliance per local authority: a realistic whole-structure upload."""
    import pandas as pd

    gias = pd.read_csv(
        shared_data / "gias" / "gias_20220420_hampshire850_surrey936_primaryphase.csv",
        dtype=str,
        keep_default_na=False,
        usecols=[
            "URN",
            "EstablishmentName",
            "EstablishmentStatus (name)",
            "LA (name)",
            "ParliamentaryConstituency (name)",
        ],
    )
    open_schools = gias[gias["EstablishmentStatus (name)"].str.startswith("Open")]
    for urn, name in open_schools[["URN", "EstablishmentName"]].itertuples(index=False):
        SchoolFactory(urn=int(urn), name=name)
    rows = open_schools.rename(
        columns={"ParliamentaryConstituency (name)": "cluster", "LA (name)": "alliance"}
    )[["URN", "cluster", "alliance"]]
    result = structure_import(data=rows.to_csv(index=False).encode(), by=by)
    counts = result["counts"]
    assert counts["schools moved"] == len(open_schools)
    assert counts["alliances created"] == 2  # Hampshire and Surrey
    assert counts["clusters created"] == open_schools["ParliamentaryConstituency (name)"].nunique()
    assert counts["removed from clusters"] == 3  # the world's own schools are not in the file
    assert ClusterMembership.objects.current().count() == len(open_schools)


def test_officer_uploads_a_file_and_sees_the_outcome_on_the_job_page(
    world, officer, client, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    upload = SimpleUploadedFile(
        "structure.csv", csv("URN,cluster\n100004,Andover Cluster\n"), content_type="text/csv"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/structure/upload/", {"file": upload})
    job = Job.objects.get(kind=STRUCTURE_IMPORT)
    assert response.status_code == 302
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert job.state == Job.State.SUCCEEDED
    assert job.created_by == officer
    assert job.result["counts"]["schools moved"] == 1
    assert where(world.school_z) == "Andover Cluster"
    page = client.get(response["Location"]).content.decode()
    assert "Structure upload complete" in page
    assert "1 school moved" in page


def test_a_bad_upload_fails_its_job_lists_problems_and_writes_nothing(
    world, officer, client, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    before = snapshot()
    upload = SimpleUploadedFile("structure.csv", csv("URN,cluster\n100004,Nowhere\n12,X\n"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/structure/upload/", {"file": upload, "create_missing": ""})
    job = Job.objects.get(kind=STRUCTURE_IMPORT)
    assert job.state == Job.State.FAILED
    assert job.error == "The file has 2 problems"
    assert snapshot() == before
    page = client.get(response["Location"]).content.decode()
    assert "There is no school with URN 12 in the register" in page
    assert "Nowhere is a new cluster: enter its alliance in an alliance column" in page


def test_the_upload_form_refuses_a_file_that_is_not_csv(world, officer, client):
    client.force_login(officer)
    upload = SimpleUploadedFile("structure.xlsx", b"PK\x03\x04")
    response = client.post("/structure/upload/", {"file": upload})
    content = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in content
    assert "The selected file must be a CSV" in content
    assert not Job.objects.exists()


def test_the_upload_page_warns_that_missing_schools_leave_their_clusters(world, officer, client):
    client.force_login(officer)
    content = client.get("/structure/upload/").content.decode()
    assert "will be taken out of their cluster" in content
    assert "Create the alliances and clusters in the file that do not exist yet" in content
