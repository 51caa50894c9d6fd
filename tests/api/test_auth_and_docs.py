"""Token sign-in, the OpenAPI schema and the API documentation page."""

import re

import pytest
import yaml
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from kernel.api_docs import api_schema
from tests.conftest import PASSWORD


def token_for(email: str, password: str = PASSWORD):
    return APIClient().post("/api/token/", {"email": email, "password": password}, format="json")


def test_headteacher_gets_a_token_and_reads_only_their_school_with_it(world, head_a):
    response = token_for("head.a@example.org")
    assert response.status_code == 200
    key = response.json()["token"]
    assert Token.objects.get(key=key).user == head_a
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    schools = client.get("/api/schools/")
    assert schools.status_code == 200
    assert [row["urn"] for row in schools.json()["results"]] == [100001]
    assert client.get("/api/schools/100003/").status_code == 404


def test_token_sign_in_ignores_the_case_of_the_email_address(world, officer):
    assert token_for("Officer@Example.org").status_code == 200


def test_asking_twice_gives_the_same_token(world, officer):
    assert token_for("officer@example.org").json() == token_for("officer@example.org").json()


def test_a_wrong_password_gets_no_token(world, head_a):
    response = token_for("head.a@example.org", "wrong")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Enter a correct email address and password"]}
    assert not Token.objects.exists()


def test_a_closed_account_gets_no_token(world, head_a):
    head_a.is_active = False
    head_a.save()
    assert token_for("head.a@example.org").status_code == 400


def test_token_sign_in_is_locked_after_five_failures_like_the_sign_in_page(world, head_a):
    for _ in range(5):
        token_for("head.a@example.org", "wrong")
    response = token_for("head.a@example.org")
    assert response.status_code == 429
    assert not Token.objects.exists()


def test_a_locked_out_api_client_is_told_in_json_when_to_try_again(world, head_a):
    for _ in range(4):
        assert token_for("head.a@example.org", "wrong").status_code == 400
    fifth = token_for("head.a@example.org", "wrong")
    response = token_for("head.a@example.org")
    for locked in (fifth, response):
        assert locked.status_code == 429
        assert locked["Content-Type"] == "application/json"
        assert locked.json() == {
            "detail": "Too many failed sign-in attempts. Try again in 30 minutes"
        }


def test_the_sign_in_page_still_shows_its_lockout_page_to_people(world, head_a, client):
    for _ in range(5):
        token_for("head.a@example.org", "wrong")
    response = client.post(
        "/accounts/login/", {"username": "head.a@example.org", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert response["Content-Type"].startswith("text/html")
    assert "Too many attempts to sign in" in response.content.decode()
    assert "Wait 30 minutes" in response.content.decode()


def test_an_invalid_token_is_refused(world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.get("/api/schools/")
    assert response.status_code in (401, 403)
    assert response.json() == {"detail": "Invalid token."}


def test_token_of_an_officer_allows_a_write(world, officer):
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION=f"Token {token_for('officer@example.org').json()['token']}"
    )
    response = client.post("/api/alliances/", {"name": "East Alliance"}, format="json")
    assert response.status_code == 201


def test_schema_generates_and_validates_with_no_warnings(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    paths = yaml.safe_load(target.read_text())["paths"]
    for path in ["/api/schools/", "/api/schools/{urn}/move/", "/api/memberships/", "/api/token/"]:
        assert path in paths


def test_schema_is_served_to_signed_in_users_only(api_as, world):
    assert api_as("head_a").get("/api/schema/").status_code == 200
    assert api_as("anonymous").get("/api/schema/").status_code in (401, 403)


def test_docs_page_lists_every_operation_for_a_signed_in_user(as_user):
    response = as_user("head_a").get("/api/docs/")
    assert response.status_code == 200
    content = response.content.decode()
    assert '<h1 class="govuk-heading-xl">API documentation</h1>' in content
    assert "Get an API token" in content
    assert "Authorization: Token" in content
    for path, methods in api_schema()["paths"].items():
        assert f"<code>{path}</code>" in content
        for operation in methods.values():
            assert f'id="{operation["operationId"]}"' in content
    assert "Move a school to another cluster (LA officers)" in content
    assert "<code>ordering</code>" in content


def test_docs_page_sends_anonymous_visitors_to_sign_in(client, db):
    response = client.get("/api/docs/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_docs_page_loads_no_script_from_elsewhere_and_keeps_the_csp(as_user):
    response = as_user("head_a").get("/api/docs/")
    policy = response["Content-Security-Policy"]
    assert re.search(r"script-src 'self' 'nonce-[^']+'", policy)
    content = response.content.decode()
    for src in re.findall(r'<script[^>]*src="([^"]+)"', content):
        assert src.startswith("/static/"), src
    for tag in re.findall(r"<script(?![^>]*src=)[^>]*>", content):
        assert "nonce=" in tag, tag


@pytest.mark.parametrize("persona", ["officer", "head_a", "no_role"])
def test_every_page_footer_links_to_the_docs(as_user, persona):
    assert 'href="/api/docs/"' in as_user(persona).get("/").content.decode()
