"""Services that write the fund: funds, income, fixed costs, adjustments, the tariff,
payments and overdraw approvals. Every amount goes to the ledger through ``ledger_post``."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from brokerage.models import Engagement
from kernel.money import money, pounds
from schools.models import School

from .balances import engagement_position
from .ledger import amount_positive, ledger_post
from .models import Band, Fund, Kind, LedgerEntry, OverdrawApproval, Source, TariffBand

# West Sussex's tariff per focused-support school (Isos Partnership, "Enabling School
# Improvement", 2018, the West Sussex case study): High £25,000, Medium £15,000, Low £7,500.
DEFAULT_TARIFF = {
    Band.HIGH: Decimal("25000.00"),
    Band.MEDIUM: Decimal("15000.00"),
    Band.LOW: Decimal("7500.00"),
}
VAT_RATE = Decimal("0.20")
FUND_EXISTS = "There is already a fund for {name}"
NO_PUPILS = "No open school in the partnership has a number of pupils in the register"
PAYMENT_TOO_BIG = "This payment of {gross} is more than the {left} still committed to this support"
NOT_COMMITTED = "Only support that has been commissioned from the fund can be paid"
VAT_TOO_BIG = "The VAT cannot be more than the amount paid"
ENTER_REASON = "Enter the reason for this adjustment"
ENTER_REFERENCE = "Enter the reference of the board's decision"


@transaction.atomic
def fund_create(*, partnership, year: int, by=None) -> Fund:
    """Open the fund for the financial year starting in April ``year``, with the default
    tariff (West Sussex, Isos 2018)."""
    if Fund.objects.filter(partnership=partnership, year=year).exists():
        raise ValidationError(FUND_EXISTS.format(name=f"{year}-{(year + 1) % 100:02d}"))
    fund = Fund(partnership=partnership, year=year)
    fund._history_user = by
    fund.save()
    TariffBand.objects.bulk_create(
        TariffBand(fund=fund, band=band, amount=amount) for band, amount in DEFAULT_TARIFF.items()
    )
    return fund


@transaction.atomic
def tariff_set(*, fund: Fund, amounts: dict[str, Decimal], by) -> None:
    """Change the amount per focused-support school of each band given."""
    for band, amount in amounts.items():
        row, _ = TariffBand.objects.select_for_update().get_or_create(
            fund=fund, band=band, defaults={"amount": money(amount)}
        )
        if row.amount != money(amount):
            row.amount = money(amount)
            row._history_user = by
            row.save()


def tariff_of(*, fund: Fund) -> dict[str, Decimal]:
    """The fund's tariff: {band: amount}."""
    return dict(TariffBand.objects.filter(fund=fund).values_list("band", "amount"))


@transaction.atomic
def income_record(
    *, fund: Fund, source: str, amount: Decimal, description: str, by, idempotency_key: str
) -> LedgerEntry:
    """Record income (an LA grant, de-delegated money, contributions, an external bid)."""
    amount = amount_positive(amount, "an amount")
    entry, _ = ledger_post(
        idempotency_key=idempotency_key,
        fund=fund,
        kind=Kind.INCOME,
        source=source,
        amount=amount,
        description=description or Source(source).label,
        recorded_by=by,
    )
    return entry


def pupils_in_partnership() -> int:
    """Pupils in the register's open schools that have not opted out."""
    total = School.objects.in_partnership().aggregate(n=Sum("number_of_pupils"))["n"]
    return total or 0


@transaction.atomic
def per_pupil_income_record(*, fund: Fund, rate: Decimal, by, idempotency_key: str) -> LedgerEntry:
    """Record schools' contributions at ``rate`` a pupil, over the register's pupil numbers
    (open schools in the partnership that have not opted out)."""
    rate = amount_positive(rate, "a rate a pupil")
    pupils = pupils_in_partnership()
    if not pupils:
        raise ValidationError(NO_PUPILS)
    return income_record(
        fund=fund,
        source=Source.SCHOOLS_PER_PUPIL,
        amount=rate * pupils,
        description=f"{pounds(rate)} a pupil for {pupils:,} pupils (school register)",
        by=by,
        idempotency_key=idempotency_key,
    )


@transaction.atomic
def fixed_cost_record(
    *, fund: Fund, amount: Decimal, description: str, by, idempotency_key: str
) -> LedgerEntry:
    """Set money aside from the budget for a fixed cost (such as the independent chair)."""
    entry, _ = ledger_post(
        idempotency_key=idempotency_key,
        fund=fund,
        kind=Kind.FIXED_COST,
        amount=amount_positive(amount, "an amount"),
        description=description,
        recorded_by=by,
    )
    return entry


@transaction.atomic
def adjustment_record(
    *, fund: Fund, amount: Decimal, reason: str, by, idempotency_key: str
) -> LedgerEntry:
    """Adjust the fund's budget up or down, with the reason."""
    if not reason.strip():
        raise ValidationError(ENTER_REASON)
    amount = money(amount)
    if amount == 0:
        raise ValidationError("Enter an amount other than £0")
    entry, _ = ledger_post(
        idempotency_key=idempotency_key,
        fund=fund,
        kind=Kind.ADJUSTMENT,
        amount=amount,
        description="Adjustment",
        reason=reason.strip(),
        recorded_by=by,
    )
    return entry


def vat_applies(engagement) -> bool:
    """VAT may arise when the school is an academy (or in a trust) or the provider is VAT
    registered (Dorset budget note)."""
    school = engagement.case.school
    return bool(school.is_academy or school.trust_id or engagement.provider.vat_registered)


def vat_on(net: Decimal) -> Decimal:
    return (money(net) * VAT_RATE).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@transaction.atomic
def payment_record(
    *, engagement, net: Decimal, vat: Decimal | None, by, idempotency_key: str
) -> LedgerEntry:
    """Record money paid for support: net, VAT (20% of net when VAT applies, unless given)
    and gross, against what is committed to the engagement."""
    locked = (
        Engagement.objects.select_for_update()
        .select_related("case__school", "provider")
        .get(pk=engagement.pk)
    )
    done = LedgerEntry.objects.filter(idempotency_key=idempotency_key).first()
    if done is not None:
        return done
    net = amount_positive(net, "the amount paid before VAT")
    vat = money(vat) if vat is not None else (vat_on(net) if vat_applies(locked) else Decimal(0))
    if vat < 0:
        raise ValidationError("The VAT cannot be negative")
    commitment = (
        LedgerEntry.objects.filter(engagement=locked, kind=Kind.COMMITMENT)
        .select_related("fund")
        .first()
    )
    if commitment is None:
        raise ValidationError(NOT_COMMITTED)
    left = engagement_position(engagement_id=locked.pk).committed
    if net + vat > left:
        raise ValidationError(PAYMENT_TOO_BIG.format(gross=pounds(net + vat), left=pounds(left)))
    entry, _ = ledger_post(
        idempotency_key=idempotency_key,
        fund=commitment.fund,
        kind=Kind.PAYMENT,
        amount=net + vat,
        vat=vat,
        alliance_id=commitment.alliance_id,
        engagement=locked,
        school_id=locked.case.school_id,
        description=f"Payment to {locked.provider.name}",
        recorded_by=by,
    )
    return entry


@transaction.atomic
def overdraw_approve(*, engagement, reference: str, by) -> OverdrawApproval:
    """Record the board decision that lets this support be committed beyond its alliance's
    allocation."""
    if not reference.strip():
        raise ValidationError(ENTER_REFERENCE)
    approval = OverdrawApproval(engagement=engagement, reference=reference.strip(), recorded_by=by)
    approval._history_user = by
    approval.save()
    return approval
