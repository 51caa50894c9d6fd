"""/healthz against a real Redis broker, with and without a Celery worker answering."""

import pytest

from tests.workers import _reset_broker_connections, worker_broker_url


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_healthz_reports_a_live_worker(client, live_celery_worker):
    response = client.get("/healthz")
    assert response.status_code == 200, response.json()
    report = response.json()
    assert report["database"] == "ok"
    assert report["broker"] == "ok"
    assert report["worker"].startswith("ok (")


@pytest.mark.django_db
def test_healthz_is_unhealthy_when_no_worker_answers(client):
    from config.celery import app

    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url")}
    try:
        # A Redis database no test worker listens on.
        app.conf.update(
            task_always_eager=False, broker_url=worker_broker_url().rsplit("/", 1)[0] + "/14"
        )
        _reset_broker_connections(app)
        response = client.get("/healthz")
    finally:
        app.conf.update(saved)
        _reset_broker_connections(app)
    assert response.status_code == 503
    assert response.json()["broker"] == "ok"
    assert response.json()["worker"] == "no worker answered"
