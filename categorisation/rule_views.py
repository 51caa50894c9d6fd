"""The board's rule sets: the list, one rule set in plain English, copy, adopt and what-if, and
the form editor for drafts (settings and categories, each indicator, each trigger).

Every editor save builds the whole definition, validates it and saves nothing unless it is valid.
Writes go through the services in ``categorisation.runs``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kernel.access import requires

from .definition import validate_definition
from .models import RuleSet, RuleSetStatus, Run
from .rule_forms import (
    BANDS_HINT,
    CONDITIONS_HINT,
    CategoryFormSet,
    ConditionFormSet,
    IndicatorBandFormSet,
    IndicatorForm,
    RuleSettingsForm,
    SupportBandFormSet,
    TriggerForm,
    definition_without,
    error_list,
    indicator_definition,
    indicator_initial,
    measure_choices,
    settings_definition,
    settings_initial,
    trigger_definition,
    trigger_initial,
)
from .rule_text import definition_described
from .runs import definition_checksum, rule_set_create_draft, rule_set_save, run_create_what_if
from .runs import rule_set_adopt as adopt_rule_set
from .selectors import rule_set_adopted

VIEW_RULES = "categorisation.view_rules"
EDIT_RULES = "categorisation.edit_rules"
ADOPT_RULES = "categorisation.adopt_rules"


def rule_set_or_404(pk: int) -> RuleSet:
    return get_object_or_404(
        RuleSet.objects.select_related("created_by", "adopted_by", "based_on"), pk=pk
    )


def read_only_page(request: HttpRequest, rule_set: RuleSet, doing: str) -> HttpResponse:
    """A 403 that says why: only a draft can be changed, adopted or tried."""
    return render(
        request,
        "categorisation/rule_read_only.html",
        {"rule_set": rule_set, "doing": doing},
        status=403,
    )


def problems_with(definition: dict) -> list[str]:
    """What stops a definition being saved or adopted, in words a user can act on."""
    return list(validate_definition(definition))


@requires(VIEW_RULES)
def rule_list(request: HttpRequest) -> HttpResponse:
    """Every version of the rules, newest first."""
    rule_sets = RuleSet.objects.select_related("created_by", "adopted_by", "based_on")
    context = {"rule_sets": rule_sets, "can_edit": request.user.has_perm(EDIT_RULES)}
    return render(request, "categorisation/rule_list.html", context)


@requires(VIEW_RULES)
def rule_set_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A rule set in plain English, with what this user may do with it."""
    rule_set = rule_set_or_404(pk)
    user = request.user
    is_draft = rule_set.status == RuleSetStatus.DRAFT
    can_edit = user.has_perm(EDIT_RULES)
    context = {
        "rule_set": rule_set,
        "rules": definition_described(definition=rule_set.definition),
        "is_draft": is_draft,
        "can_copy": can_edit,
        "can_edit": can_edit and is_draft,
        "can_adopt": user.has_perm(ADOPT_RULES) and is_draft,
        "problems": problems_with(rule_set.definition) if is_draft else [],
        "runs": [(run, run_url(run)) for run in rule_set.runs.all()[:5]],
    }
    return render(request, "categorisation/rule_detail.html", context)


@require_POST
@requires(EDIT_RULES)
def rule_set_copy(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a new draft from this rule set (the next version number)."""
    rule_set = rule_set_or_404(pk)
    draft = rule_set_create_draft(based_on=rule_set, by=request.user)
    messages.success(
        request, f"Version {draft.version} is a new draft copied from version {rule_set.version}"
    )
    return redirect("categorisation:rule-set", pk=draft.pk)


@require_POST
@requires(EDIT_RULES)
def rule_set_new(request: HttpRequest) -> HttpResponse:
    """Start a draft from the partnership's default rules (for a partnership with none yet)."""
    draft = rule_set_create_draft(based_on=None, by=request.user)
    messages.success(request, f"Version {draft.version} is a new draft of the default rules")
    return redirect("categorisation:rule-set", pk=draft.pk)


def run_url(run: Run) -> str:
    return reverse("categorisation:run", kwargs={"pk": run.pk})


@requires(ADOPT_RULES)
def rule_set_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then adopt a draft: it retires the current rules and starts a categorisation."""
    rule_set = rule_set_or_404(pk)
    if rule_set.status != RuleSetStatus.DRAFT:
        return read_only_page(request, rule_set, "adopted")
    problems = problems_with(rule_set.definition)
    if request.method == "POST" and not problems:
        try:
            adopt_rule_set(rule_set=rule_set, by=request.user)
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(
                request,
                f"Version {rule_set.version} is now the partnership's rules. "
                "A categorisation run has started.",
            )
            run = rule_set.runs.filter(purpose=Run.Purpose.OFFICIAL).order_by("-pk").first()
            return redirect(run_url(run) if run else rule_set_detail_url(rule_set))
    current = rule_set_adopted()
    href = rule_set_detail_url(rule_set)
    context = {
        "rule_set": rule_set,
        "current": current,
        "problems": problems,
        "errors": [{"text": problem, "href": href} for problem in problems],
    }
    return render(request, "categorisation/rule_adopt.html", context)


def rule_set_detail_url(rule_set: RuleSet) -> str:
    return reverse("categorisation:rule-set", kwargs={"pk": rule_set.pk})


@require_POST
@requires(EDIT_RULES)
def rule_set_what_if(request: HttpRequest, pk: int) -> HttpResponse:
    """Try a draft on the latest data without changing anyone's category."""
    rule_set = rule_set_or_404(pk)
    try:
        run = run_create_what_if(rule_set=rule_set, by=request.user)
    except ValidationError as error:
        if error.code == "not_draft":
            rule_set.refresh_from_db()
            return read_only_page(request, rule_set, "tried in a what-if run")
        messages.error(request, " ".join(error.messages))
        return redirect(rule_set_detail_url(rule_set))
    return redirect(run_url(run))


# The editor (drafts only) ------------------------------------------------------------------------


def editable_draft(view: Callable) -> Callable:
    """Officers only, and only a draft: an adopted or retired rule set is read-only (403)."""

    @wraps(view)
    @requires(EDIT_RULES)
    def wrapped(request: HttpRequest, pk: int, **kwargs) -> HttpResponse:
        rule_set = rule_set_or_404(pk)
        if rule_set.status != RuleSetStatus.DRAFT:
            return read_only_page(request, rule_set, "changed")
        return view(request, rule_set, **kwargs)

    return wrapped


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _save(request: HttpRequest, rule_set: RuleSet, definition: dict, done: str, **named) -> list:
    """Save the whole definition the page rebuilt; the problems if it was not saved (among them
    a change someone else saved since the page was shown)."""
    seen = request.POST.get("seen", "")
    try:
        rule_set_save(rule_set=rule_set, definition=definition, by=request.user, seen=seen, **named)
    except ValidationError as error:
        return error.messages
    messages.success(request, done)
    return []


def _position(items: list, index: int) -> int:
    # Indicators and triggers are numbered from 1 in URLs, as on the page.
    if not 1 <= index <= len(items):
        raise Http404("No such item in these rules")
    return index - 1


def _editor_page(
    request: HttpRequest, template: str, rule_set: RuleSet, *, forms, problems, **extra
) -> HttpResponse:
    errors = error_list(forms=forms, formsets=extra.pop("formsets", ()), problems=problems)
    seen = definition_checksum(rule_set.definition)
    context = {"rule_set": rule_set, "errors": errors, "seen": seen, **extra}
    return render(request, f"categorisation/{template}", context)


@editable_draft
def rule_set_settings(request: HttpRequest, rule_set: RuleSet) -> HttpResponse:
    """Change the settings, the categories and the support bands of a draft."""
    definition, data = rule_set.definition, _posted(request)
    form = RuleSettingsForm(data, initial=settings_initial(rule_set))
    categories = CategoryFormSet(data, initial=definition.get("categories"), prefix="categories")
    bands = SupportBandFormSet(data, initial=definition.get("support_bands"), prefix="bands")
    problems: list[str] = []
    if data is not None and all([form.is_valid(), categories.is_valid(), bands.is_valid()]):
        built = settings_definition(
            definition, settings=form.cleaned_data, categories=categories.rows(), bands=bands.rows()
        )
        named = {key: form.cleaned_data[key] for key in ("name", "notes")}
        problems = _save(request, rule_set, built, "Settings and categories saved", **named)
        if not problems:
            return redirect(rule_set_detail_url(rule_set))
    return _editor_page(
        request,
        "rule_settings.html",
        rule_set,
        forms=[form],
        formsets=[categories, bands],
        problems=problems,
        form=form,
        categories=categories,
        bands=bands,
    )


@editable_draft
def rule_indicator(
    request: HttpRequest, rule_set: RuleSet, index: int | None = None
) -> HttpResponse:
    """Add an indicator to a draft, or change one (with its bands of points)."""
    definition, data = rule_set.definition, _posted(request)
    indicators = definition.get("indicators", [])
    position = None if index is None else _position(indicators, index)
    current = indicators[position] if position is not None else {}
    fields, band_rows = indicator_initial(current)
    measures = measure_choices(keep=[current.get("measure", "")])
    form = IndicatorForm(data, initial=fields, measures=measures)
    bands = IndicatorBandFormSet(data, initial=band_rows, prefix="bands")
    problems: list[str] = []
    if data is not None and all([form.is_valid(), bands.is_valid()]):
        built = indicator_definition(
            definition, index=position, fields=form.cleaned_data, bands=bands.rows()
        )
        problems = _save(request, rule_set, built, f"Indicator {form.cleaned_data['code']} saved")
        if not problems:
            return redirect(rule_set_detail_url(rule_set) + "#indicators")
    return _editor_page(
        request,
        "rule_indicator.html",
        rule_set,
        forms=[form],
        formsets=[bands],
        problems=problems,
        form=form,
        bands=bands,
        bands_hint=BANDS_HINT,
        adding=position is None,
    )


@editable_draft
def rule_trigger(request: HttpRequest, rule_set: RuleSet, index: int | None = None) -> HttpResponse:
    """Add a trigger to a draft, or change one (with its conditions)."""
    definition, data = rule_set.definition, _posted(request)
    triggers = definition.get("triggers", [])
    position = None if index is None else _position(triggers, index)
    current = triggers[position] if position is not None else {}
    fields, condition_rows = trigger_initial(current)
    measures = measure_choices(keep=[row["measure"] for row in condition_rows])
    form = TriggerForm(data, initial=fields, categories=definition.get("categories", []))
    conditions = ConditionFormSet(
        data, initial=condition_rows, prefix="conditions", form_kwargs={"measures": measures}
    )
    problems: list[str] = []
    if data is not None and all([form.is_valid(), conditions.is_valid()]):
        built = trigger_definition(
            definition, index=position, fields=form.cleaned_data, conditions=conditions.rows()
        )
        problems = _save(request, rule_set, built, f"Trigger {form.cleaned_data['code']} saved")
        if not problems:
            return redirect(rule_set_detail_url(rule_set) + "#triggers")
    return _editor_page(
        request,
        "rule_trigger.html",
        rule_set,
        forms=[form],
        formsets=[conditions],
        problems=problems,
        form=form,
        conditions=conditions,
        conditions_hint=CONDITIONS_HINT,
        adding=position is None,
    )


def _remove(request: HttpRequest, rule_set: RuleSet, *, key: str, index: int) -> HttpResponse:
    items = rule_set.definition.get(key, [])
    position = _position(items, index)
    noun = "indicator" if key == "indicators" else "trigger"
    problems: list[str] = []
    if request.method == "POST":
        built = definition_without(rule_set.definition, key=key, index=position)
        done = f"{noun.capitalize()} {items[position].get('code', '')} removed"
        problems = _save(request, rule_set, built, done)
        if not problems:
            return redirect(rule_set_detail_url(rule_set) + f"#{key}")
    return _editor_page(
        request,
        "rule_remove.html",
        rule_set,
        forms=[],
        problems=problems,
        item=items[position],
        noun=noun,
    )


@editable_draft
def rule_indicator_remove(request: HttpRequest, rule_set: RuleSet, index: int) -> HttpResponse:
    """Confirm, then remove an indicator from a draft."""
    return _remove(request, rule_set, key="indicators", index=index)


@editable_draft
def rule_trigger_remove(request: HttpRequest, rule_set: RuleSet, index: int) -> HttpResponse:
    """Confirm, then remove a trigger from a draft."""
    return _remove(request, rule_set, key="triggers", index=index)
