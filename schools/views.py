"""The school register: the list with its filters and CSV, a school's page, and its opt-out."""

from __future__ import annotations

import csv
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from kernel.access import require
from kernel.paging import page_links

from .extensions import school_page_parts
from .forms import OptOutForm, SchoolFilterForm
from .models import School
from .selectors import (
    SUGGESTION_FIELDS,
    school_export_rows,
    school_filter_options,
    school_filter_suggestions,
    school_get,
    school_linked_urns,
    school_list,
)
from .services import school_set_opt_out

PAGE_SIZE = 50
# (sort key or None, heading, numeric): the register table's columns, left to right.
COLUMNS = [
    ("name", "Name", False),
    ("urn", "URN", False),
    ("phase", "Phase", False),
    (None, "Type group", False),
    (None, "Status", False),
    ("pupils", "Pupils", True),
    ("la", "LA", False),
    (None, "Trust", False),
    ("cluster", "Cluster", False),
    (None, "Alliance", False),
]
# Cells a spreadsheet would run as a formula; see OWASP "CSV injection".
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def get_school_or_404(user, urn: int) -> School:
    """The school if this user may see it; 404 otherwise, so no one learns which URNs exist."""
    try:
        return school_get(user=user, urn=urn)
    except School.DoesNotExist:
        raise Http404("No such school") from None


def _filter_form(request: HttpRequest) -> SchoolFilterForm:
    return SchoolFilterForm(request.GET, options=school_filter_options(user=request.user))


def _column_headings(form: SchoolFilterForm) -> list[dict]:
    current = form.filters().sort
    headings = []
    for key, label, numeric in COLUMNS:
        heading = {"label": label, "numeric": numeric, "key": key}
        if key:
            ascending, descending = current == key, current == f"-{key}"
            heading["aria_sort"] = (
                "ascending" if ascending else "descending" if descending else "none"
            )
            heading["href"] = "?" + form.query_string(sort=f"-{key}" if ascending else key)
        headings.append(heading)
    return headings


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """The schools this user may see, filtered, sorted and paged."""
    require(request.user, "schools.view_register")
    form = _filter_form(request)
    schools = school_list(user=request.user, filters=form.filters())
    page = Paginator(schools, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "pagination": page_links(page, form.query_string),
        "headings": _column_headings(form),
        "export_query": form.query_string(),
        "can_import": request.user.has_perm("schools.import_register"),
    }
    return render(request, "schools/list.html", context)


@login_required
def suggestions(request: HttpRequest, field: str) -> JsonResponse:
    """Names for the register's typed filters (LA, trust, cluster), from what this user sees:
    ``{"suggestions": ["Surrey (936)", ...]}``. The filter's script asks as one types."""
    require(request.user, "schools.view_register")
    if field not in SUGGESTION_FIELDS:
        raise Http404("No such filter")
    names = school_filter_suggestions(user=request.user, field=field, text=request.GET.get("q", ""))
    return JsonResponse({"suggestions": names})


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a stream."""

    def write(self, value: str) -> str:
        return value


def _safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


@login_required
def export(request: HttpRequest) -> StreamingHttpResponse:
    """The rows of the list page as it is filtered and sorted (all pages), streamed as CSV."""
    require(request.user, "schools.export_register")
    form = _filter_form(request)
    writer = csv.writer(_Echo())
    rows = school_export_rows(user=request.user, filters=form.filters())
    # The byte order mark makes Excel read the file as UTF-8.
    lines = (
        ("\ufeff" if index == 0 else "") + writer.writerow([_safe_cell(v) for v in row])
        for index, row in enumerate(rows)
    )
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    filename = f"school-register-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def detail(request: HttpRequest, urn: int) -> HttpResponse:
    """A school's register facts, its place in the partnership, and what other apps show of
    it to this viewer (cluster history, categorisation…)."""
    require(request.user, "schools.view_register")
    school = get_school_or_404(request.user, urn)
    facts, sections = [], []
    for part in school_page_parts():
        part_context = part.context(user=request.user, school=school)
        if part_context is None:
            continue
        part_context = {**part_context, "school": school}
        if part.facts_template:
            facts.append(render_to_string(part.facts_template, part_context, request))
        if part.section_template:
            sections.append(render_to_string(part.section_template, part_context, request))
    context = {
        "school": school,
        "partnership_facts": facts,
        "sections": sections,
        "linked_urns": school_linked_urns(user=request.user, school=school),
        "can_change": request.user.has_perm("schools.change_school", school),
    }
    return render(request, "schools/detail.html", context)


def _opt_out_message(school: School, on: date | None) -> str:
    if school.opted_out:
        when = date_format(on, "j F Y")
        return f"{school.name} is recorded as opted out of the partnership from {when}"
    return f"{school.name} is recorded as taking part in the partnership"


@login_required
def opt_out(request: HttpRequest, urn: int) -> HttpResponse:
    """Officers record or withdraw a school's opt-out from the partnership."""
    require(request.user, "schools.view_register")
    school = get_school_or_404(request.user, urn)
    require(request.user, "schools.change_school", school)
    form = OptOutForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments()
        try:
            school_set_opt_out(school=school, by=request.user, **arguments)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _opt_out_message(school, arguments["on"]))
            return redirect(reverse("schools:detail", kwargs={"urn": school.urn}))
    return render(request, "schools/opt_out.html", {"school": school, "form": form})
