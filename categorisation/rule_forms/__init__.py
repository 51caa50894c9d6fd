"""Forms over a rule set's definition: users edit rules through fields, never JSON."""

from .rows import (
    SPARE_ROWS,
    CategoryFormSet,
    ConditionFormSet,
    IndicatorBandFormSet,
    SupportBandFormSet,
    error_list,
    measure_choices,
)
from .sections import (
    BANDS_HINT,
    CONDITIONS_HINT,
    IndicatorForm,
    RuleSettingsForm,
    TriggerForm,
    definition_without,
    indicator_definition,
    indicator_initial,
    settings_definition,
    settings_initial,
    trigger_definition,
    trigger_initial,
)

__all__ = [
    "BANDS_HINT",
    "CONDITIONS_HINT",
    "SPARE_ROWS",
    "CategoryFormSet",
    "ConditionFormSet",
    "IndicatorBandFormSet",
    "IndicatorForm",
    "RuleSettingsForm",
    "SupportBandFormSet",
    "TriggerForm",
    "definition_without",
    "error_list",
    "indicator_definition",
    "indicator_initial",
    "measure_choices",
    "settings_definition",
    "settings_initial",
    "trigger_definition",
    "trigger_initial",
]
