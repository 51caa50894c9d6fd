"""GOV.UK forms for support cases (crispy-forms-gds); the services in ``case_services`` write."""

from __future__ import annotations

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fixed, Fluid, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from schools.models import School

from .models import Diagnosis, Expertise, Provider, SupportCase, Urgency


def _helper(*fields, button: str, warning: bool = False) -> FormHelper:
    helper = FormHelper()
    submit = Button.warning("submit", button) if warning else Button("submit", button)
    helper.layout = Layout(*fields, submit)
    return helper


def _note(
    label: str, required: bool = False, help_text: str = "", missing: str = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea,
        error_messages={"required": missing or f"Enter the {label.lower()}"},
    )


class PastDateField(DateInputField):
    def validate(self, value):
        super().validate(value)
        if value and value > timezone.localdate():
            raise ValidationError("The date must be today or in the past")


class SchoolChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: School) -> str:
        return f"{obj.name} ({obj.urn})"


class CaseRequestForm(forms.Form):
    """A head's request for their own school, or an officer's case for any school."""

    school = SchoolChoice(
        queryset=School.objects.none(),
        label="School",
        empty_label=None,
        error_messages={"required": "Choose the school"},
    )
    origin = forms.ChoiceField(
        label="Who raised the need",
        choices=[
            (SupportCase.Origin.ADVISER, "An adviser"),
            (SupportCase.Origin.PEER_REVIEW, "A peer review"),
            (SupportCase.Origin.REQUEST, "The school itself"),
        ],
        widget=forms.RadioSelect,
    )
    areas_of_need = forms.ModelMultipleChoiceField(
        queryset=Expertise.objects.all(),
        label="Areas of need",
        help_text="Select all that apply",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one area of need"},
    )
    description = forms.CharField(
        label="Describe the support the school needs",
        widget=forms.Textarea,
        error_messages={"required": "Describe the support the school needs"},
    )
    urgency = forms.ChoiceField(
        label="How urgent is it?",
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how urgent it is"},
    )

    def __init__(self, *args, schools, is_officer: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        if is_officer:  # any school of the partnership: by its URN, not a list of thousands
            self.fields["school"] = SchoolChoice(
                queryset=schools,
                to_field_name="urn",
                label="School's URN",
                widget=forms.TextInput,
                error_messages={
                    "invalid_choice": "Enter the URN of an open school",
                    "required": "Enter the school's URN",
                },
            )
        school = Field.text("school", field_width=Fixed.TEN) if is_officer else None
        fields = [school or Field.select("school")]
        if is_officer:
            fields.append(Field.radios("origin", legend_size=Size.SMALL))
        else:
            del self.fields["origin"]
        fields += [
            Field.checkboxes("areas_of_need", legend_size=Size.SMALL, small=True),
            Field.textarea("description", rows=4),
            Field.radios("urgency", legend_size=Size.SMALL),
        ]
        self.helper = _helper(*fields, button="Raise the request")


class EligibilityForm(forms.Form):
    eligible = forms.TypedChoiceField(
        label="Is the school eligible for support?",
        choices=[("yes", "Yes"), ("no", "No: close the case")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the school is eligible"},
    )
    note = _note("Notes", help_text="Required if the school is not eligible: say why")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("eligible", legend_size=Size.SMALL, inline=True),
            Field.textarea("note", rows=3),
            button="Save and continue",
        )


class ContactForm(forms.Form):
    note = _note(
        "Who did you contact, and what did you agree?",
        required=True,
        missing="Enter who you contacted and what you agreed",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("note", rows=4), button="Save and continue")


class DiagnosisForm(forms.Form):
    decision = forms.ChoiceField(
        label="What did the initial diagnosis decide?",
        choices=Diagnosis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the initial diagnosis decided"},
    )
    note = _note("Summary of the diagnosis")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("decision", legend_size=Size.SMALL),
            Field.textarea("note", rows=4),
            button="Save and continue",
        )


class ProviderForm(forms.Form):
    """A provider from the matching's ranked list or, for an officer, any provider with a
    reason."""

    provider = forms.ChoiceField(
        label="Choose a provider the matching proposed", required=False, widget=forms.RadioSelect
    )
    other = forms.ModelChoiceField(
        queryset=Provider.objects.none(),
        required=False,
        label="Or choose another provider",
    )
    reason = _note("Why did you choose a provider the matching did not propose?")

    def __init__(self, *args, proposals, outside_allowed: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [(p.pk, label) for p, label in proposals]
        fields = [Field.radios("provider", legend_size=Size.SMALL)] if proposals else []
        if outside_allowed:
            self.fields["other"].queryset = Provider.objects.filter(active=True)
            fields += [Field.select("other"), Field.textarea("reason", rows=3)]
        else:
            del self.fields["other"], self.fields["reason"]
        self.helper = _helper(*fields, button="Choose this provider")

    def clean(self):
        data = super().clean()
        chosen = [value for value in (data.get("provider"), data.get("other")) if value]
        if len(chosen) != 1:
            raise ValidationError("Choose one provider")
        return data


class ChecksForm(forms.Form):
    conflict_checked = forms.BooleanField(
        label="No conflict of interest: the provider has none with this school declared or known",
        required=False,
    )
    due_diligence_checked = forms.BooleanField(
        label="Due diligence done: safeguarding, references and insurance checked",
        required=False,
    )
    note = _note("Notes")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.checkbox("conflict_checked", small=True),
            Field.checkbox("due_diligence_checked", small=True),
            Field.textarea("note", rows=3),
            button="Save and continue",
        )


class CommissionForm(forms.Form):
    decision_reference = forms.CharField(
        label="Reference of the board's decision",
        required=False,
        max_length=200,
        help_text="Needed when the cost is above the commissioning limit",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("decision_reference", field_width=Fluid.ONE_HALF),
            button="Commission the support",
        )


class StateForm(forms.Form):
    reason = _note("Reason", required=True)

    def __init__(self, *args, button: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.textarea("reason", rows=3), button=button, warning=button.startswith("Close")
        )


class StatutoryForm(forms.Form):
    on = PastDateField(
        label="Date",
        help_text="For example, 14 3 2026",
    )
    outcome = _note("Outcome", required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field("on"), Field.textarea("outcome", rows=3), button="Record the statutory action"
        )
