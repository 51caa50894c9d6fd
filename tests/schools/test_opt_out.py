"""Recording and withdrawing a school's opt-out from the partnership (/schools/<urn>/opt-out/)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from schools.models import School
from schools.services import school_set_opt_out

OPT_OUT_A = "/schools/100001/opt-out/"

# Only officers change the register. Others who can see school A are refused (403); those who
# cannot see it get a 404, as on its page.
OPT_OUT_A_STATUS = {
    "officer": 200,
    "board_chair": 403,
    "board_member": 403,
    "alliance_chair": 403,
    "cluster_lead": 403,
    "head_a": 403,
    "head_b": 404,
    "provider": 404,
    "no_role": 403,
}


def opt_out_data(day="27", month="3", year="2025", answer="yes", note="Governors voted to leave"):
    return {
        "opted_out": answer,
        "opted_out_on_0": day,
        "opted_out_on_1": month,
        "opted_out_on_2": year,
        "opted_out_note": note,
    }


def test_anonymous_visitor_is_sent_to_login(client, world):
    response = client.get(OPT_OUT_A)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("persona,status", OPT_OUT_A_STATUS.items())
def test_only_officers_open_the_opt_out_page(as_user, persona, status):
    assert as_user(persona).get(OPT_OUT_A).status_code == status


@pytest.mark.parametrize("persona,status", OPT_OUT_A_STATUS.items())
def test_only_officers_can_record_an_opt_out(as_user, world, persona, status):
    response = as_user(persona).post(OPT_OUT_A, opt_out_data())
    world.school_a.refresh_from_db()
    if status == 200:
        assert response.status_code == 302
        assert world.school_a.opted_out is True
    else:
        assert response.status_code == status
        assert world.school_a.opted_out is False


def test_officer_records_an_opt_out_with_date_and_note(as_user, world, officer):
    response = as_user("officer").post(OPT_OUT_A, opt_out_data(), follow=True)
    school = School.objects.get(pk=world.school_a.pk)
    assert response.redirect_chain == [("/schools/100001/", 302)]
    assert (school.opted_out, school.opted_out_on) == (True, datetime.date(2025, 3, 27))
    assert school.opted_out_note == "Governors voted to leave"
    assert school.history.latest().history_user == officer
    content = response.content.decode()
    assert "is recorded as opted out of the partnership from 27 March 2025" in content
    assert "Yes, from 27 March 2025" in content


def test_officer_withdraws_an_opt_out(as_user, world):
    School.objects.filter(pk=world.school_a.pk).update(
        opted_out=True, opted_out_on=datetime.date(2024, 1, 10)
    )
    data = opt_out_data(answer="no", note="Rejoined after the new head started")
    response = as_user("officer").post(OPT_OUT_A, data)
    school = School.objects.get(pk=world.school_a.pk)
    assert response.status_code == 302
    assert (school.opted_out, school.opted_out_on) == (False, None)
    assert school.opted_out_note == "Rejoined after the new head started"


def test_form_shows_the_current_state_in_govuk_components(as_user, world):
    School.objects.filter(pk=world.school_a.pk).update(
        opted_out=True, opted_out_on=datetime.date(2024, 1, 10)
    )
    content = as_user("officer").get(OPT_OUT_A).content.decode()
    assert 'class="govuk-date-input"' in content
    assert 'class="govuk-radios"' in content
    assert 'name="opted_out_on_2" value="2024"' in content
    main = content[content.index("<main") :]
    assert main.count('name="csrfmiddlewaretoken"') == 1


@pytest.mark.parametrize(
    "data,message",
    [
        (opt_out_data(day="", month="", year=""), "Enter the date the school opted out"),
        (opt_out_data(day="31", month="2"), "Date the school opted out must be a real date"),
        (opt_out_data(year="2999"), "Date the school opted out must be today or in the past"),
        (opt_out_data(answer=""), "Select whether the school has opted out of the partnership"),
        (opt_out_data(month=""), "Enter the month"),
    ],
)
def test_invalid_answers_show_a_govuk_error_summary(as_user, world, data, message):
    response = as_user("officer").post(OPT_OUT_A, data)
    content = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in content
    summary = content[content.index("govuk-error-summary") : content.index("<h1")]
    assert message in summary
    assert School.objects.get(pk=world.school_a.pk).opted_out is False


def test_withdrawing_needs_no_date(as_user, world):
    response = as_user("officer").post(
        OPT_OUT_A, opt_out_data(answer="no", day="", month="", year="")
    )
    assert response.status_code == 302


# The service, called directly as an import or the API would


def test_service_refuses_an_opt_out_without_a_date(world, officer):
    with pytest.raises(ValidationError) as error:
        school_set_opt_out(school=world.school_a, opted_out=True, on=None, note="", by=officer)
    assert error.value.message_dict == {"opted_out_on": ["Enter the date the school opted out"]}


def test_service_refuses_a_date_in_the_future(world, officer):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError):
        school_set_opt_out(school=world.school_a, opted_out=True, on=tomorrow, note="", by=officer)
    assert School.objects.get(pk=world.school_a.pk).opted_out is False


def test_service_accepts_today_and_records_who_made_the_change(world, officer):
    today = timezone.localdate()
    school = school_set_opt_out(
        school=world.school_a, opted_out=True, on=today, note="  Governors  ", by=officer
    )
    stored = School.objects.get(pk=school.pk)
    assert (stored.opted_out, stored.opted_out_on, stored.opted_out_note) == (
        True,
        today,
        "Governors",
    )
    assert stored.history.latest().history_user == officer
    assert School.objects.in_partnership().filter(pk=school.pk).exists() is False
