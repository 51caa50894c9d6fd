"""Shared pieces of the rule editor's forms: choices, and rows of repeating groups.

Repeating groups (categories, bands, conditions) are formsets with a fixed number of blank rows,
so the pages work without JavaScript: a blank row is ignored and ticking "Remove" drops a row.
"""

from __future__ import annotations

from collections.abc import Iterable

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Div, Field, Fieldset, Fixed, Layout, Size
from django import forms
from django.core.validators import RegexValidator

from ..definition import MAX_YEARS_BACK, NUMBER_OPS
from ..models import Measure

SPARE_ROWS = 3
SUPPORT_BANDS = [("low", "Low"), ("medium", "Medium"), ("high", "High")]
COMPARISONS = [
    Choice(
        "threshold",
        "A fixed threshold",
        hint="The school's own value (weighted over years if the settings say so)",
    ),
    Choice(
        "national",
        "England's value",
        hint="The school's value minus England's for the same year: below 0 is worse than England",
    ),
    Choice(
        "trend",
        "The school's own trend",
        hint="The newest year minus the oldest of the last few years with data: "
        "below 0 is getting worse",
    ),
]
OPERATORS = [
    ("lt", "is less than"),
    ("lte", "is at most"),
    ("gt", "is more than"),
    ("gte", "is at least"),
    ("eq", "is"),
    ("ne", "is not"),
    ("in", "is one of these texts"),
    ("missing", "is missing"),
]
NUMBER_OPERATORS = set(NUMBER_OPS)
CODE_VALIDATOR = RegexValidator(
    r"^[A-Za-z0-9_]+$", "Use only letters, numbers and underscores in the code, like ks2_rwm"
)


def as_number(value: float | None) -> int | float | None:
    """A form's float as JSON-friendly number: 65 rather than 65.0."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else float(value)


def number_field(*, whole: bool = False, **kwargs) -> forms.Field:
    """A number typed in a text input, as GOV.UK advises (type=number misbehaves)."""
    kind = forms.IntegerField if whole else forms.FloatField
    messages = {"invalid": "Enter a whole number" if whole else "Enter a number"}
    if kwargs.get("min_value") is not None:
        messages["min_value"] = f"Enter a number that is {kwargs['min_value']} or more"
    if kwargs.get("max_value") is not None:
        messages["max_value"] = f"Enter a number that is {kwargs['max_value']} or less"
    messages.update(kwargs.pop("error_messages", {}))
    mode = "numeric" if whole else "decimal"
    widget = forms.TextInput(attrs={"inputmode": mode, "spellcheck": "false"})
    return kind(widget=widget, error_messages=messages, **kwargs)


def measure_choices(*, keep: Iterable[str] = ()) -> list:
    """The Measure table as grouped select choices, keeping codes a rule set already names."""
    groups: dict[str, list] = {}
    for measure in Measure.objects.order_by("source", "code"):
        label = f"{measure.label} ({measure.code})"
        groups.setdefault(measure.get_source_display(), []).append((measure.code, label))
    known = {code for group in groups.values() for code, _label in group}
    unknown = sorted({code for code in keep if code and code not in known})
    choices: list = [("", "Choose a measure")]
    if unknown:
        choices.append(("Not in the measure catalogue", [(code, code) for code in unknown]))
    return choices + list(groups.items())


def _layout_field(form: forms.Form, name: str):
    widget = form.fields[name].widget
    if isinstance(widget, forms.RadioSelect):
        return Field.radios(name, legend_size=Size.SMALL, small=True)
    if isinstance(widget, forms.CheckboxInput):
        return Field.checkbox(name, small=True)
    if isinstance(widget, forms.Select):
        return Field.select(name, css_class="govuk-!-width-full")
    if "inputmode" in widget.attrs:
        return Field.text(name, field_width=Fixed.FIVE)
    return Field.text(name)


def form_helper(*items, button: str | None = None) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*items, *([Button("submit", button)] if button else []))
    return helper


# Rows of repeating groups ---------------------------------------------------------------------


class RowForm(forms.Form):
    """One row of a repeating group. Every field is optional so that a blank row is ignored;
    ``needs`` names what a filled-in row must have, with the message to show."""

    needs: dict[str, str] = {}
    columns: list[tuple[str, str]] = []  # (field, GOV.UK grid column width)
    under_row: list[str] = []  # fields shown under the row's columns

    def clean(self):
        data = super().clean()
        if not self.is_blank():
            for name, message in self.needs.items():
                if data.get(name) in (None, "") and name not in self.errors:
                    self.add_error(name, message)
        return data

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not self.errors and all(
            value in (None, "", False) for name, value in data.items() if name != "DELETE"
        )

    def build_helper(self, legend: str) -> FormHelper:
        cells = [
            Div(_layout_field(self, name), css_class=f"govuk-grid-column-{width}")
            for name, width in self.columns
        ]
        under = [_layout_field(self, name) for name in self.under_row]
        if "DELETE" in self.fields:
            under.append(Field.checkbox("DELETE", small=True))
        row = Fieldset(
            Div(*cells, css_class="govuk-grid-row"),
            *under,
            legend=legend,
            legend_size=Size.SMALL,
            css_class="app-rule-row",
        )
        return form_helper(row)


class RowFormSet(forms.BaseFormSet):
    """Rows numbered "Category 1", "Category 2"...; ``rows()`` gives the kept rows in order."""

    noun = "Row"

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.helper = form.build_helper(f"{self.noun} {i + 1}")
        return form

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = f"Remove this {self.noun.lower()}"

    def rows(self) -> list[dict]:
        kept = []
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            if getattr(form, "cleaned_data", None) and not form.is_blank():
                kept.append({k: v for k, v in form.cleaned_data.items() if k != "DELETE"})
        return kept


def _row_formset(form_class: type[RowForm], noun: str) -> type[RowFormSet]:
    base = type(f"{form_class.__name__}Set", (RowFormSet,), {"noun": noun})
    return forms.formset_factory(
        form_class, formset=base, extra=SPARE_ROWS, can_delete=True, can_delete_extra=False
    )


class CategoryForm(RowForm):
    code = forms.CharField(label="Code", max_length=50, required=False)
    label = forms.CharField(label="Name", max_length=200, required=False)
    min_score = number_field(label="Lowest score", required=False)
    focused = forms.BooleanField(
        label="Focused support (these schools also get a support band)", required=False
    )
    needs = {
        "code": "Enter the category's code, like 3",
        "label": "Enter the category's name",
        "min_score": "Enter the category's lowest score",
    }
    columns = [("code", "one-quarter"), ("label", "one-half"), ("min_score", "one-quarter")]
    under_row = ["focused"]


class SupportBandForm(RowForm):
    band = forms.ChoiceField(
        label="Support band", choices=[("", "Choose a band"), *SUPPORT_BANDS], required=False
    )
    min_score = number_field(label="Lowest score", required=False)
    needs = {"band": "Select the support band", "min_score": "Enter the band's lowest score"}
    columns = [("band", "one-half"), ("min_score", "one-quarter")]


class IndicatorBandForm(RowForm):
    limit = number_field(label="Limit", required=False)
    points = number_field(label="Points", min_value=0, required=False)
    label = forms.CharField(label="Description", max_length=200, required=False)
    needs = {"limit": "Enter the band's limit", "points": "Enter the points for the band"}
    columns = [("limit", "one-quarter"), ("points", "one-quarter"), ("label", "one-half")]


class ConditionForm(RowForm):
    group = number_field(whole=True, label="Group", min_value=1, required=False)
    years_back = number_field(
        whole=True, label="Years back", min_value=0, max_value=MAX_YEARS_BACK, required=False
    )
    measure = forms.ChoiceField(label="Measure", required=False)
    op = forms.ChoiceField(
        label="Test", choices=[("", "Choose a test"), *OPERATORS], required=False
    )
    value = number_field(label="Number", required=False)
    texts = forms.CharField(label="Texts (separate with ;)", max_length=500, required=False)
    needs = {"measure": "Select the measure", "op": "Select the test"}
    columns = [
        ("group", "one-quarter"),
        ("years_back", "one-quarter"),
        ("measure", "one-half"),
        ("op", "one-quarter"),
        ("value", "one-quarter"),
        ("texts", "one-half"),
    ]

    def __init__(self, *args, measures: list | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = measures or [("", "Choose a measure")]

    def clean(self):
        data = super().clean()
        op = data.get("op")
        if op in NUMBER_OPERATORS and data.get("value") is None and "value" not in self.errors:
            self.add_error("value", "Enter the number to compare the measure with")
        if op == "in" and not split_texts(data.get("texts")) and "texts" not in self.errors:
            self.add_error("texts", "Enter the texts to look for, separated by semicolons")
        return data


def split_texts(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(";") if part.strip()]


CategoryFormSet = _row_formset(CategoryForm, "Category")
SupportBandFormSet = _row_formset(SupportBandForm, "Support band")
IndicatorBandFormSet = _row_formset(IndicatorBandForm, "Band")
ConditionFormSet = _row_formset(ConditionForm, "Condition")


def _form_errors(form: forms.Form, prefix: str = "") -> list[dict]:
    items = []
    for name, errors in form.errors.items():
        if name == "__all__" or name not in form.fields:
            anchor = "rule-editor"
        elif isinstance(form.fields[name].widget, forms.RadioSelect):
            anchor = f"{form[name].auto_id}_1"  # the first radio, as crispy-forms-gds numbers them
        else:
            anchor = form[name].auto_id
        items += [{"text": f"{prefix}{error}", "href": f"#{anchor}"} for error in errors]
    return items


def error_list(*, forms=(), formsets=(), problems=()) -> list[dict]:
    """Every message for the page's error summary, each linked to its field where it has one."""
    items = [item for form in forms for item in _form_errors(form)]
    for formset in (formset for formset in formsets if formset.is_bound):
        items += [{"text": error, "href": "#rule-editor"} for error in formset.non_form_errors()]
        for number, form in enumerate(formset.forms, start=1):
            if formset.can_delete and formset._should_delete_form(form):
                continue
            items += _form_errors(form, prefix=f"{formset.noun} {number}: ")
    return items + [{"text": problem, "href": "#rule-editor"} for problem in problems]
