"""GOV.UK forms for engagement pages (crispy-forms-gds); the services do the writing."""

from __future__ import annotations

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import (
    Button,
    ConditionalQuestion,
    ConditionalRadios,
    Field,
    Fixed,
    Layout,
    Size,
)
from django import forms

from categorisation.models import Measure
from clusters.forms import OptionalDateField
from kernel.money import MoneyFormField

from .models import ImpactDecision, Objective, Rating

# A text input (GOV.UK advises against type="number") with the decimal keypad on phones.
DECIMAL_INPUT = forms.TextInput(attrs={"inputmode": "decimal"})


def _helper(*fields, button: str, warning: bool = False) -> FormHelper:
    helper = FormHelper()
    helper.layout = Layout(
        *fields, Button.warning("submit", button) if warning else Button("submit", button)
    )
    return helper


def _optional_date(label: str) -> OptionalDateField:
    field = OptionalDateField(label=label, help_text="For example, 27 3 2025")
    return field


class TermsForm(forms.Form):
    days = forms.DecimalField(
        label="Days of support",
        widget=DECIMAL_INPUT,
        min_value=0,
        max_value=999,
        decimal_places=1,
        error_messages={
            "required": "Enter the number of days",
            "invalid": "Enter a number of days, like 10 or 7.5",
        },
    )
    cost = MoneyFormField(
        label="Cost",
        help_text="In pounds, for example £1,250.50",
        error_messages={"required": "Enter the cost"},
    )
    review_every_weeks = forms.IntegerField(
        label="Review progress every (weeks)",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        min_value=1,
        max_value=52,
        error_messages={"required": "Enter how often progress is reviewed"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("days", field_width=Fixed.FIVE),
            Field.text("cost", field_width=Fixed.TEN),
            Field.text("review_every_weeks", field_width=Fixed.TWO),
            button="Save days and cost",
        )


class MeasureChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Measure) -> str:
        return obj.label


class ObjectiveForm(forms.Form):
    description = forms.CharField(
        label="Objective", widget=forms.Textarea, error_messages={"required": "Enter the objective"}
    )
    impact_measure = forms.CharField(
        label="How impact will be measured",
        widget=forms.Textarea,
        error_messages={"required": "Enter how the impact will be measured"},
    )
    measure = MeasureChoiceField(
        queryset=Measure.objects.order_by("label"),
        label="School data that shows the impact (optional)",
        help_text="The engagement shows its value at commissioning and after new data",
        required=False,
        empty_label="No linked measure",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.textarea("description", rows=3),
            Field.textarea("impact_measure", rows=3),
            Field.select("measure"),
            button="Save objective",
        )


class ConfirmForm(forms.Form):
    def __init__(self, *args, button: str, warning: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(button=button, warning=warning)


class ObjectiveChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Objective) -> str:
        return obj.description[:100]


class ProgressNoteForm(forms.Form):
    note = forms.CharField(
        label="What was done",
        widget=forms.Textarea,
        error_messages={"required": "Enter what was done"},
    )
    visited_on = _optional_date("Date of the visit (optional)")
    objective = ObjectiveChoiceField(
        queryset=Objective.objects.none(),
        label="Objective it is about (optional)",
        required=False,
        empty_label="The engagement as a whole",
    )

    def __init__(self, *args, engagement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = engagement.objectives.all()
        self.helper = _helper(
            Field.textarea("note", rows=4),
            Field("visited_on"),
            Field.select("objective"),
            button="Log progress",
        )


RATING_CHOICES = Rating.choices


class ReviewForm(forms.Form):
    reviewed_on = DateInputField(
        label="Date of the review",
        help_text="For example, 27 3 2025",
    )
    visited_on = _optional_date("Date of the review visit (optional)")
    overall = forms.ChoiceField(
        label="Overall rating",
        choices=RATING_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the overall rating"},
    )
    judgement = forms.CharField(
        label="Overall judgement",
        widget=forms.Textarea,
        error_messages={"required": "Enter the overall judgement"},
    )
    notes = forms.CharField(label="Notes (optional)", widget=forms.Textarea, required=False)

    def __init__(self, *args, objectives: list[Objective], **kwargs):
        super().__init__(*args, **kwargs)
        self.objectives = objectives
        self.fields["reviewed_on"].error_messages["required"] = "Enter the date of the review"
        rating_fields = []
        for number, objective in enumerate(objectives, start=1):
            name = f"rating_{objective.pk}"
            self.fields[name] = forms.ChoiceField(
                label=f"Objective {number}: {objective.description[:120]}",
                choices=RATING_CHOICES,
                widget=forms.RadioSelect,
                error_messages={"required": f"Choose a rating for objective {number}"},
            )
            rating_fields.append(Field.radios(name, legend_size=Size.SMALL, inline=False))
        self.helper = _helper(
            Field("reviewed_on"),
            Field("visited_on"),
            *rating_fields,
            Field.radios("overall", legend_size=Size.SMALL),
            Field.textarea("judgement", rows=4),
            Field.textarea("notes", rows=3),
            button="Record review",
        )

    def ratings(self) -> dict[int, str]:
        return {o.pk: self.cleaned_data[f"rating_{o.pk}"] for o in self.objectives}


class ImpactForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=ImpactDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the decision"},
    )
    reason = forms.CharField(
        label="Reason for the decision",
        widget=forms.Textarea,
        error_messages={"required": "Enter the reason for the decision"},
    )
    extra_days = forms.DecimalField(
        label="Extra days",
        widget=DECIMAL_INPUT,
        min_value=0,
        max_value=999,
        decimal_places=1,
        required=False,
    )
    extra_cost = MoneyFormField(
        label="Extra cost", help_text="In pounds, for example £2,500", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The extra days and cost are asked only when "Extend" is chosen (GOV.UK conditional
        # reveal; without JavaScript they show beneath it).
        choices = [
            ConditionalQuestion(
                label,
                Field.text("extra_days", field_width=Fixed.FIVE),
                Field.text("extra_cost", field_width=Fixed.TEN),
            )
            if value == ImpactDecision.EXTEND
            else label
            for value, label in ImpactDecision.choices
        ]
        self.helper = _helper(
            ConditionalRadios("decision", *choices),
            Field.textarea("reason", rows=4),
            button="Record decision",
        )


class PreferencesForm(forms.Form):
    weekly_digest = forms.TypedChoiceField(
        label="Do you want a weekly email of what is waiting for you?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose yes or no"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("weekly_digest", legend_size=Size.MEDIUM, inline=True),
            button="Save preferences",
        )
