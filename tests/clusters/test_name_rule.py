"""One rule for alliance and cluster names (clusters.services.clean_name): the pages, the API,
the structure upload and the services refuse the same names with the same message."""

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from clusters.models import Cluster
from clusters.services import alliance_create, cluster_create, cluster_update
from partnership.models import Alliance

TOO_LONG = "N" * 201
CLUSTER_TOO_LONG = "The cluster's name must be 200 characters or less"
ALLIANCE_TOO_LONG = "The alliance's name must be 200 characters or less"
HUB_TOO_LONG = "The linked teaching school hub or alliance must be 200 characters or less"


@pytest.fixture
def api(officer) -> APIClient:
    client = APIClient()
    client.force_login(officer)
    return client


def page_errors(response) -> str:
    assert response.status_code == 200, "an invalid form is shown again"
    return response.content.decode().replace("&#x27;", "'")


def test_the_services_refuse_a_201_character_name(world, officer):
    with pytest.raises(ValidationError) as refused:
        cluster_create(alliance=world.alliance_a, name=TOO_LONG, by=officer)
    assert refused.value.messages == [CLUSTER_TOO_LONG]
    with pytest.raises(ValidationError) as refused:
        cluster_update(cluster=world.cluster_a1, linked_hub="H" * 201, by=officer)
    assert refused.value.messages == [HUB_TOO_LONG]
    with pytest.raises(ValidationError) as refused:
        alliance_create(partnership=world.partnership, name=TOO_LONG, by=officer)
    assert refused.value.messages == [ALLIANCE_TOO_LONG]
    assert not Cluster.objects.filter(name=TOO_LONG).exists()


def test_a_200_character_name_is_allowed(world, officer):
    cluster = cluster_create(alliance=world.alliance_a, name="N" * 200, by=officer)
    assert len(cluster.name) == 200


def test_the_cluster_form_and_the_api_give_the_same_message(world, as_user, api):
    body = {"alliance": world.alliance_a.pk, "name": TOO_LONG}
    page = page_errors(as_user("officer").post("/structure/clusters/new/", body))
    answer = api.post("/api/clusters/", body, format="json")

    assert CLUSTER_TOO_LONG in page
    assert answer.status_code == 400
    assert answer.json() == {"name": [CLUSTER_TOO_LONG]}
    assert not Cluster.objects.filter(name=TOO_LONG).exists()


def test_the_alliance_form_and_the_api_give_the_same_message(world, as_user, api):
    page = page_errors(as_user("officer").post("/structure/alliances/new/", {"name": TOO_LONG}))
    answer = api.post("/api/alliances/", {"name": TOO_LONG}, format="json")
    rename = api.patch(f"/api/alliances/{world.alliance_a.pk}/", {"name": TOO_LONG}, format="json")

    assert ALLIANCE_TOO_LONG in page
    assert answer.json() == rename.json() == {"name": [ALLIANCE_TOO_LONG]}
    assert not Alliance.objects.filter(name=TOO_LONG).exists()


def test_the_cluster_page_and_the_api_refuse_an_overlong_linked_hub_alike(world, as_user, api):
    cluster = world.cluster_a1
    form = {"action": "update", "alliance": cluster.alliance_id, "name": cluster.name}
    page = page_errors(
        as_user("officer").post(
            f"/structure/clusters/{cluster.pk}/", {**form, "linked_hub": "H" * 201}
        )
    )
    answer = api.patch(f"/api/clusters/{cluster.pk}/", {"linked_hub": "H" * 201}, format="json")

    assert HUB_TOO_LONG in page
    assert answer.json() == {"linked_hub": [HUB_TOO_LONG]}
    cluster.refresh_from_db()
    assert cluster.linked_hub == ""
