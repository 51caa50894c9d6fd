"""GOV.UK forms for peer reviews, visit notes and self-evaluation (crispy-forms-gds)."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Fluid, Layout, Size
from django import forms
from django.utils import timezone

from .forms import OptionalDateField
from .models import Cluster
from .peer_review_models import Area, Grade, Sharing, Term


class AnyDateField(OptionalDateField):
    """A GOV.UK date input that may be left blank, in the past or the future."""

    def validate(self, value):
        return None


GRADE_CHOICES = [("", "Not judged"), *[(str(value), label) for value, label in Grade.choices]]


def _helper(*fields, button: str) -> FormHelper:
    helper = FormHelper()
    helper.layout = Layout(*fields, Button("submit", button))
    return helper


class GradesMixin:
    """One optional select per inspection area; ``grades()`` gives {area: grade}."""

    def add_grade_fields(self) -> list:
        for area, label in Area.choices:
            self.fields[f"grade_{area}"] = forms.TypedChoiceField(
                label=label, choices=GRADE_CHOICES, required=False, coerce=int, empty_value=None
            )
        return [Field.select(f"grade_{area}") for area in Area.values]

    def grades(self) -> dict[str, int]:
        return {area: self.cleaned_data.get(f"grade_{area}") for area in Area.values}


class CycleForm(forms.Form):
    cluster = forms.ModelChoiceField(
        queryset=Cluster.objects.none(),
        label="Cluster",
        empty_label=None,
        error_messages={"required": "Choose the cluster"},
    )
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the cycle's name"}
    )
    term = forms.ChoiceField(
        label="Term",
        choices=Term.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the term"},
    )
    year = forms.IntegerField(
        label="School year starting in",
        help_text="For example, 2026 for the 2026 to 2027 school year",
        min_value=2000,
        max_value=2100,
        error_messages={"required": "Enter the year the school year starts in"},
    )
    focus_areas = forms.CharField(
        label="Focus areas (optional)",
        help_text="One focus area on each line",
        widget=forms.Textarea,
        required=False,
    )

    def __init__(self, *args, clusters, **kwargs):
        kwargs.setdefault("initial", {"year": timezone.localdate().year})
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters
        self.helper = _helper(
            Field.select("cluster"),
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            Field.radios("term", legend_size=Size.SMALL, inline=True),
            Field.text("year", field_width=4),
            Field.textarea("focus_areas", rows=4),
            button="Start cycle",
        )


class MoveForm(forms.Form):
    group = forms.TypedChoiceField(
        label="Move to group", coerce=int, error_messages={"required": "Choose a group"}
    )

    def __init__(self, *args, groups: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [(str(g), f"Group {g}") for g in groups]
        self.helper = _helper(Field.select("group"), button="Move school")


class ScheduleForm(forms.Form):
    scheduled_on = AnyDateField(
        label="Date of the review visit (optional)", help_text="For example, 14 3 2027"
    )
    focus = forms.CharField(
        label="Focus areas for this review",
        help_text="One focus area on each line",
        widget=forms.Textarea,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field("scheduled_on"), Field.textarea("focus", rows=4), button="Save schedule"
        )


class FindingsForm(GradesMixin, forms.Form):
    findings = forms.CharField(
        label="Findings", widget=forms.Textarea, error_messages={"required": "Enter the findings"}
    )
    next_steps = forms.CharField(label="Next steps", widget=forms.Textarea, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        grades = self.add_grade_fields()
        self.helper = _helper(
            Field.textarea("findings", rows=8),
            Field.textarea("next_steps", rows=5),
            Fieldset(*grades, legend="Your judgements (optional)", legend_size=Size.MEDIUM),
            button="Save findings",
        )


class SharingForm(forms.Form):
    sharing = forms.TypedChoiceField(
        label="Who can read the report",
        choices=Sharing.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who can read the report"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("sharing", legend_size=Size.MEDIUM), button="Save sharing"
        )


class SelfEvaluationForm(GradesMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        grades = self.add_grade_fields()
        self.helper = _helper(
            Fieldset(*grades, legend="Your school's judgements", legend_size=Size.MEDIUM),
            button="Save self-evaluation",
        )

    def clean(self):
        data = super().clean()
        if not any(self.grades().values()):
            raise forms.ValidationError("Choose a judgement for at least one area")
        return data
