"""Forms for the categorisation pages: the run's results filters, moderating one result, and
recording the board's agreement."""

from __future__ import annotations

from urllib.parse import urlencode

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Div, Field, Layout, Size
from django import forms

from .models import Result
from .selectors import INSUFFICIENT, INSUFFICIENT_DATA, Categories, ResultFilters

ANY = [("", "Any")]
REVISED = "yes"


class ResultFilterForm(forms.Form):
    """Filters above a run's results table, sent by GET so a filtered table can be shared."""

    category = forms.ChoiceField(label="Category", required=False)
    alliance = forms.ChoiceField(label="Alliance", required=False)
    moderation = forms.ChoiceField(
        label="Moderation",
        required=False,
        choices=ANY + list(Result.Moderation.choices),
    )
    revised = forms.ChoiceField(
        label="Revised data",
        required=False,
        choices=ANY + [(REVISED, "Category changed by revised data")],
    )

    def __init__(self, query, *, categories: Categories, alliances: list[tuple[int, str]]):
        super().__init__(query)
        insufficient = [(INSUFFICIENT, INSUFFICIENT_DATA)]
        self.fields["category"].choices = ANY + categories.choices() + insufficient
        self.fields["alliance"].choices = ANY + [(str(pk), name) for pk, name in alliances]
        self.helper = FormHelper()
        self.helper.form_tag = False
        # A GET form must not put the CSRF token in the address bar.
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Div(
                Field.select("category"),
                Field.select("alliance"),
                Field.select("moderation"),
                Field.select("revised"),
                css_class="app-filters__grid",
            )
        )

    def _value(self, name: str) -> str:
        # A value not on offer (an old link, a hand-edited address) is ignored, not an error.
        if not self.is_bound or name in self.errors:
            return ""
        return self.cleaned_data.get(name) or ""

    def filters(self) -> ResultFilters:
        alliance = self._value("alliance")
        return ResultFilters(
            category=self._value("category"),
            alliance_id=int(alliance) if alliance else None,
            moderation=self._value("moderation"),
            revised=self._value("revised") == REVISED,
        )

    def query_string(self, **overrides) -> str:
        params = {name: self._value(name) for name in self.fields}
        params.update(overrides)
        return urlencode({k: v for k, v in params.items() if v})

    @property
    def is_filtered(self) -> bool:
        return self.filters() != ResultFilters()


class OverrideForm(forms.Form):
    """Change a result's category (and support band) at moderation, with the reason."""

    category = forms.ChoiceField(
        label="Category",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the category", "invalid_choice": "Select the category"},
    )
    support_band = forms.ChoiceField(
        label="Support band",
        help_text="Only for a focused support category",
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select a support band from the list"},
    )
    reason = forms.CharField(
        label="Reason for the change",
        help_text="The board sees this reason, and it is kept with the school's categorisation",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        error_messages={
            "required": "Enter the reason for changing the category",
            "max_length": "Reason must be 2,000 characters or fewer",
        },
    )

    def __init__(self, *args, categories: Categories, result: Result, **kwargs):
        kwargs.setdefault(
            "initial", {"category": result.category, "support_band": result.support_band}
        )
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = categories.choices()
        self.fields["support_band"].choices = [("", "None")] + categories.band_choices()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.radios("category", legend_size=Size.SMALL),
            Field.radios("support_band", legend_size=Size.SMALL, inline=True),
            Field.textarea("reason", rows=5),
            Button("override", "Change the category"),
        )


class AgreeForm(forms.Form):
    """The board's agreement of a moderated run."""

    note = forms.CharField(
        label="Note of the board's decision",
        help_text="For example, the meeting and the minute where the board agreed it",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "Note must be 2,000 characters or fewer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.textarea("note", rows=4),
            Button("agree", "Record the board's agreement"),
        )
