"""The editor's sections: settings with categories and support bands, one indicator, one trigger.

Each ``*_initial`` turns part of ``RuleSet.definition`` into form data; each ``*_definition``
builds the whole definition back, so it is validated as one before anything is saved.
"""

from __future__ import annotations

import copy

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Field, Fluid, Size
from django import forms
from django.core.exceptions import ValidationError

from .applies import AppliesToFields, applies_initial, applies_layout, applies_set
from .rows import (
    CODE_VALIDATOR,
    COMPARISONS,
    NUMBER_OPERATORS,
    SUPPORT_BANDS,
    as_number,
    form_helper,
    number_field,
    split_texts,
)

# Settings, categories and support bands --------------------------------------------------------


class RuleSettingsForm(forms.Form):
    name = forms.CharField(
        label="Name of the rules",
        max_length=200,
        error_messages={"required": "Enter a name for the rules"},
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        widget=forms.Textarea,
        help_text="What changed and why, for the board",
    )
    min_cohort = number_field(
        whole=True,
        label="Smallest cohort",
        min_value=0,
        help_text="A key stage measure for fewer eligible pupils than this is treated as "
        "missing (cohort too small)",
        error_messages={"required": "Enter the smallest cohort"},
    )
    year_weights = forms.CharField(
        label="Weights of the years, newest first",
        required=False,
        help_text="Numbers separated by commas: 3, 2, 1 counts the latest year three times as "
        "much as the oldest; 1 uses the latest year only",
    )
    min_indicators = number_field(
        whole=True,
        label="Fewest indicators with data",
        min_value=0,
        help_text="A school with fewer indicators that have data (and no trigger) is shown as "
        "having insufficient data rather than given a category",
        error_messages={"required": "Enter the fewest indicators with data"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.text("name", field_width=Fluid.FULL),
            Field.textarea("notes", rows=3),
            Field.text("min_cohort", field_width=4),
            Field.text("year_weights", field_width=10),
            Field.text("min_indicators", field_width=4),
        )

    def clean_year_weights(self) -> list:
        parts = [part.strip() for part in self.cleaned_data["year_weights"].split(",")]
        try:
            weights = [as_number(float(part)) for part in parts if part]
        except ValueError:
            raise ValidationError(
                "Enter the weights as numbers separated by commas, like 3, 2, 1"
            ) from None
        if any(weight <= 0 for weight in weights):
            raise ValidationError("Each weight must be more than 0")
        return weights


def settings_initial(rule_set) -> dict:
    definition = rule_set.definition
    weights = definition.get("year_weights") or []
    return {
        "name": rule_set.name,
        "notes": rule_set.notes,
        "min_cohort": definition.get("min_cohort"),
        "year_weights": ", ".join(str(weight) for weight in weights),
        "min_indicators": definition.get("min_indicators"),
    }


def settings_definition(
    definition: dict, *, settings: dict, categories: list[dict], bands: list[dict]
) -> dict:
    """The whole definition with new settings, categories and bands, both ordered by score."""
    built = copy.deepcopy(definition)
    built["min_cohort"] = settings["min_cohort"]
    built["min_indicators"] = settings["min_indicators"]
    if settings["year_weights"]:
        built["year_weights"] = settings["year_weights"]
    else:
        built.pop("year_weights", None)
    built["categories"] = [
        {
            "code": row["code"],
            "label": row["label"],
            "min_score": as_number(row["min_score"]),
            "focused": bool(row["focused"]),
        }
        for row in sorted(categories, key=lambda row: row["min_score"])
    ]
    built["support_bands"] = [
        {"band": row["band"], "min_score": as_number(row["min_score"])}
        for row in sorted(bands, key=lambda row: row["min_score"])
    ]
    return built


# One indicator -----------------------------------------------------------------------------------

DIRECTIONS = [
    Choice(
        "below",
        "When the compared number is below a band's limit",
        hint="For a measure where higher is better, such as attainment or progress",
    ),
    Choice(
        "above",
        "When the compared number is above a band's limit",
        hint="For a measure where higher is worse, such as an Ofsted grade or years since "
        "the last inspection",
    ),
]
BANDS_HINT = (
    "The first band whose limit the number passes gives its points; none gives 0 points. "
    "Bands are kept in order, worst first, when you save. Points are 0 or more."
)


class IndicatorForm(AppliesToFields):
    code = forms.CharField(
        label="Code",
        max_length=50,
        validators=[CODE_VALIDATOR],
        help_text="A short name used in explanations, like ks2_rwm",
        error_messages={"required": "Enter the indicator's code"},
    )
    label = forms.CharField(
        label="Description",
        max_length=300,
        help_text="Say what it measures and where any threshold comes from",
        error_messages={"required": "Enter a description of the indicator"},
    )
    measure = forms.ChoiceField(label="Measure", error_messages={"required": "Select the measure"})
    fallback_measure = forms.ChoiceField(
        label="Measure to use when that one is missing (optional)",
        required=False,
        help_text="For example GIAS's Ofsted rating when Ofsted's own data is not loaded",
    )
    comparison = forms.ChoiceField(
        label="Compare the measure with",
        choices=COMPARISONS,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what to compare the measure with"},
    )
    trend_years = number_field(
        whole=True,
        label="Years in the trend",
        min_value=2,
        required=False,
        help_text="Only for a trend: how many of the latest years with data it covers",
    )
    direction = forms.ChoiceField(
        label="Give points",
        choices=DIRECTIONS,
        widget=forms.RadioSelect,
        error_messages={"required": "Select when the bands give points"},
    )

    def __init__(self, *args, measures: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = measures
        self.fields["fallback_measure"].choices = [("", "No other measure"), *measures[1:]]
        self.helper = form_helper(
            Field.text("code", field_width=10),
            Field.text("label", field_width=Fluid.FULL),
            Field.select("measure"),
            Field.select("fallback_measure"),
            Field.radios("comparison", legend_size=Size.MEDIUM),
            Field.text("trend_years", field_width=4),
            Field.radios("direction", legend_size=Size.MEDIUM),
            *applies_layout(),
        )

    def clean(self):
        data = super().clean()
        if data.get("comparison") == "trend" and not data.get("trend_years"):
            self.add_error("trend_years", "Enter how many years the trend covers")
        return data


def indicator_initial(indicator: dict) -> tuple[dict, list[dict]]:
    """The indicator's form data and its bands' rows."""
    fields = {name: indicator.get(name) for name in IndicatorForm.base_fields}
    bands = indicator.get("bands", [])
    above = any("above" in band for band in bands)
    fields["direction"] = "above" if above else ("below" if indicator else None)
    if indicator.get("comparison") == "trend":
        fields["trend_years"] = indicator.get("trend_years", 3)
    fields.update(applies_initial(indicator))
    rows = [
        {
            "limit": band.get("above" if above else "below"),
            "points": band.get("points"),
            "label": band.get("label"),
        }
        for band in bands
    ]
    return fields, rows


def _bands(rows: list[dict], direction: str) -> list[dict]:
    # Worst first: the lowest "below" limit, or the highest "above" limit.
    ordered = sorted(rows, key=lambda row: row["limit"], reverse=direction == "above")
    words = "Below" if direction == "below" else "Above"
    return [
        {
            direction: as_number(row["limit"]),
            "points": as_number(row["points"]),
            "label": row["label"] or f"{words} {as_number(row['limit'])}",
        }
        for row in ordered
    ]


def indicator_definition(
    definition: dict, *, index: int | None, fields: dict, bands: list[dict]
) -> dict:
    """The whole definition with indicator ``index`` replaced (or a new one added if None)."""
    built = copy.deepcopy(definition)
    indicators = built.setdefault("indicators", [])
    indicator = dict(indicators[index]) if index is not None else {}
    indicator.update(
        code=fields["code"],
        label=fields["label"],
        measure=fields["measure"],
        comparison=fields["comparison"],
        bands=_bands(bands, fields["direction"]),
    )
    for key, keep in (
        ("trend_years", fields["comparison"] == "trend"),
        ("fallback_measure", bool(fields["fallback_measure"])),
    ):
        if keep:
            indicator[key] = fields[key]
        else:
            indicator.pop(key, None)
    applies_set(indicator, fields)
    if index is None:
        indicators.append(indicator)
    else:
        indicators[index] = indicator
    return built


# One trigger -------------------------------------------------------------------------------------

CONDITIONS_HINT = (
    "Each condition is one row. Rows with the same group number are alternatives: any one of "
    "them is enough. The trigger fires when every group has a row that holds. For example, "
    'group 1 "latest Ofsted judgement is 4" and group 1 "category of concern is one of '
    'Serious weaknesses; Special measures" fires on either; adding group 2 "previous '
    'judgement is at least 3" then also requires that. "Years back" tests an earlier year: '
    "0 or blank is the latest year with data, 1 the year before."
)


class TriggerForm(AppliesToFields):
    code = forms.CharField(
        label="Code",
        max_length=50,
        validators=[CODE_VALIDATOR],
        help_text="A short name used in explanations, like ofsted_inadequate",
        error_messages={"required": "Enter the trigger's code"},
    )
    label = forms.CharField(
        label="Description",
        max_length=300,
        help_text="Say when it fires and where the rule comes from",
        error_messages={"required": "Enter a description of the trigger"},
    )
    min_category = forms.ChoiceField(
        label="Put the school in at least category",
        error_messages={"required": "Select the category the trigger puts the school in"},
    )
    support_band = forms.ChoiceField(
        label="With at least the support band",
        required=False,
        choices=[("", "No support band"), *SUPPORT_BANDS],
        help_text="Only for a focused support category",
    )

    def __init__(self, *args, categories: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(c.get("code")), f"{c.get('code')}: {c.get('label')}") for c in categories]
        named = str((self.initial or {}).get("min_category") or "")
        if named and named not in {code for code, _label in choices}:
            choices.append((named, f"{named} (not a category in these rules)"))
        self.fields["min_category"].choices = [("", "Choose a category"), *choices]
        self.helper = form_helper(
            Field.text("code", field_width=10),
            Field.text("label", field_width=Fluid.FULL),
            Field.select("min_category"),
            Field.select("support_band"),
            *applies_layout(),
        )


def trigger_initial(trigger: dict) -> tuple[dict, list[dict]]:
    """The trigger's form data and its conditions as rows numbered by group."""
    fields = {name: trigger.get(name) or "" for name in TriggerForm.base_fields}
    fields.update(applies_initial(trigger))
    rows = []
    for number, group in enumerate(trigger.get("all_of", []), start=1):
        for condition in group:
            value = condition.get("value")
            texts = value if isinstance(value, list) else []
            rows.append(
                {
                    "group": number,
                    "years_back": condition.get("years_back"),
                    "measure": condition.get("measure"),
                    "op": condition.get("op"),
                    "value": None if texts else value,
                    "texts": "; ".join(texts),
                }
            )
    return fields, rows


def _condition(row: dict) -> dict:
    condition = {"measure": row["measure"], "op": row["op"]}
    if row["op"] in NUMBER_OPERATORS:
        condition["value"] = as_number(row["value"])
    elif row["op"] == "in":
        condition["value"] = split_texts(row["texts"])
    if row["years_back"] is not None:
        condition["years_back"] = row["years_back"]
    return condition


def trigger_definition(
    definition: dict, *, index: int | None, fields: dict, conditions: list[dict]
) -> dict:
    """The whole definition with trigger ``index`` replaced (or a new one added if None)."""
    built = copy.deepcopy(definition)
    triggers = built.setdefault("triggers", [])
    trigger = dict(triggers[index]) if index is not None else {}
    groups: dict[int, list[dict]] = {}
    for row in conditions:
        groups.setdefault(row["group"] or 1, []).append(_condition(row))
    trigger.update(
        code=fields["code"],
        label=fields["label"],
        min_category=fields["min_category"],
        all_of=[groups[number] for number in sorted(groups)],
    )
    if fields["support_band"]:
        trigger["support_band"] = fields["support_band"]
    else:
        trigger.pop("support_band", None)
    applies_set(trigger, fields)
    if index is None:
        triggers.append(trigger)
    else:
        triggers[index] = trigger
    return built


def definition_without(definition: dict, *, key: str, index: int) -> dict:
    """The whole definition without one indicator or trigger."""
    built = copy.deepcopy(definition)
    del built[key][index]
    return built
