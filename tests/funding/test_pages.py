"""The fund's pages: what they show and what their forms record."""

from decimal import Decimal

from django.urls import reverse
from openpyxl import load_workbook

from brokerage.engagements import engagement_commission
from funding.models import Kind, LedgerEntry

from .conftest import fund_with_income


def test_the_position_shows_budget_allocated_committed_spent_and_remaining(
    fund, engagement, officer, as_user
):
    engagement_commission(engagement=engagement, by=officer)
    page = as_user("board_member").get(reverse("funding:position", args=[fund.year]))
    text = page.content.decode()
    for figure in ("£95,500.00", "£40,000.00", "£7,500.00", "£88,000.00"):
        assert figure in text


def test_sending_the_income_form_twice_records_it_once(fund, as_user):
    url = reverse("funding:income", args=[fund.year])
    data = {
        "source": "external_bid",
        "amount": "£2,500.50",
        "description": "Bid",
        "idempotency_key": "twice",
    }
    client = as_user("officer")
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    entries = LedgerEntry.objects.filter(kind=Kind.INCOME, source="external_bid")
    assert [e.amount for e in entries] == [Decimal("2500.50")]


def test_an_amount_that_is_not_pounds_and_pence_is_refused_with_a_message(fund, as_user):
    url = reverse("funding:income", args=[fund.year])
    page = as_user("officer").post(url, {"source": "la_grant", "amount": "12.345"})
    text = page.content.decode()
    assert "<title>Error: " in text
    assert "Enter an amount in pounds and pence" in text


def test_per_pupil_contributions_come_from_the_registers_pupil_numbers(world, fund, as_user):
    for school, pupils in ((world.school_a, 200), (world.school_b, 150), (world.school_z, 50)):
        school.number_of_pupils = pupils
        school.save()
    world.school_z.opted_out = True
    world.school_z.save()
    url = reverse("funding:per-pupil", args=[fund.year])
    as_user("officer").post(url, {"rate": "5", "idempotency_key": "pp"})
    entry = LedgerEntry.objects.get(source="schools_per_pupil")
    assert entry.amount == Decimal("5") * (200 + 150 + (world.school_a2.number_of_pupils or 0))


def test_an_officer_reverses_an_entry_with_a_reason(fund, as_user):
    entry = LedgerEntry.objects.filter(kind=Kind.FIXED_COST).first()
    url = reverse("funding:reverse", args=[fund.year, entry.pk])
    response = as_user("officer").post(
        url, {"reason": "Chair paid by the LA", "idempotency_key": "r"}
    )
    assert response.status_code == 302
    assert entry.reversed_by.amount == Decimal("-4500")


def test_the_payment_form_records_a_payment(world, fund, engagement, officer, as_user):
    engagement_commission(engagement=engagement, by=officer)
    url = reverse("funding:payment", args=[fund.year, engagement.pk])
    response = as_user("officer").post(url, {"net": "1500", "vat": "", "idempotency_key": "p"})
    assert response.status_code == 302
    assert LedgerEntry.objects.get(kind=Kind.PAYMENT).amount == Decimal("1500")


def test_the_allocation_preview_shows_the_rules_effect_when_money_is_short(
    world, officer, agreed_run, as_user
):
    fund = fund_with_income(world.partnership, officer, amount="24500")
    url = reverse("funding:allocation", args=[fund.year])
    text = as_user("board_member").get(url + "?rule=priority").content.decode()
    assert "is more than the budget of £20,000.00" in text
    assert "£20,000.00" in text and "£0.00" in text  # South gets all; North nothing
    text = as_user("board_member").get(url + "?rule=pro_rata").content.decode()
    assert "£7,500.00" in text and "£12,500.00" in text
    assert "Agree allocation" not in text  # a board member sees, the chair agrees


def test_the_tariff_is_changed_by_the_board_chair(fund, as_user):
    url = reverse("funding:tariff", args=[fund.year])
    data = {"high": "30000", "medium": "15000", "low": "7500", "idempotency_key": "t"}
    assert as_user("board_chair").post(url, data).status_code == 302
    assert fund.tariff.get(band="high").amount == Decimal("30000")


def test_the_position_exports_as_csv_and_xlsx(fund, engagement, officer, as_user):
    engagement_commission(engagement=engagement, by=officer)
    client = as_user("officer")
    csv_text = client.get(reverse("funding:export-csv", args=[fund.year])).content.decode()
    assert "Fund,Improvement fund" in csv_text and "95500.00" in csv_text
    assert "School,Ashdown Primary School,100001,,7500.00,0.00," in csv_text
    response = client.get(reverse("funding:export-xlsx", args=[fund.year]))
    import io

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Level" and rows[1][3] == 95500


def test_the_forecast_costs_the_agreed_categorisation_under_the_tariff(fund, as_user):
    text = as_user("officer").get(reverse("funding:forecast", args=[fund.year])).content.decode()
    # Medium £15,000 + High £25,000 + Low £7,500 (school Z, in no cluster, still costs).
    assert "£47,500.00" in text


def test_an_officer_is_shown_proposed_support_the_allocation_cannot_afford(
    world, fund, officer, as_user
):
    from .conftest import make_engagement

    too_big = make_engagement(world.school_a, world.alliance_a, "16000")
    make_engagement(world.school_a, world.alliance_a, "1000")
    url = reverse("funding:alliance", args=[fund.year, world.alliance_a.pk])
    text = as_user("officer").get(url).content.decode()
    assert f"/fund/engagements/{too_big.pk}/overdraw/" in text
    assert text.count("/overdraw/") == 1
    assert f"<title>North Alliance, fund {fund.name} – " in text
    assert "/overdraw/" not in as_user("alliance_chair").get(url).content.decode()


def test_recording_the_board_decision_lets_the_support_be_commissioned(
    world, fund, officer, as_user
):
    from brokerage.engagements import engagement_commission

    from .conftest import make_engagement

    too_big = make_engagement(world.school_a, world.alliance_a, "16000")
    url = reverse("funding:overdraw", args=[too_big.pk])
    assert as_user("officer").post(url, {"reference": "Minute 12"}).status_code == 302
    engagement_commission(engagement=too_big, by=officer)
    assert LedgerEntry.objects.get(kind=Kind.COMMITMENT).amount == Decimal("16000")


def test_the_ledger_offers_to_reverse_only_what_can_be_reversed_by_hand(fund, as_user):
    text = as_user("officer").get(reverse("funding:ledger", args=[fund.year])).content.decode()
    income = LedgerEntry.objects.get(kind=Kind.INCOME)
    allocation = LedgerEntry.objects.filter(kind=Kind.ALLOCATION).first()
    assert f"/entries/{income.pk}/reverse/" in text
    assert f"/entries/{allocation.pk}/reverse/" not in text
