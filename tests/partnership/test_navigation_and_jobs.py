from kernel.jobs import job_create, job_succeed
from schools.jobs import GIAS_IMPORT


def _active(response) -> list[str]:
    return [item["label"] for item in response.context["navigation"] if item["active"]]


def test_only_the_most_specific_section_is_current(as_user):
    client = as_user("officer")
    assert _active(client.get("/schools/import/")) == ["Imports"]
    assert _active(client.get("/schools/")) == ["Schools"]
    assert _active(client.get("/people/audit/")) == ["Audit trail"]
    assert _active(client.get("/")) == ["Home"]


def test_headteacher_navigation_offers_no_officer_sections(as_user):
    labels = [item["label"] for item in as_user("head_a").get("/").context["navigation"]]
    assert "Imports" not in labels and "People" not in labels and "Audit trail" not in labels
    assert "Schools" in labels


def test_job_counts_keep_the_order_the_service_gave(db):
    job = job_create(kind=GIAS_IMPORT, created_by=None)
    counts = {"created": 3, "updated": 2, "unchanged": 1, "skipped": 0}
    job_succeed(job=job, result={"counts": counts})
    job.refresh_from_db()
    assert [label for label, _ in job.ordered_counts] == [
        "created",
        "updated",
        "unchanged",
        "skipped",
    ]
