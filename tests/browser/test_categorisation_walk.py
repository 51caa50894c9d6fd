"""Categorisation in a real browser, on real data: an LA officer uploads the 2018/19 KS2
performance tables for Hampshire, which starts a run with the board's default rules; the officer
reads one school's explanation, changes its category with a reason and confirms the rest; the
board chair agrees the run; the summary shows it; and the headteacher of that school sees their
own school's agreed category and why, and nothing else. Every page is checked with axe-core and
photographed; the wide pages are checked on a 375px phone."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.categorisation_data import (
    COMPUTED,
    HEAD_EMAIL,
    HYTHE,
    KS2_2019,
    SCHOOLS,
    VIGO,
    hampshire_register_create,
    vigo_headteacher_create,
)
from tests.browser.conftest import assert_accessible, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
PAGE_FITS = "() => document.documentElement.scrollWidth <= window.innerWidth"
REASON = "A new headteacher started in September and the LA adviser's visit found rapid progress."


@pytest.fixture
def vigo(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # the uploaded file is kept; not in the project
    return hampshire_register_create(world)


def _check(page, name: str) -> None:
    assert_accessible(page)
    screenshot(page, f"categorisation-{name}")


def _menu(page, label: str):
    return page.get_by_role("navigation", name="Menu").get_by_role("link", name=label, exact=True)


def _sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()


def _upload(page) -> None:
    _menu(page, "Categorisation").click()
    expect(page.get_by_text("The board has not agreed a categorisation yet.")).to_be_visible()
    _check(page, "01-summary-empty")

    page.get_by_role("link", name="Upload performance data").click()
    expect(page.get_by_role("heading", name="Performance data", level=1)).to_be_visible()
    _check(page, "02-data")
    page.get_by_label("Upload a performance data file").set_input_files(KS2_2019)
    page.get_by_role("button", name="Upload and import").click()
    # Tasks run eagerly in tests: the import, and the run it starts, have finished by now.
    expect(page.get_by_role("heading", name="Performance data import complete")).to_be_visible()
    # 334 rows: 315 mainstream schools, all on the register; 16 special schools, which are not
    # (the GIAS file holds the primary phase only); and the LA's and England's rows. The file's
    # prior-year columns give two earlier years' values until those years' own files arrive.
    expect(page.locator(".govuk-panel__body")).to_have_text(
        "Written: 3,780 values for 315 schools; 16 URNs are not on the register; also 4,920 "
        "values for 2016-2017 and 2017-2018 from the file's prior-year columns, until those "
        "years' own files are imported"
    )
    expect(page.get_by_role("link", name="follow the run")).to_be_visible()
    _check(page, "03-data-job")

    page.get_by_role("link", name="Performance data", exact=True).click()
    row = page.locator("#import-history tbody tr").first
    expect(row).to_contain_text(KS2_2019.name)
    expect(row).to_contain_text("2018-2019")
    expect(row.get_by_text("Succeeded")).to_be_visible()
    _check(page, "04-data-history")


def _open_run(page) -> str:
    _menu(page, "Categorisation").click()
    page.get_by_role("link", name="Categorisation runs").click()
    runs = page.locator("#runs tbody tr")
    expect(runs).to_have_count(1)
    # Nobody pressed "Start": the upload started the run.
    expect(runs.first).to_contain_text(f"Data upload: {KS2_2019.name}")
    expect(runs.first).to_contain_text("Partnership default rules, version 1")
    expect(runs.first.get_by_text("Succeeded")).to_be_visible()
    expect(runs.first.locator("td").nth(7)).to_have_text(str(SCHOOLS))
    _check(page, "05-runs")

    runs.first.get_by_role("link").click()
    expect(page.locator("#moderation-counts")).to_have_text(
        f"{SCHOOLS} schools: {SCHOOLS} not moderated, 0 confirmed, 0 changed at moderation."
    )
    # The board cannot agree a run until every result is moderated, so it is not offered yet.
    expect(page.locator("#agree-waits")).to_be_visible()
    expect(page.get_by_role("link", name="Record the board's agreement")).to_have_count(0)
    _check(page, "06-run")
    return page.url


def _explain_and_override(page) -> str:
    name = VIGO[0]
    page.get_by_label("Category").select_option(label="4: Intensive support")
    page.get_by_role("button", name="Apply filters").click()
    results = page.locator("#results tbody tr")
    expect(results).to_have_count(COMPUTED["4: Intensive support"])
    vigo_row = results.filter(has_text=name)
    expect(vigo_row).to_have_count(1)
    expect(vigo_row).to_contain_text("North Alliance")
    _check(page, "07-run-filtered")

    page.get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
    expect(page.locator("#category")).to_have_text("4: Intensive support, medium support band")
    rwm = page.get_by_role("row").filter(
        has_text="KS2 reading, writing and maths at the expected standard, against England"
    )
    expect(rwm).to_contain_text("More than 20 points below England")
    reading = page.get_by_role("row").filter(has_text="KS2 reading progress")
    # Three years now (the file's prior-year columns), weighted 3:2:1 as the rules say.
    expect(reading).to_contain_text("2016-2017 to 2018-2019")
    expect(reading).to_contain_text("-5.13")
    expect(page.get_by_text("Below the former KS2 floor standard").first).to_be_visible()
    _check(page, "08-result")
    result_url = page.url

    page.get_by_label("3: Focused support").check()
    page.get_by_label("Medium").check()
    page.get_by_label("Reason for the change").fill(REASON)
    page.get_by_role("button", name="Change the category").click()
    expect(page.get_by_text(f"{name}: category changed at moderation")).to_be_visible()
    # Back on the run, showing what is left to moderate.
    expect(page).to_have_url(re.compile(r"moderation=pending"))
    expect(page.get_by_role("link", name=name)).to_have_count(0)
    _check(page, "09-run-after-override")
    return result_url


def _confirm_the_rest(page, run_url: str) -> None:
    page.get_by_role("button", name=f"Confirm all {SCHOOLS - 1} pending results").click()
    expect(page.get_by_text(f"{SCHOOLS - 1} results confirmed")).to_be_visible()
    expect(page.locator("#moderation-counts")).to_have_text(
        f"{SCHOOLS} schools: 0 not moderated, {SCHOOLS - 1} confirmed, 1 changed at moderation."
    )
    page.goto(f"{run_url}?moderation=overridden")
    row = page.locator("#results tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("3: Focused support")
    expect(row).to_contain_text("Computed: 4: Intensive support")
    expect(row.get_by_text("Changed")).to_be_visible()
    _check(page, "10-run-moderated")


def _agree(page, live_server, run_url: str) -> None:
    _sign_out(page)
    log_in(page, live_server, "chair@example.org")
    page.goto(run_url)
    # The board chair agrees but does not moderate.
    expect(page.get_by_role("button", name=re.compile("Confirm all"))).to_have_count(0)
    page.get_by_role("link", name="Record the board's agreement").click()
    expect(page.locator("#agree-counts")).to_have_text(
        f"{SCHOOLS} schools: {SCHOOLS - 1} confirmed, 1 changed at moderation, 0 not moderated."
    )
    _check(page, "11-agree")
    page.get_by_label("Note of the board's decision").fill("Board meeting of 9 October, minute 4")
    page.get_by_role("button", name="Record the board's agreement").click()
    expect(page.get_by_text(re.compile(r"Run \d+ is agreed"))).to_be_visible()
    expect(page.locator("#agreement")).to_contain_text("Board meeting of 9 October, minute 4")
    expect(page.get_by_role("link", name="Record the board's agreement")).to_have_count(0)
    _check(page, "12-run-agreed")


def _summary(page) -> None:
    _menu(page, "Categorisation").click()
    expect(page.locator("#school-total")).to_have_text(f"{SCHOOLS:,}")
    table = page.locator("#table-category")
    # Vigo Primary moved from Intensive to Focused support at moderation.
    agreed = {
        **COMPUTED,
        "3: Focused support": COMPUTED["3: Focused support"] + 1,
        "4: Intensive support": COMPUTED["4: Intensive support"] - 1,
    }
    for label, count in agreed.items():
        expect(table.get_by_role("row").filter(has_text=label)).to_contain_text(f"{count:,}")
    # With JavaScript the chart is drawn beside the table, at a readable size.
    chart = page.locator("#category-chart")
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box["width"] >= 300 and box["height"] >= 150, box
    expect(page.get_by_text("This is the first agreed categorisation")).to_be_visible()
    _check(page, "13-summary")


def _headteacher(page, live_server) -> None:
    name = VIGO[0]
    _sign_out(page)
    log_in(page, live_server, HEAD_EMAIL)
    _menu(page, "Schools").click()
    page.get_by_role("link", name=name).click()
    section = page.locator("section[id^=categorisation-run-]")
    expect(section).to_have_count(1)
    expect(section).to_contain_text("Current categorisation, agreed")
    expect(section).to_contain_text("3: Focused support")
    expect(section).to_contain_text("The rules computed 4: Intensive support")
    expect(section).to_contain_text(REASON)
    section.get_by_text("categorisation was reached").click()  # opens the explanation
    # Maths progress over 2016/17 to 2018/19, weighted 3:2:1 (2018/19 alone: -6.2).
    maths = section.get_by_role("row").filter(has_text="KS2 maths progress")
    expect(maths).to_contain_text("-5.63")
    _check(page, "14-head-school")

    expect(_menu(page, "Categorisation")).to_have_count(0)
    response = page.goto(f"{live_server.url}/categorisation/")
    assert response.status == 403
    _check(page, "15-head-summary-forbidden")
    response = page.goto(f"{live_server.url}/schools/{HYTHE[1]}/")
    assert response.status == 404
    expect(page.get_by_text(HYTHE[0])).to_have_count(0)
    _check(page, "16-head-other-school")


def _fits_a_phone(browser, live_server, run_url: str, result_url: str) -> None:
    context = browser.new_context(viewport=PHONE, bypass_csp=True, locale="en-GB")
    phone = context.new_page()
    log_in(phone, live_server, "officer@example.org")
    pages = {
        "summary": f"{live_server.url}/categorisation/",
        "runs": f"{live_server.url}/categorisation/runs/",
        "run": run_url,
        "result": result_url,
        "data": f"{live_server.url}/categorisation/data/",
    }
    for name, url in pages.items():
        phone.goto(url)
        assert phone.evaluate(PAGE_FITS), f"the {name} page is wider than a phone's screen"
        if name == "summary":
            box = phone.locator("#category-chart").bounding_box()
            assert box["height"] >= 250, f"the chart is too small to read on a phone: {box}"
        screenshot(phone, f"categorisation-phone-{name}")
    context.close()


def test_officer_uploads_ks2_data_moderates_the_run_the_board_agrees_and_the_head_sees_why(
    page, browser, live_server, officer, board_chair, vigo
):
    vigo_headteacher_create(vigo)
    log_in(page, live_server, "officer@example.org")
    _upload(page)
    run_url = _open_run(page)
    result_url = _explain_and_override(page)
    _confirm_the_rest(page, run_url)
    _agree(page, live_server, run_url)
    _summary(page)
    _fits_a_phone(browser, live_server, run_url, result_url)
    _headteacher(page, live_server)
