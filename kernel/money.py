"""Money as exact pounds and pence: a Decimal in Python, whole pence in the database.

A ``DecimalField`` would do on PostgreSQL, but SQLite keeps one as a REAL (a float), so a sum of
ledger entries could drift by a fraction of a penny. ``MoneyField`` stores an integer number of
pence on every database and hands back ``Decimal("1234.56")``; a value finer than a penny is
refused rather than rounded, so nothing is lost silently.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

PENNY = Decimal("0.01")
NOT_PENCE = "Enter an amount in pounds and pence, like 1250 or 1250.50"


def money(value) -> Decimal:
    """``value`` (a Decimal, int or string such as "£1,250.50") as pounds and pence; refuses
    anything that is not a whole number of pence."""
    if isinstance(value, float):
        raise ValidationError("Money cannot be a float: " + NOT_PENCE, code="float")
    if isinstance(value, str):
        value = value.strip().replace("£", "").replace(",", "")
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError(NOT_PENCE, code="invalid") from None
    if not amount.is_finite() or amount != amount.quantize(PENNY, rounding=ROUND_HALF_UP):
        raise ValidationError(NOT_PENCE, code="invalid")
    return amount.quantize(PENNY)


def pence(value) -> int:
    """``value`` as a whole number of pence."""
    return int(money(value) * 100)


def from_pence(value: int) -> Decimal:
    return (Decimal(int(value)) / 100).quantize(PENNY)


def pounds(value, *, pence_shown: bool = True) -> str:
    """ "£1,250.50" (or "−£20.00" for a negative amount), as GOV.UK writes money."""
    amount = money(value) if value is not None else Decimal(0)
    sign = "−" if amount < 0 else ""
    text = f"{abs(amount):,.2f}" if pence_shown else f"{abs(amount):,.0f}"
    return f"{sign}£{text}"


class MoneyFormField(forms.CharField):
    """A text input for pounds and pence that accepts "£1,250.50" and cleans to a Decimal."""

    def __init__(self, *args, **kwargs):
        kwargs.pop("max_length", None)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        return money(value)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return f"{value:.2f}"
        return value


class MoneyField(models.BigIntegerField):
    """Pounds and pence, stored as whole pence (a 64-bit integer) on every database."""

    description = "An amount of money in pounds and pence, stored as pence"

    def from_db_value(self, value, expression, connection):
        return None if value is None else from_pence(value)

    def to_python(self, value):
        if value is None or isinstance(value, Decimal):
            return value if value is None else money(value)
        return money(value)

    def get_prep_value(self, value):
        if value is None:
            return None
        if hasattr(value, "resolve_expression"):
            return value
        return pence(value)

    def get_db_prep_value(self, value, connection, prepared=False):
        if not prepared:
            value = self.get_prep_value(value)
        return value

    def formfield(self, **kwargs):
        # Skip IntegerField's form field (whole numbers with min/max): the form takes pounds.
        return models.Field.formfield(self, **{"form_class": MoneyFormField, **kwargs})
