import pytest


def test_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_login_page_uses_govuk_design_system(client, db):
    response = client.get("/accounts/login/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "govuk-template__body" in content
    assert "Email address" in content


def test_headteacher_logs_in_with_email_and_sees_their_role(client, world, head_a):
    response = client.post(
        "/accounts/login/",
        {"username": "head.a@example.org", "password": "correct horse battery staple"},
        follow=True,
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Headteacher, " in content
    link = '<a class="govuk-link" href="/schools/100001/">Ashdown Primary School (100001)</a>'
    assert link in content


def test_wrong_password_shows_an_error_summary(client, world, head_a):
    response = client.post(
        "/accounts/login/", {"username": "head.a@example.org", "password": "wrong"}
    )
    content = response.content.decode()
    assert "govuk-error-summary" in content
    assert "<title>Error: " in content
    assert "Enter a correct email address and password" in content


@pytest.mark.django_db
def test_healthz_reports_database_and_eager_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert response.json()["broker"] == "eager (no broker)"
