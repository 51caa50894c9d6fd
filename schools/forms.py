"""Forms for the register: the filters above the school list, and a school's opt-out."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import (
    HTML,
    Button,
    Div,
    Field,
    Fluid,
    Layout,
    Size,
)
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy

from .models import Phase, School, TypeGroup
from .selectors import (
    DEFAULT_SORT,
    MAX_FILTER_TEXT,
    OPTED_OUT_ANY,
    OPTED_OUT_NO,
    OPTED_OUT_YES,
    SORT_KEYS,
    STATUS_ALL,
    STATUS_CLOSED,
    STATUS_OPEN,
    FilterOptions,
    SchoolFilters,
)

STATUS_CHOICES = [
    (STATUS_OPEN, "Open, including proposed to close"),
    (STATUS_CLOSED, "Closed"),
    (STATUS_ALL, "All"),
]
OPTED_OUT_CHOICES = [
    (OPTED_OUT_ANY, "Any"),
    (OPTED_OUT_YES, "Opted out"),
    (OPTED_OUT_NO, "Taking part"),
]
SORT_VALUES = frozenset(s for key in SORT_KEYS for s in (key, f"-{key}"))
# Values the form falls back to when the query string leaves them out.
FILTER_DEFAULTS = {"status": STATUS_OPEN, "opted_out": OPTED_OUT_ANY, "sort": DEFAULT_SORT}
ANY = [("", "Any")]


def _not_on_offer(what: str) -> dict:
    return {"invalid_choice": f"Select {what} from the list"}


def _typed(label: str, hint: str, field: str) -> forms.CharField:
    """A filter typed rather than picked from hundreds of options: the server matches the name
    (``schools.selectors``); static/js/suggest.mjs suggests names as one types."""
    return forms.CharField(
        label=label,
        help_text=hint,
        required=False,
        max_length=MAX_FILTER_TEXT,
        error_messages={"max_length": f"{label} must be {MAX_FILTER_TEXT} characters or fewer"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "spellcheck": "false",
                "data-suggest": reverse_lazy("schools:suggestions", args=[field]),
            }
        ),
    )


class SchoolFilterForm(forms.Form):
    """The register's filters, sent by GET so that a filtered list can be bookmarked and shared."""

    q = forms.CharField(
        label="Search by name, URN or postcode",
        required=False,
        max_length=100,
        error_messages={"max_length": "Search must be 100 characters or fewer"},
    )
    la = _typed("Local authority", "For example, Surrey or 936", "la")
    trust = _typed("Trust", "Its name, or part of it", "trust")
    alliance = forms.ChoiceField(
        label="Alliance", required=False, error_messages=_not_on_offer("an alliance")
    )
    cluster = _typed("Cluster", "Its name, or part of it", "cluster")
    phase = forms.MultipleChoiceField(
        label="Phase",
        choices=Phase.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages=_not_on_offer("a phase"),
    )
    type_group = forms.MultipleChoiceField(
        label="Type group",
        choices=TypeGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages=_not_on_offer("a type group"),
    )
    status = forms.ChoiceField(
        label="Status",
        choices=STATUS_CHOICES,
        required=False,
        widget=forms.RadioSelect,
        error_messages=_not_on_offer("a status"),
    )
    opted_out = forms.ChoiceField(
        label="Opted out of the partnership",
        choices=OPTED_OUT_CHOICES,
        required=False,
        widget=forms.RadioSelect,
        error_messages=_not_on_offer("whether the school has opted out"),
    )
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, query, *, options: FilterOptions):
        data = query.copy()
        for name, value in FILTER_DEFAULTS.items():
            data.setdefault(name, value)
        super().__init__(data)
        self.fields["alliance"].choices = ANY + [(str(pk), n) for pk, n in options.alliances]
        self.helper = FormHelper()
        self.helper.form_tag = False
        # A GET form must not put the CSRF token in the address bar.
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field.text("q", field_width=Fluid.TWO_THIRDS),
            Div(
                Field.text("la"),
                Field.text("trust"),
                Field.select("alliance"),
                Field.text("cluster"),
                css_class="app-filters__grid",
            ),
            # The longer checkbox and radio groups fold away (a native <details>, so it works
            # without JavaScript) and open whenever one of them is set, so no filter is hidden.
            HTML(
                '<details class="govuk-details"{% if form.uses_more_filters %} open{% endif %}>'
                '<summary class="govuk-details__summary"><span class="govuk-details__summary-text">'
                "Phase, type group, status and opt-out</span></summary>"
                '<div class="govuk-details__text">'
            ),
            Div(
                Field.checkboxes("phase", legend_size=Size.SMALL, small=True),
                Field.checkboxes("type_group", legend_size=Size.SMALL, small=True),
                Field.radios("status", legend_size=Size.SMALL, small=True),
                Field.radios("opted_out", legend_size=Size.SMALL, small=True),
                css_class="app-filters__grid",
            ),
            HTML("</div></details>"),
            "sort",
        )

    def clean_sort(self) -> str:
        # Sorting comes from column links, not from anything typed: fall back rather than fail.
        value = self.cleaned_data["sort"]
        return value if value in SORT_VALUES else DEFAULT_SORT

    def _value(self, name: str):
        """The cleaned value, or the default when it is empty or not a value on offer."""
        value = None if name in self.errors else self.cleaned_data.get(name)
        empty = [] if isinstance(self.fields[name], forms.MultipleChoiceField) else ""
        return value or FILTER_DEFAULTS.get(name, empty)

    def filters(self) -> SchoolFilters:
        """The valid filters as the selector's input; a value not on offer is ignored."""

        def as_id(name: str) -> int | None:
            value = self._value(name)
            return int(value) if value else None

        return SchoolFilters(
            q=self._value("q"),
            phases=tuple(self._value("phase")),
            type_groups=tuple(self._value("type_group")),
            la=self._value("la").strip(),
            trust=self._value("trust").strip(),
            alliance_id=as_id("alliance"),
            cluster=self._value("cluster").strip(),
            status=self._value("status"),
            opted_out=self._value("opted_out"),
            sort=self._value("sort"),
        )

    def query_string(self, **overrides) -> str:
        """The filters as a query string for links (sorting, paging, the CSV), without defaults."""
        params = {name: self._value(name) for name in self.fields}
        params.update(overrides)
        kept = {
            name: value
            for name, value in params.items()
            if value not in ("", None, [], ()) and FILTER_DEFAULTS.get(name) != value
        }
        return urlencode(kept, doseq=True)

    @property
    def uses_more_filters(self) -> bool:
        filters = self.filters()
        defaults = SchoolFilters()
        return (filters.phases, filters.type_groups, filters.status, filters.opted_out) != (
            defaults.phases,
            defaults.type_groups,
            defaults.status,
            defaults.opted_out,
        )

    @property
    def is_filtered(self) -> bool:
        filters = self.filters()
        return filters != SchoolFilters(sort=filters.sort)


class OptOutDateField(DateInputField):
    """GOV.UK date input whose impossible dates (31 February) get a message a person can act on."""

    def compress(self, data_list):
        try:
            return super().compress(data_list)
        except ValidationError as exc:
            raise ValidationError("Date the school opted out must be a real date") from exc


class OptOutForm(forms.Form):
    """Record or withdraw a school's opt-out from the partnership (Dorset report 1.5)."""

    opted_out = forms.ChoiceField(
        label="Has the school opted out of the partnership?",
        choices=[("yes", "Yes"), ("no", "No, it takes part in the partnership")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the school has opted out of the partnership"},
    )
    opted_out_on = OptOutDateField(
        label="Date the school opted out",
        help_text="Only if it has opted out. For example, 27 3 2025",
        required=False,
        require_all_fields=False,
    )
    opted_out_note = forms.CharField(
        label="Note",
        help_text="For example, the governing body's decision and where it is recorded",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, school: School, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "opted_out": "yes" if school.opted_out else "no",
                "opted_out_on": school.opted_out_on,
                "opted_out_note": school.opted_out_note,
            },
        )
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page's <form> carries the token
        self.helper.layout = Layout(
            # Plain radios, not a conditional reveal: GOV.UK's reveal script sets aria-expanded
            # on radios, which axe reports as a critical fault.
            Field.radios("opted_out", legend_size=Size.MEDIUM),
            Field("opted_out_on"),
            Field.textarea("opted_out_note", rows=4),
            HTML.p("The change is recorded in the school's history with your name."),
            Button("save", "Save"),
        )

    def service_arguments(self) -> dict:
        """The cleaned answers as the keyword arguments of ``school_set_opt_out``."""
        opted_out = self.cleaned_data["opted_out"] == "yes"
        on: date | None = self.cleaned_data.get("opted_out_on")
        return {
            "opted_out": opted_out,
            # The date belongs to "Yes": a date left in the field means nothing on "No".
            "on": on if opted_out else None,
            "note": self.cleaned_data.get("opted_out_note", ""),
        }
