"""The fund's pages that write: setting up a fund, income, fixed costs, adjustments,
reversals, the tariff, agreeing the allocation, payments and overdraw decisions. Each calls
one service; a refusal shows on the form."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from brokerage.models import Engagement
from kernel.access import require, requires
from kernel.money import pounds
from partnership.models import Partnership

from . import forms, selectors, services
from .allocation import allocation_agree, allocation_preview
from .balances import engagement_position
from .commitments import entry_correct
from .models import Fund, LedgerEntry
from .services import tariff_of


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _write(request: HttpRequest, form, write: Callable[[dict], str]) -> bool:
    """Run the service if the form is valid; show its refusal on the form, or its success."""
    if not form.is_valid():
        return False
    try:
        message = write(form.cleaned_data)
    except ValidationError as refused:
        form.add_error(None, refused)
        return False
    messages.success(request, message)
    return True


def _form_page(request, template: str, form, **context) -> HttpResponse:
    return render(request, template, {"form": form, **context})


@requires("funding.manage_fund")
def fund_create(request: HttpRequest) -> HttpResponse:
    """Set up the fund for a financial year, with the default tariff."""
    form = forms.FundForm(_posted(request))

    def create(data):
        fund = services.fund_create(
            partnership=Partnership.objects.order_by("pk").first(),
            year=data["year"],
            by=request.user,
        )
        form.created = fund
        return f"The {fund.name} fund is set up"

    if request.method == "POST" and _write(request, form, create):
        return redirect("funding:position", year=form.created.year)
    return _form_page(request, "funding/form.html", form, title="Set up a fund")


def _money_form(request, year: int, form_class, write, *, title: str, caption: str = ""):
    fund = selectors.fund_by_year(year=year)
    form = form_class(_posted(request))
    if request.method == "POST" and _write(request, form, lambda data: write(fund, data)):
        return redirect("funding:position", year=fund.year)
    return _form_page(request, "funding/form.html", form, fund=fund, title=title, caption=caption)


@requires("funding.manage_fund")
def income(request: HttpRequest, year: int) -> HttpResponse:
    """Record income: an LA grant, de-delegated money, contributions or an external bid."""

    def write(fund, data):
        entry = services.income_record(
            fund=fund,
            source=data["source"],
            amount=data["amount"],
            description=data["description"],
            by=request.user,
            idempotency_key=data["idempotency_key"],
        )
        return f"Income of {pounds(entry.amount)} recorded"

    return _money_form(request, year, forms.IncomeForm, write, title="Record income")


@requires("funding.manage_fund")
def per_pupil(request: HttpRequest, year: int) -> HttpResponse:
    """Record schools' contributions at a rate a pupil, from the register's pupil numbers."""

    def write(fund, data):
        entry = services.per_pupil_income_record(
            fund=fund, rate=data["rate"], by=request.user, idempotency_key=data["idempotency_key"]
        )
        return f"Contributions of {pounds(entry.amount)} recorded: {entry.description}"

    caption = (
        f"The register has {services.pupils_in_partnership():,} pupils in open schools that "
        "have not opted out."
    )
    return _money_form(
        request,
        year,
        forms.PerPupilForm,
        write,
        title="Record contributions a pupil",
        caption=caption,
    )


@requires("funding.manage_fund")
def fixed_cost(request: HttpRequest, year: int) -> HttpResponse:
    """Set money aside for a fixed cost, such as the independent chair."""

    def write(fund, data):
        entry = services.fixed_cost_record(
            fund=fund,
            amount=data["amount"],
            description=data["description"],
            by=request.user,
            idempotency_key=data["idempotency_key"],
        )
        return f"Fixed cost of {pounds(entry.amount)} recorded"

    return _money_form(request, year, forms.FixedCostForm, write, title="Record a fixed cost")


@requires("funding.manage_fund")
def adjustment(request: HttpRequest, year: int) -> HttpResponse:
    """Adjust the budget up or down, with the reason."""

    def write(fund, data):
        entry = services.adjustment_record(
            fund=fund,
            amount=data["amount"],
            reason=data["reason"],
            by=request.user,
            idempotency_key=data["idempotency_key"],
        )
        return f"Adjustment of {pounds(entry.amount)} recorded"

    return _money_form(request, year, forms.AdjustmentForm, write, title="Adjust the budget")


@requires("funding.manage_fund")
def reverse_entry(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    """Reverse a ledger entry (a correction is a reversal, never an edit)."""
    fund = selectors.fund_by_year(year=year)
    entry = get_object_or_404(LedgerEntry.objects.visible_to(request.user), fund=fund, pk=pk)
    form = forms.ReversalForm(_posted(request))

    def write(data):
        entry_correct(
            entry=entry,
            reason=data["reason"],
            by=request.user,
            idempotency_key=data["idempotency_key"],
        )
        return f"{entry.get_kind_display()} of {pounds(entry.amount)} reversed"

    if request.method == "POST" and _write(request, form, write):
        return redirect("funding:ledger", year=fund.year)
    return _form_page(
        request, "funding/reverse.html", form, fund=fund, entry=entry, title="Reverse an entry"
    )


@requires("funding.set_tariff")
def tariff(request: HttpRequest, year: int) -> HttpResponse:
    """The amount per focused-support school in each band (West Sussex's by default)."""
    fund = selectors.fund_by_year(year=year)
    form = forms.TariffForm(_posted(request), initial=tariff_of(fund=fund))

    def write(data):
        services.tariff_set(
            fund=fund,
            amounts={band: data[band] for band in ("high", "medium", "low")},
            by=request.user,
        )
        return "Tariff saved"

    if request.method == "POST" and _write(request, form, write):
        return redirect("funding:position", year=fund.year)
    return _form_page(request, "funding/form.html", form, fund=fund, title="Tariff")


@requires("funding.view_fund")
def allocation(request: HttpRequest, year: int) -> HttpResponse:
    """The allocation by need under a rule, shown with its effect before the board agrees it;
    the board chair or an officer agrees it here."""
    fund = selectors.fund_by_year(year=year)
    form = forms.AllocationForm(_posted(request))
    rule = request.GET.get("rule") or fund.allocation_rule or Fund.Rule.PRO_RATA
    if request.method == "POST":
        require(request.user, "funding.agree_allocation")

        def write(data):
            allocation_agree(
                fund=fund,
                rule=data["rule"],
                by=request.user,
                decision=data["decision"],
                idempotency_key=data["idempotency_key"],
            )
            return f"Allocation of the {fund.name} fund agreed"

        if _write(request, form, write):
            return redirect("funding:position", year=fund.year)
        rule = form.data.get("rule") or rule
    else:
        form = forms.AllocationForm(initial={"rule": rule})
    rule = rule if rule in Fund.Rule.values else Fund.Rule.PRO_RATA
    context = {
        "fund": fund,
        "rule": rule,
        "rules": Fund.Rule.choices,
        "preview": allocation_preview(fund=fund, rule=rule),
        "can_agree": request.user.has_perm("funding.agree_allocation"),
    }
    return _form_page(request, "funding/allocation.html", form, **context)


@requires("funding.manage_fund")
def payment(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    """Record a payment for commissioned support (net, VAT and gross)."""
    fund = selectors.fund_by_year(year=year)
    engagement = get_object_or_404(
        Engagement.objects.select_related("case__school", "provider", "alliance"), pk=pk
    )
    form = forms.PaymentForm(_posted(request))

    def write(data):
        entry = services.payment_record(
            engagement=engagement,
            net=data["net"],
            vat=data["vat"],
            by=request.user,
            idempotency_key=data["idempotency_key"],
        )
        return f"Payment of {pounds(entry.amount)} recorded (VAT {pounds(entry.vat)})"

    if request.method == "POST" and _write(request, form, write):
        return redirect("funding:school", year=fund.year, urn=engagement.case.school.urn)
    context = {
        "fund": fund,
        "engagement": engagement,
        "vat_applies": services.vat_applies(engagement),
        "money": engagement_position(engagement_id=engagement.pk),
        "title": "Record a payment",
    }
    return _form_page(request, "funding/payment.html", form, **context)


@requires("funding.manage_fund")
def overdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the board's decision that lets this support overdraw its alliance's allocation."""
    engagement = get_object_or_404(Engagement.objects.select_related("case__school"), pk=pk)
    form = forms.OverdrawForm(_posted(request))

    def write(data):
        services.overdraw_approve(
            engagement=engagement, reference=data["reference"], by=request.user
        )
        return "Board decision recorded: this support can now be commissioned"

    if request.method == "POST" and _write(request, form, write):
        return redirect("funding:home")
    caption = f"Support for {engagement.case.school.name} costing {pounds(engagement.cost)}."
    return _form_page(
        request, "funding/form.html", form, title="Allow this support to overdraw", caption=caption
    )
