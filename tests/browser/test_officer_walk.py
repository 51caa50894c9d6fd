"""An LA officer's walk through the foundation in a real browser: import the register from a
real GIAS file, find a school, then build an alliance and a cluster and move the school into it.
Every page passed through is checked with axe-core and photographed."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SURREY_2021 = "gias/gias_2021-05_surrey936_allestablishments.csv"
# A community primary school in the Surrey file, and its postcode.
KINGSWOOD = ("Kingswood Primary School", 124937, "KT20 7EA")


def _menu(page, label: str):
    return page.get_by_role("navigation", name="Menu").get_by_role("link", name=label, exact=True)


def _check(page, name: str) -> None:
    assert_accessible(page)
    screenshot(page, name)


def _import_surrey(page, live_server, shared_data) -> None:
    _menu(page, "Imports").click()
    expect(page.get_by_role("heading", name="Import the school register")).to_be_visible()
    _check(page, "officer-01-import")

    page.get_by_label("Upload a GIAS establishment file").set_input_files(shared_data / SURREY_2021)
    page.get_by_role("button", name="Upload and import").click()
    # Tasks run eagerly in tests: the job has finished by the time its page loads.
    expect(page.get_by_role("heading", name="School register import complete")).to_be_visible()
    expect(page.locator(".govuk-panel__body")).to_contain_text("397 created")
    expect(page.locator(".govuk-panel__body")).to_contain_text("193 skipped")
    _check(page, "officer-02-import-job")

    page.get_by_role("link", name="Import the school register").click()
    history = page.locator("#import-history")
    expect(history).to_contain_text("gias_2021-05_surrey936_allestablishments.csv")
    expect(history).to_contain_text("397 created, 0 updated, 0 unchanged, 193 skipped")
    expect(history.get_by_text("Succeeded")).to_be_visible()
    _check(page, "officer-03-import-history")


def _find_school(page) -> None:
    name, urn, postcode = KINGSWOOD
    _menu(page, "Schools").click()
    # The world's four schools and the 397 state-funded schools of the file.
    expect(page.locator("#school-count")).to_have_text("401 schools")
    _check(page, "officer-04-register")

    # Hundreds of LAs nationally: the filter is typed, and suggests the LAs one can see.
    page.get_by_role("combobox", name="Local authority").fill("Surr")
    page.get_by_role("option", name="Surrey (936)").click()
    expect(page.get_by_role("combobox", name="Local authority")).to_have_value("Surrey (936)")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#school-count")).to_have_text("397 schools")

    page.get_by_label("Search by name, URN or postcode").fill(postcode)
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#school-count")).to_have_text("1 school")
    expect(page.get_by_role("link", name="Clear filters")).to_be_visible()
    _check(page, "officer-05-register-filtered")

    page.get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
    expect(page.locator("#register-facts")).to_contain_text(str(urn))
    expect(page.locator("#partnership-facts")).to_contain_text("Not in a cluster")
    _check(page, "officer-06-school")


def _build_structure(page) -> None:
    _menu(page, "Structure").click()
    expect(page.get_by_role("heading", name="Strategic board")).to_be_visible()
    _check(page, "officer-07-structure")

    page.get_by_role("link", name="Add an alliance").click()
    _check(page, "officer-08-alliance-form")
    page.get_by_label("Name").fill("Mole Valley Alliance")
    page.get_by_label("Description (optional)").fill("Schools around Dorking and Leatherhead")
    page.get_by_role("button", name="Add alliance").click()
    expect(page.get_by_text("Mole Valley Alliance added")).to_be_visible()
    expect(page.get_by_role("heading", name="Mole Valley Alliance", level=1)).to_be_visible()
    _check(page, "officer-09-alliance")

    page.get_by_role("link", name="Add a cluster").click()
    expect(page.get_by_label("Area alliance")).to_have_value(re.compile(r"\d+"))
    page.get_by_label("Name").fill("Tadworth Cluster")
    page.get_by_label("Linked teaching school hub or alliance (optional)").fill("Surrey Hub")
    _check(page, "officer-10-cluster-form")
    page.get_by_role("button", name="Add cluster").click()
    expect(page.get_by_text("Tadworth Cluster added to Mole Valley Alliance")).to_be_visible()
    expect(page.get_by_text("There are no schools in this cluster.")).to_be_visible()
    _check(page, "officer-11-cluster-empty")


def _move_school(page) -> None:
    name, urn, _ = KINGSWOOD
    _menu(page, "Structure").click()
    page.get_by_text("398 schools in no cluster").click()  # opens the <details>
    page.get_by_role("link", name=f"Move {name}").click()
    expect(page.get_by_text("It is in no cluster.")).to_be_visible()
    _check(page, "officer-12-school-move")
    page.get_by_label("Cluster").select_option(label="Tadworth Cluster")
    page.get_by_role("button", name="Move school").click()

    expect(page.get_by_text(f"{name} moved to Tadworth Cluster")).to_be_visible()
    expect(page.get_by_role("heading", name="Tadworth Cluster", level=1)).to_be_visible()
    row = page.get_by_role("row").filter(has_text=name)
    expect(row).to_contain_text(str(urn))
    _check(page, "officer-13-cluster-with-school")

    page.goto(page.url.split("/structure/")[0] + f"/schools/{urn}/")
    expect(page.locator("#partnership-facts")).to_contain_text("Tadworth Cluster")
    expect(page.locator("#partnership-facts")).to_contain_text("Mole Valley Alliance")
    history = page.locator("#membership-history")
    expect(history).to_contain_text("Tadworth Cluster")
    expect(history).to_contain_text("Now")
    _check(page, "officer-14-school-in-cluster")


def test_officer_imports_the_register_finds_a_school_and_puts_it_in_a_new_cluster(
    page, live_server, officer, shared_data
):
    log_in(page, live_server, "officer@example.org")
    expect(page.get_by_role("heading", name="Your roles")).to_be_visible()
    _check(page, "officer-00-home")
    _import_surrey(page, live_server, shared_data)
    _find_school(page)
    _build_structure(page)
    _move_school(page)


def test_upload_of_a_file_without_urns_lists_every_problem_accessibly(
    page, live_server, officer, tmp_path
):
    bad = tmp_path / "no-urn.csv"
    bad.write_text(
        "EstablishmentName,LA (code),TypeOfEstablishment (name)\r\n"
        "Kingswood Primary School,936,Community school\r\n"
    )
    log_in(page, live_server, "officer@example.org")
    page.goto(f"{live_server.url}/schools/import/")
    page.get_by_label("Upload a GIAS establishment file").set_input_files(bad)
    page.get_by_role("button", name="Upload and import").click()

    failed = page.get_by_role("alert")
    expect(failed.get_by_role("heading", name="School register import failed")).to_be_visible()
    expect(failed).to_contain_text("The file has 4 problems. Nothing was changed.")
    problems = page.get_by_role("table", name="4 problems found")
    for column in ("URN", "EstablishmentStatus (name)", "LA (name)", "PhaseOfEducation (name)"):
        row = problems.get_by_role("row").filter(has_text=f"The file has no '{column}' column")
        expect(row).to_contain_text(column)
    expect(problems.locator("tbody tr")).to_have_count(4)
    _check(page, "import-bad-file")

    page.get_by_role("link", name="Import the school register").click()
    expect(page.locator("#import-history")).to_contain_text("4 problems, nothing changed")
    expect(page.locator("#import-history").get_by_text("Failed")).to_be_visible()
