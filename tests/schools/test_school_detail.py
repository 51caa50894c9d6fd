"""A school's page (/schools/<urn>/): its register facts, partnership place and history."""

import datetime

import pytest

from clusters.models import ClusterMembership
from schools.models import School, Trust, TypeGroup
from tests.factories import ClusterFactory, MembershipFactory, SchoolFactory, TrustFactory

SCHOOL_B = "/schools/100003/"

# Who may open school B's page: everyone who sees it on the register; the rest get a 404.
SCHOOL_B_STATUS = {
    "officer": 200,
    "board_chair": 200,
    "board_member": 200,
    "head_b": 200,
    "alliance_chair": 404,
    "cluster_lead": 404,
    "head_a": 404,
    "provider": 404,
    "no_role": 403,
}


def summary(content: str, key: str) -> str:
    """The value shown against a summary list key."""
    start = content.index(f'<dt class="govuk-summary-list__key">{key}</dt>')
    value = content[start:].split('<dd class="govuk-summary-list__value">', 1)[1]
    return value.split("</dd>", 1)[0].strip()


def test_anonymous_visitor_is_sent_to_login(client, world):
    response = client.get(SCHOOL_B)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("persona,status", SCHOOL_B_STATUS.items())
def test_only_those_who_see_school_b_can_open_its_page(as_user, persona, status):
    response = as_user(persona).get(SCHOOL_B)
    assert response.status_code == status
    if status == 200:
        assert "Bramley Infant School" in response.content.decode()


def test_headteacher_opens_own_school_but_other_urns_look_unknown(as_user, world):
    client = as_user("head_a")
    assert client.get("/schools/100001/").status_code == 200
    hidden, unknown = client.get(SCHOOL_B), client.get("/schools/999999/")
    assert hidden.status_code == unknown.status_code == 404


def test_officer_gets_404_for_a_urn_not_on_the_register(as_user, world):
    assert as_user("officer").get("/schools/999999/").status_code == 404


def test_page_lists_the_register_facts_in_a_summary_list(as_user, world):
    trust = TrustFactory(name="THE DOWNLAND TRUST", trust_type=Trust.TrustType.MULTI_ACADEMY)
    School.objects.filter(pk=world.school_a.pk).update(
        trust=trust,
        establishment_number="2001",
        open_date=datetime.date(1974, 9, 1),
        postcode="SP11 7DD",
        town="Andover",
        district="Test Valley",
        number_of_pupils=1234,
        gias_phase="Middle deemed primary",
        ofsted_rating="Requires improvement",
        ofsted_last_inspection=datetime.date(2023, 5, 17),
    )
    response = as_user("officer").get("/schools/100001/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "govuk-breadcrumbs" in content
    assert summary(content, "URN") == "100001"
    assert summary(content, "Local authority").startswith("Hampshire (850)")
    assert summary(content, "Establishment type") == "Community school"
    assert summary(content, "Type group") == "LA maintained"
    assert summary(content, "Phase") == "Primary (GIAS: Middle deemed primary)"
    assert "govuk-tag--green" in summary(content, "Status")
    assert summary(content, "Opened") == "1 September 1974"
    assert summary(content, "Age range") == "4 to 11"
    assert summary(content, "Pupils") == "1,234"
    assert summary(content, "Location") == "Andover<br>Test Valley<br>SP11 7DD"
    assert summary(content, "Trust") == "THE DOWNLAND TRUST (Multi-academy trust)"
    rating = summary(content, "Ofsted rating (as given in GIAS)")
    assert rating == "Requires improvement<br>Last inspected 17 May 2023"


def test_closed_school_shows_a_grey_tag_and_its_close_date(as_user, world):
    School.objects.filter(pk=world.school_z.pk).update(
        status="closed", close_date=datetime.date(2021, 8, 31)
    )
    content = as_user("officer").get("/schools/100004/").content.decode()
    assert '<strong class="govuk-tag govuk-tag--grey">Closed</strong>' in content
    assert summary(content, "Closed") == "31 August 2021"


@pytest.mark.parametrize(
    "type_group,is_academy,route",
    [
        (TypeGroup.LA_MAINTAINED, False, "The local authority may intervene"),
        (TypeGroup.ACADEMY, True, "Refer concerns to DfE (the regional director)"),
        (TypeGroup.FREE_SCHOOL, True, "Refer concerns to DfE (the regional director)"),
    ],
)
def test_page_shows_the_statutory_intervention_route(as_user, world, type_group, is_academy, route):
    School.objects.filter(pk=world.school_a.pk).update(type_group=type_group, is_academy=is_academy)
    content = as_user("officer").get("/schools/100001/").content.decode()
    assert summary(content, "Intervention route") == route


def test_predecessor_and_successor_link_only_to_schools_on_the_register(as_user, world):
    School.objects.filter(pk=world.school_a.pk).update(predecessor_urn=100004, successor_urn=123456)
    content = as_user("officer").get("/schools/100001/").content.decode()
    assert summary(content, "Predecessor URN") == (
        '<a class="govuk-link" href="/schools/100004/">100004</a>'
    )
    assert summary(content, "Successor URN") == "123456"


def test_headteacher_sees_a_predecessor_urn_they_cannot_open_without_a_link(as_user, world):
    School.objects.filter(pk=world.school_a.pk).update(predecessor_urn=100004)
    content = as_user("head_a").get("/schools/100001/").content.decode()
    assert summary(content, "Predecessor URN") == "100004"


def test_page_shows_current_cluster_alliance_and_membership_history(as_user, world):
    old_cluster = ClusterFactory(alliance=world.alliance_b, name="Old Cluster")
    MembershipFactory(
        school=world.school_a,
        cluster=old_cluster,
        started_on=datetime.date(2019, 9, 1),
        ended_on=datetime.date(2023, 8, 31),
    )
    ClusterMembership.objects.filter(school=world.school_a, ended_on__isnull=True).update(
        started_on=datetime.date(2023, 9, 1)
    )
    content = as_user("head_a").get("/schools/100001/").content.decode()
    assert summary(content, "Cluster") == "Andover Cluster"
    assert summary(content, "Alliance") == "North Alliance"
    history = content[content.index('id="membership-history"') :].split("</table>")[0]
    rows = [row for row in history.split('<tr class="govuk-table__row">')[2:]]
    assert "Andover Cluster" in rows[0] and "1 September 2023" in rows[0] and "Now" in rows[0]
    assert "Old Cluster" in rows[1] and "South Alliance" in rows[1]
    assert "1 September 2019" in rows[1] and "31 August 2023" in rows[1]


def test_school_outside_any_cluster_says_so(as_user, world):
    content = as_user("officer").get("/schools/100004/").content.decode()
    assert summary(content, "Cluster") == "Not in a cluster"
    assert "This school has not been in a cluster." in content


def test_page_shows_the_opt_out_and_only_officers_get_a_change_link(as_user, world):
    School.objects.filter(pk=world.school_a.pk).update(
        opted_out=True, opted_out_on=datetime.date(2025, 3, 27), opted_out_note="Governors' vote"
    )
    officer_page = as_user("officer").get("/schools/100001/").content.decode()
    head_page = as_user("head_a").get("/schools/100001/").content.decode()
    for content in (officer_page, head_page):
        assert "Yes, from 27 March 2025" in summary(content, "Opted out")
        assert "Governors&#x27; vote" in content
    assert 'href="/schools/100001/opt-out/"' in officer_page
    assert "/opt-out/" not in head_page


@pytest.mark.parametrize("persona", ["officer", "head_a"])
def test_page_runs_the_same_number_of_queries_for_20_or_2000_schools(
    as_user, world, django_assert_max_num_queries, persona
):
    client = as_user(persona)
    School.objects.filter(pk=world.school_a.pk).update(predecessor_urn=100002, successor_urn=1)
    counts = []
    for total, first_urn in ((20, 600000), (1980, 700000)):
        schools = School.objects.bulk_create(
            SchoolFactory.build(urn=first_urn + i) for i in range(total)
        )
        ClusterMembership.objects.bulk_create(
            ClusterMembership(school=school, cluster=world.cluster_a1) for school in schools
        )
        with django_assert_max_num_queries(14) as captured:
            response = client.get("/schools/100001/")
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
