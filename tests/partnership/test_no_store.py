"""Pages, API answers and exports for a signed-in person are never kept in a browser's or a
proxy's cache (a confidential category must not stay on a shared computer); the sign-in page
and static files are unaffected."""

import pytest
from django.http import HttpResponse
from django.urls import reverse
from rest_framework.authtoken.models import Token

from kernel.middleware import NoStoreMiddleware


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "") and response["Pragma"] == "no-cache"


@pytest.mark.parametrize(
    "url",
    [
        lambda world: "/",
        lambda world: reverse("schools:list"),
        lambda world: reverse("schools:detail", args=[world.school_a.urn]),
        lambda world: reverse("schools:export"),
        lambda world: reverse("categorisation:summary"),
        lambda world: "/api/schools/",
        lambda world: "/api/does-not-exist/",
    ],
    ids=["home", "schools", "school page", "school CSV export", "summary", "API", "API 404"],
)
def test_signed_in_responses_are_marked_no_store(as_user, world, url):
    response = as_user("officer").get(url(world))
    assert response.status_code in (200, 404)
    assert _no_store(response)


def test_a_refused_page_for_a_signed_in_person_is_not_stored_either(as_user, world):
    response = as_user("head_a").get(reverse("schools:detail", args=[world.school_b.urn]))
    assert response.status_code == 404
    assert _no_store(response)


def test_api_answers_to_token_clients_are_marked_no_store(client, officer):
    token = Token.objects.create(user=officer)
    response = client.get("/api/schools/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert _no_store(response)


def test_sign_in_page_still_works_for_an_anonymous_visitor(client, db):
    # Django's LoginView already sends its own never-cache headers; the middleware adds none.
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Sign in" in response.content.decode()
    assert "Pragma" not in response


def test_static_files_are_left_cacheable(rf, officer, settings):
    request = rf.get(f"{settings.STATIC_URL}build/app.css")
    request.user = officer
    response = NoStoreMiddleware(lambda request: HttpResponse("css"))(request)
    assert "Cache-Control" not in response and "Pragma" not in response
