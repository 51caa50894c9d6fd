"""axe-core over the officer's other pages: people, invitations, the audit trail, the structure's
alliance, cluster and upload pages, a job page, the API docs and a school's opt-out form."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _check(page, name: str) -> None:
    assert_accessible(page)
    screenshot(page, name)


def _people_pages(page, live_server) -> None:
    page.goto(f"{live_server.url}/people/")
    expect(page.get_by_role("heading", name="People", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="head.a@example.org")).to_have_count(0)
    _check(page, "pages-01-people")

    page.get_by_role("row").filter(has_text="head.a@example.org").get_by_role("link").click()
    expect(page.get_by_role("heading", name="Current roles")).to_be_visible()
    expect(page.get_by_text("Headteacher, Ashdown Primary School (100001)")).to_be_visible()
    # The role's own question is revealed only when that role is chosen.
    expect(page.get_by_label("School URN")).to_be_hidden()
    page.get_by_label("Headteacher", exact=True).check()
    expect(page.get_by_label("School URN")).to_be_visible()
    _check(page, "pages-02-person")

    page.goto(f"{live_server.url}/people/invite/")
    _check(page, "pages-03-invite")
    page.get_by_role("button", name="Send invitation").click()
    # Waits for the page the click loads (the title is empty while it navigates).
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter their email address")
    expect(summary).to_contain_text("Enter their first name")
    expect(summary).to_contain_text("Enter their last name")
    _check(page, "pages-04-invite-errors")

    page.goto(f"{live_server.url}/people/audit/")
    expect(page.get_by_role("heading", name="Audit trail")).to_be_visible()
    _check(page, "pages-05-audit")


def _structure_pages(page, live_server) -> None:
    page.goto(f"{live_server.url}/structure/")
    page.get_by_role("link", name="North Alliance", exact=True).click()
    expect(page.get_by_role("heading", name="North Alliance", level=1)).to_be_visible()
    _check(page, "pages-06-alliance")

    page.get_by_role("link", name="Andover Cluster", exact=True).click()
    expect(page.get_by_role("heading", name="Andover Cluster", level=1)).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Abbotts Ann Primary School")).to_be_visible()
    _check(page, "pages-07-cluster")


def _structure_upload(page, live_server, tmp_path) -> None:
    upload = tmp_path / "structure.csv"
    upload.write_text("URN,cluster\r\n100004,Andover Cluster\r\n")
    page.goto(f"{live_server.url}/structure/upload/")
    expect(page.get_by_role("heading", name="Upload the whole structure")).to_be_visible()
    _check(page, "pages-08-structure-upload")

    page.get_by_label("Upload a CSV file").set_input_files(upload)
    page.get_by_role("button", name="Upload and apply").click()
    expect(page.get_by_role("heading", name="Structure upload", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Structure upload complete")).to_be_visible()
    # The file names one school: it joins the cluster, and the others leave theirs.
    expect(page.locator(".govuk-panel__body")).to_contain_text("1 school moved")
    expect(page.get_by_role("link", name="Upload the whole structure")).to_be_visible()
    _check(page, "pages-09-job")


def test_officer_pages_are_accessible(page, live_server, officer, head_a, tmp_path):
    log_in(page, live_server, "officer@example.org")
    _people_pages(page, live_server)
    _structure_pages(page, live_server)
    _structure_upload(page, live_server, tmp_path)

    page.goto(f"{live_server.url}/api/docs/")
    expect(page.get_by_role("heading", name="API documentation", level=1)).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/schools/100001/opt-out/")
    expect(page.get_by_role("heading", name="Opt-out from the partnership")).to_be_visible()
    _check(page, "pages-10-opt-out")
    page.get_by_label("Yes").check()
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2025")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Date the school opted out must be a real date"
    )
    _check(page, "pages-11-opt-out-errors")
