"""The form editor for draft rules, settings and indicators: each page submits what the page
shows, the whole definition is validated before anything is saved, and nothing is saved if not.
Triggers, read-only rules and who may edit are in ``test_rule_editor_triggers``."""

from html.parser import HTMLParser

import pytest

from tests.categorisation.test_rule_pages import DEFINITION, rule_sets_create


@pytest.fixture
def rule_sets(world, officer):
    return rule_sets_create(by=officer)


@pytest.fixture
def adopted(rule_sets):
    return rule_sets[0]


@pytest.fixture
def draft(rule_sets):
    return rule_sets[1]


class _FormFields(HTMLParser):
    """What a browser would submit from the page's form with the id ``rule-editor``."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, str] = {}
        self._in_form = False
        self._select: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == "rule-editor":
            self._in_form = True
        if not self._in_form or not attrs.get("name") and tag != "option":
            return
        if tag == "input" and attrs.get("type") in ("checkbox", "radio"):
            if "checked" in attrs:
                self.data[attrs["name"]] = attrs.get("value", "on")
        elif tag == "input":
            self.data[attrs["name"]] = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.data[self._textarea] = ""
        elif tag == "select":
            self._select, self._first_option = attrs["name"], None
            self.data[attrs["name"]] = ""
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = attrs.get("value", "")
            if "selected" in attrs:
                self.data[self._select] = attrs.get("value", "")

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        if tag == "textarea" and self._textarea:
            # Browsers drop the newline Django puts after <textarea>.
            self.data[self._textarea] = self.data[self._textarea].removeprefix("\n")
            self._textarea = None
        if tag == "select":
            self._select = None


def page_form(client, url: str) -> dict[str, str]:
    response = client.get(url)
    assert response.status_code == 200
    parser = _FormFields()
    parser.feed(response.content.decode())
    parser.data.pop("csrfmiddlewaretoken", None)
    return parser.data


def error_summary(page: str) -> str:
    start = page.find("govuk-error-summary__list")
    return page[start : page.find("</ul>", start)] if start >= 0 else "(no error summary)"


def definition_of(rule_set) -> dict:
    rule_set.refresh_from_db()
    return rule_set.definition


# Settings, categories and support bands ----------------------------------------------------------


def test_settings_page_shows_the_drafts_categories_in_fields(as_user, draft):
    data = page_form(as_user("officer"), f"/categorisation/rules/{draft.pk}/settings/")
    assert data["min_cohort"] == "11"
    assert data["year_weights"] == "3, 2, 1"
    assert data["categories-0-label"] == "Universal support"
    assert data["categories-3-code"] == "4" and data["categories-3-focused"] == "on"
    assert data["categories-TOTAL_FORMS"] == "7"  # four categories and three blank rows
    assert data["bands-2-band"] == "high"


def test_officer_changes_settings_and_adds_a_category(as_user, draft):
    client = as_user("officer")
    url = f"/categorisation/rules/{draft.pk}/settings/"
    data = page_form(client, url)
    assert data["name"] == "Partnership default rules"
    data.update(
        {
            "name": "Rules for 2026",
            "notes": "Monitor starts at 4 points",
            "min_cohort": "6",
            "year_weights": "1",
            "categories-1-min_score": "4",
            # Typed in a blank row, out of order: saved in order of score.
            "categories-4-code": "5",
            "categories-4-label": "Urgent support",
            "categories-4-min_score": "14",
            "categories-4-focused": "on",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == f"/categorisation/rules/{draft.pk}/"
    saved = definition_of(draft)
    assert draft.name == "Rules for 2026" and draft.notes == "Monitor starts at 4 points"
    assert saved["min_cohort"] == 6 and saved["year_weights"] == [1]
    assert [c["code"] for c in saved["categories"]] == ["1", "2", "3", "4", "5"]
    assert saved["categories"][1]["min_score"] == 4
    assert saved["categories"][4] == {
        "code": "5",
        "label": "Urgent support",
        "min_score": 14,
        "focused": True,
    }
    assert saved["indicators"] == DEFINITION["indicators"]
    assert saved["triggers"] == DEFINITION["triggers"]


def test_removing_a_category_a_trigger_needs_is_refused_and_nothing_is_saved(as_user, draft):
    client = as_user("officer")
    url = f"/categorisation/rules/{draft.pk}/settings/"
    data = page_form(client, url)
    data["categories-3-DELETE"] = "on"
    data["min_cohort"] = "5"
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: " in page
    assert "govuk-error-summary" in page
    assert (
        "Trigger &#x27;ofsted_inadequate&#x27;: the minimum category &#x27;4&#x27; is not one of "
        "the categories" in page
    )
    assert definition_of(draft) == DEFINITION


def test_a_half_filled_category_row_shows_what_is_missing(as_user, draft):
    client = as_user("officer")
    url = f"/categorisation/rules/{draft.pk}/settings/"
    data = page_form(client, url)
    data.update({"categories-5-label": "Extra", "year_weights": "3, two"})
    page = client.post(url, data).content.decode()
    assert "Category 6: Enter the category&#x27;s code, like 3" in page
    assert "Category 6: Enter the category&#x27;s lowest score" in page
    assert 'href="#id_categories-5-code"' in page
    assert "Enter the weights as numbers separated by commas, like 3, 2, 1" in page
    assert definition_of(draft) == DEFINITION


# Indicators --------------------------------------------------------------------------------------


def test_indicator_page_shows_the_indicator_and_its_bands(as_user, draft):
    data = page_form(as_user("officer"), f"/categorisation/rules/{draft.pk}/indicators/1/")
    assert data["code"] == "ks2_rwm"
    assert data["measure"] == "KS2_PTRWM_EXP"
    assert data["comparison"] == "threshold"
    assert data["direction"] == "below"
    assert data["bands-0-limit"] == "65" and data["bands-0-points"] == "3"
    assert data["bands-1-label"] == "Below the former coasting level (85%)"


def test_officer_changes_an_indicators_band(as_user, draft):
    client = as_user("officer")
    url = f"/categorisation/rules/{draft.pk}/indicators/1/"
    data = page_form(client, url)
    data.update({"bands-0-points": "4", "bands-2-limit": "50", "bands-2-points": "6"})
    response = client.post(url, data)
    assert response.status_code == 302
    bands = definition_of(draft)["indicators"][0]["bands"]
    assert bands == [
        {"below": 50, "points": 6, "label": "Below 50"},
        {"below": 65, "points": 4, "label": "Below the former floor (65%)"},
        {"below": 85, "points": 1, "label": "Below the former coasting level (85%)"},
    ]


def test_a_band_with_no_points_is_refused_and_nothing_is_saved(as_user, draft):
    client = as_user("officer")
    url = f"/categorisation/rules/{draft.pk}/indicators/1/"
    data = page_form(client, url)
    data["bands-0-points"] = ""
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page
    assert "Band 1: Enter the points for the band" in page
    assert definition_of(draft) == DEFINITION


def test_officer_adds_a_trend_indicator_where_higher_is_worse(as_user, draft):
    client = as_user("officer")
    url = f"/categorisation/rules/{draft.pk}/indicators/add/"
    data = page_form(client, url)
    data.update(
        {
            "code": "inspection_age",
            "label": "Years since the latest graded inspection",
            "measure": "OFSTED_INSPECTION_YEARS",
            "comparison": "threshold",
            "direction": "above",
            "bands-0-limit": "5",
            "bands-0-points": "1",
            "bands-1-limit": "8",
            "bands-1-points": "2",
        }
    )
    assert client.post(url, data).status_code == 302
    added = definition_of(draft)["indicators"][1]
    assert added["measure"] == "OFSTED_INSPECTION_YEARS"
    assert added["bands"] == [
        {"above": 8, "points": 2, "label": "Above 8"},
        {"above": 5, "points": 1, "label": "Above 5"},
    ]
    assert "trend_years" not in added


def test_a_trend_needs_its_years(as_user, draft):
    client = as_user("officer")
    url = f"/categorisation/rules/{draft.pk}/indicators/1/"
    data = page_form(client, url)
    data["comparison"] = "trend"
    page = client.post(url, data).content.decode()
    assert "Enter how many years the trend covers" in page
    assert definition_of(draft) == DEFINITION


def test_a_new_indicator_with_a_code_already_used_is_refused(as_user, draft):
    client = as_user("officer")
    url = f"/categorisation/rules/{draft.pk}/indicators/add/"
    data = page_form(client, url)
    data.update(
        {
            "code": "ofsted_inadequate",
            "label": "Copy",
            "measure": "KS2_PTRWM_HIGH",
            "comparison": "national",
            "direction": "below",
            "bands-0-limit": "-5",
            "bands-0-points": "2",
        }
    )
    page = client.post(url, data).content.decode()
    assert "Indicator and trigger codes must be unique: &#x27;ofsted_inadequate&#x27;" in page
    assert definition_of(draft) == DEFINITION


def test_officer_removes_an_indicator_after_confirming(as_user, draft):
    client = as_user("officer")
    url = f"/categorisation/rules/{draft.pk}/indicators/1/remove/"
    assert "Remove the indicator ks2_rwm?" in client.get(url).content.decode()
    assert definition_of(draft) == DEFINITION
    assert client.post(url, page_form(client, url)).status_code == 302
    assert definition_of(draft)["indicators"] == []


def test_an_indicator_that_does_not_exist_is_not_found(as_user, draft):
    assert (
        as_user("officer").get(f"/categorisation/rules/{draft.pk}/indicators/2/").status_code == 404
    )
