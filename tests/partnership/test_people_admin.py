"""The Django admin for people, roles and the board is for superusers only."""

import pytest

from partnership.models import RoleAssignment
from tests.factories import UserFactory


@pytest.fixture
def superuser(world):
    return UserFactory(
        email="admin@example.org",
        first_name="Ada",
        last_name="Admin",
        is_staff=True,
        is_superuser=True,
    )


def _admin_pages(world, head_a) -> list[str]:
    assignment = RoleAssignment.objects.get(user=head_a)
    return [
        "/admin/partnership/user/",
        f"/admin/partnership/user/{head_a.pk}/change/",
        "/admin/partnership/user/add/",
        "/admin/partnership/roleassignment/",
        f"/admin/partnership/roleassignment/{assignment.pk}/change/",
        f"/admin/partnership/roleassignment/{assignment.pk}/history/",
        "/admin/partnership/partnership/",
        f"/admin/partnership/alliance/{world.alliance_a.pk}/history/",
        "/admin/kernel/job/",
    ]


def test_superuser_reads_people_roles_and_their_history_in_the_admin(
    client, world, superuser, head_a
):
    client.force_login(superuser)
    for url in _admin_pages(world, head_a):
        assert client.get(url).status_code == 200, url


def test_role_history_in_the_admin_names_who_changed_the_role(client, world, superuser, head_a):
    assignment = RoleAssignment.objects.get(user=head_a)
    assignment.nominated_by = ""
    assignment._history_user = superuser
    assignment.save()
    client.force_login(superuser)
    content = client.get(
        f"/admin/partnership/roleassignment/{assignment.pk}/history/"
    ).content.decode()
    assert "Ada Admin" in content


def test_roles_cannot_be_added_or_deleted_in_the_admin(client, world, superuser, head_a):
    assignment = RoleAssignment.objects.get(user=head_a)
    client.force_login(superuser)
    assert client.get("/admin/partnership/roleassignment/add/").status_code == 403
    response = client.post(f"/admin/partnership/roleassignment/{assignment.pk}/delete/")
    assert response.status_code == 403
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_staff_who_are_not_superusers_cannot_use_the_partnership_admin(client, world, head_a):
    staff = UserFactory(email="staff@example.org", is_staff=True)
    client.force_login(staff)
    for url in _admin_pages(world, head_a):
        assert client.get(url).status_code == 403, url


def test_an_officer_without_staff_status_is_sent_to_the_admin_login(as_user, officer):
    response = as_user("officer").get("/admin/partnership/user/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
