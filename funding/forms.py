"""GOV.UK forms for the fund's pages (crispy-forms-gds); the services do the writing.

Every form that posts money carries an idempotency key, made when the form is shown: the
same form sent twice (a double click, the back button) records one entry, not two."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fixed, Fluid, Layout
from django import forms

from kernel.money import MoneyFormField

from .ledger import new_key
from .models import Band, Fund, Source


def _helper(*fields, button: str) -> FormHelper:
    helper = FormHelper()
    helper.layout = Layout(*fields, "idempotency_key", Button("submit", button))
    return helper


def _money(label: str, *, required: bool = True, help_text: str = "") -> MoneyFormField:
    return MoneyFormField(
        label=label,
        required=required,
        help_text=help_text or "In pounds and pence, for example 1250 or 1250.50",
        error_messages={"required": f"Enter {label[0].lower() + label[1:]}"},
    )


class KeyedForm(forms.Form):
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", new_key())
        super().__init__(*args, **kwargs)

    def clean_idempotency_key(self) -> str:
        return self.cleaned_data.get("idempotency_key") or new_key()


class FundForm(KeyedForm):
    year = forms.IntegerField(
        label="Financial year starting in April of",
        min_value=2000,
        max_value=2100,
        help_text="For example, 2026 for the 2026-27 fund",
        error_messages={"required": "Enter the year the financial year starts in"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.text("year", field_width=Fixed.FOUR), button="Set up fund")


class IncomeForm(KeyedForm):
    source = forms.ChoiceField(
        label="Where the money comes from",
        choices=[(s.value, s.label) for s in Source if s != Source.SCHOOLS_PER_PUPIL],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where the money comes from"},
    )
    amount = _money("Amount")
    description = forms.CharField(label="Description (optional)", required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("source", legend_size="m"),
            Field.text("amount", field_width=Fixed.TEN),
            Field.text("description", field_width=Fluid.TWO_THIRDS),
            button="Record income",
        )


class PerPupilForm(KeyedForm):
    rate = _money("Contribution a pupil", help_text="For example, 5 for £5 a pupil")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("rate", field_width=Fixed.FIVE), button="Record contributions"
        )


class FixedCostForm(KeyedForm):
    amount = _money("Amount")
    description = forms.CharField(
        label="What it pays for",
        max_length=300,
        error_messages={"required": "Enter what the fixed cost pays for"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("amount", field_width=Fixed.TEN),
            Field.text("description", field_width=Fluid.TWO_THIRDS),
            button="Record fixed cost",
        )


class AdjustmentForm(KeyedForm):
    amount = _money(
        "Amount", help_text="Put a minus sign in front to reduce the budget, for example -500"
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea,
        error_messages={"required": "Enter the reason for this adjustment"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("amount", field_width=Fixed.TEN),
            Field.textarea("reason", rows=3),
            button="Record adjustment",
        )


class ReversalForm(KeyedForm):
    reason = forms.CharField(
        label="Why is this entry being reversed?",
        widget=forms.Textarea,
        error_messages={"required": "Enter why this entry is being reversed"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("reason", rows=3), button="Reverse entry")


class TariffForm(KeyedForm):
    high = _money("High band, a school")
    medium = _money("Medium band, a school")
    low = _money("Low band, a school")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            *(Field.text(band.value, field_width=Fixed.TEN) for band in Band),
            button="Save tariff",
        )


class AllocationForm(KeyedForm):
    rule = forms.ChoiceField(
        label="When the money is short",
        choices=Fund.Rule.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how to share the money when it is short"},
    )
    decision = forms.CharField(
        label="Board decision reference (optional)",
        required=False,
        max_length=200,
        help_text="For example, the minute number of the meeting that agreed it",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("rule", legend_size="m"),
            Field.text("decision", field_width=Fluid.TWO_THIRDS),
            button="Agree allocation",
        )


class PaymentForm(KeyedForm):
    net = _money("Amount before VAT")
    vat = _money(
        "VAT (optional)",
        required=False,
        help_text="Leave blank to add 20% when VAT applies, or enter 0",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("net", field_width=Fixed.TEN),
            Field.text("vat", field_width=Fixed.TEN),
            button="Record payment",
        )


class OverdrawForm(KeyedForm):
    reference = forms.CharField(
        label="Board decision reference",
        max_length=200,
        error_messages={"required": "Enter the reference of the board's decision"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("reference", field_width=Fluid.TWO_THIRDS), button="Record decision"
        )
