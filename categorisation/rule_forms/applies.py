"""The "applies to" part of the indicator and trigger forms: which schools a rule is for."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Size
from django import forms

from ..applicability import KEY_STAGES, PHASES, TYPE_GROUPS

KEY_STAGE_CHOICES = [
    ("", "Any school, whatever its age range"),
    *[(code, f"Only schools whose age range reaches {text}") for code, text in KEY_STAGES.items()],
]


class AppliesToFields(forms.Form):
    """Fields shared by the indicator and trigger forms; nothing ticked means every school."""

    applies_phases = forms.MultipleChoiceField(
        label="Phases it applies to (optional)",
        choices=list(PHASES.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Leave all unticked for every phase",
    )
    applies_type_groups = forms.MultipleChoiceField(
        label="Types of school it applies to (optional)",
        choices=list(TYPE_GROUPS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Leave all unticked for every type, for example untick special and "
        "alternative provision schools for a key stage result",
    )
    applies_key_stage = forms.ChoiceField(
        label="Age range",
        choices=KEY_STAGE_CHOICES,
        widget=forms.RadioSelect,
        required=False,
        help_text="An infant or first school has no KS2 results, a primary school no KS4 "
        "results: for them the measure is shown as not applicable, not missing",
    )


def applies_layout() -> list:
    return [
        Field.checkboxes("applies_phases", legend_size=Size.SMALL, small=True),
        Field.checkboxes("applies_type_groups", legend_size=Size.SMALL, small=True),
        Field.radios("applies_key_stage", legend_size=Size.SMALL, small=True),
    ]


def applies_initial(item: dict) -> dict:
    applies = item.get("applies_to") or {}
    return {
        "applies_phases": list(applies.get("phases") or []),
        "applies_type_groups": list(applies.get("type_groups") or []),
        "applies_key_stage": applies.get("key_stage") or "",
    }


def applies_set(item: dict, fields: dict) -> None:
    """Write the form's "applies to" into ``item`` (leaving it out when it is every school)."""
    applies = {
        key: value
        for key, value in (
            ("phases", list(fields.get("applies_phases") or [])),
            ("type_groups", list(fields.get("applies_type_groups") or [])),
            ("key_stage", fields.get("applies_key_stage") or ""),
        )
        if value
    }
    if applies:
        item["applies_to"] = applies
    else:
        item.pop("applies_to", None)
