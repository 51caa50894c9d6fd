"""The register's typed filters and the structure's summary in a real browser, at desktop and
phone width, with and without JavaScript, checked with axe-core."""

import pytest
from playwright.sync_api import expect

from clusters import selectors
from schools.models import School
from tests.browser.conftest import assert_accessible, log_in, screenshot
from tests.factories import TrustFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
PAGE_FITS = "() => document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def named(world):
    School.objects.filter(pk=world.school_z.pk).update(la_code="936", la_name="Surrey")
    oak = TrustFactory(name="Oak Learning Trust")
    School.objects.filter(pk__in=[world.school_a.pk, world.school_b.pk]).update(trust=oak)
    return world


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, bypass_csp=True, locale="en-GB")
    yield context.new_page()
    context.close()


@pytest.fixture
def no_javascript(browser):
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    yield context.new_page()
    context.close()


def test_officer_chooses_a_trust_from_suggestions_with_the_keyboard(
    page, live_server, officer, named
):
    log_in(page, live_server, "officer@example.org")
    page.goto(f"{live_server.url}/schools/")
    trust = page.get_by_role("combobox", name="Trust")
    trust.press_sequentially("oak", delay=50)
    option = page.get_by_role("option", name="Oak Learning Trust")
    expect(option).to_be_visible()
    expect(trust).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("status").filter(has_text="1 suggestion")).to_have_count(1)
    assert_accessible(page)  # with the list open
    screenshot(page, "national-01-trust-suggestions")

    trust.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    expect(trust).to_have_attribute("aria-activedescendant", option.get_attribute("id"))
    trust.press("Enter")  # chooses; does not send the form
    expect(trust).to_have_value("Oak Learning Trust")
    expect(trust).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#school-count")).to_have_text("4 schools")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#school-count")).to_have_text("2 schools")
    expect(page.get_by_role("combobox", name="Trust")).to_have_value("Oak Learning Trust")
    assert_accessible(page)


def test_escape_closes_the_suggestions_and_a_cluster_is_found_by_part_of_its_name(
    page, live_server, officer, named
):
    log_in(page, live_server, "officer@example.org")
    page.goto(f"{live_server.url}/schools/")
    cluster = page.get_by_role("combobox", name="Cluster")
    cluster.press_sequentially("clus", delay=50)
    suggestions = page.get_by_role("listbox", name="Suggestions for Cluster")
    expect(suggestions.get_by_role("option")).to_have_count(2)
    cluster.press("Escape")
    expect(suggestions).to_be_hidden()
    cluster.fill("andover")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#school-count")).to_have_text("2 schools")


def test_a_cluster_lead_is_offered_only_their_own_cluster(page, live_server, cluster_lead, named):
    log_in(page, live_server, "cluster.lead@example.org")
    page.goto(f"{live_server.url}/schools/")
    page.get_by_role("combobox", name="Cluster").press_sequentially("clus", delay=50)
    suggestions = page.get_by_role("listbox", name="Suggestions for Cluster")
    expect(suggestions.get_by_role("option")).to_have_text(["Andover Cluster (North Alliance)"])


def test_the_typed_filters_fit_a_phone_and_their_suggestions_too(
    phone, live_server, officer, named
):
    page = phone
    log_in(page, live_server, "officer@example.org")
    page.goto(f"{live_server.url}/schools/")
    page.get_by_role("combobox", name="Local authority").press_sequentially("sur", delay=50)
    expect(page.get_by_role("option", name="Surrey (936)")).to_be_visible()
    assert page.evaluate(PAGE_FITS), "the register is wider than the phone's screen"
    assert_accessible(page)
    screenshot(page, "national-02-phone-suggestions")
    page.get_by_role("option", name="Surrey (936)").click()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#school-count")).to_have_text("1 school")


def test_without_javascript_the_filters_match_typed_names(
    no_javascript, live_server, officer, named
):
    page = no_javascript
    log_in(page, live_server, "officer@example.org")
    page.goto(f"{live_server.url}/schools/")
    page.get_by_label("Local authority").fill("Surrey")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#school-count")).to_have_text("1 school")
    page.get_by_label("Local authority").fill("")
    page.get_by_label("Trust").fill("oak learning")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#school-count")).to_have_text("2 schools")
    screenshot(page, "national-03-no-js-typed-filters")


@pytest.fixture
def summary(monkeypatch, named):
    """The structure as a national partnership sees it: too many schools to list inline."""
    monkeypatch.setattr(selectors, "INLINE_LIMIT", 2)
    monkeypatch.setattr(selectors, "SUMMARY_LIST_LIMIT", 1)
    return named


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_the_structure_summary_cluster_page_and_lists_read_well_and_pass_axe(
    browser, live_server, officer, summary, viewport
):
    context = browser.new_context(
        bypass_csp=True, locale="en-GB", **({"viewport": viewport} if viewport else {})
    )
    page = context.new_page()
    name = "phone" if viewport else "desktop"
    log_in(page, live_server, "officer@example.org")
    page.goto(f"{live_server.url}/structure/")
    expect(page.get_by_text("There are too many schools to list on one page.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Andover Cluster")
    expect(row).to_contain_text("2")
    assert page.evaluate(PAGE_FITS), "the structure page is wider than the screen"
    assert_accessible(page)
    screenshot(page, f"national-04-structure-summary-{name}")

    row.get_by_role("link", name="Andover Cluster").click()
    expect(page.get_by_role("heading", name="Andover Cluster", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Ashdown Primary School", exact=True)).to_be_visible()
    assert page.evaluate(PAGE_FITS), "the cluster page is wider than the screen"
    assert_accessible(page)

    page.goto(f"{live_server.url}/structure/")
    page.get_by_role("link", name="See all 1 school in no cluster").click()
    expect(page.get_by_role("heading", name="Schools in no cluster", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Zeals Junior School", exact=True)).to_be_visible()
    assert page.evaluate(PAGE_FITS), "the list is wider than the screen"
    assert_accessible(page)
    screenshot(page, f"national-05-unclustered-{name}")
    context.close()
