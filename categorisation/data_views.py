"""The performance data pages: upload a file, follow its import, see past imports."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fixed, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from categorisation.jobs import PERFORMANCE_IMPORT
from kernel.access import requires
from kernel.job_expiry import jobs_expire_stale
from kernel.models import Job
from kernel.uploads import upload_file_check

from .imports.years import YEAR_FORMAT, academic_year_parse
from .models import ReleaseStage, Source
from .performance_import import performance_import_enqueue, performance_import_jobs

IMPORT_PERM = "categorisation.import_data"
EXTENSIONS = (".csv", ".xlsx")


class PerformanceUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a performance data file",
        help_text="A CSV or XLSX file: KS2 or KS4 performance tables, an absence file, Ofsted "
        "management information, a GIAS download or the LA template",
        error_messages={
            "required": "Select a CSV or XLSX file",
            "empty": "The selected file is empty",
        },
    )
    kind = forms.ChoiceField(
        label="What kind of file is it?",
        choices=[("", "Work it out from the file's columns"), *Source.choices],
        required=False,
    )
    year = forms.CharField(
        label="Academic year (optional)",
        required=False,
        help_text="For example 2018-2019. Leave empty to take it from the file name, or from "
        "each row of the LA template.",
    )
    stage = forms.ChoiceField(
        label="Release",
        choices=[
            ("", "From the file name (final if it does not say)"),
            *[(v, label) for v, label in ReleaseStage.choices if v != ReleaseStage.PRIOR_YEAR],
        ],
        required=False,
        help_text="A later release of the same year replaces the earlier one's values as "
        "current; the earlier values are kept.",
    )
    create_measures = forms.BooleanField(
        label="Create measures the LA template names that are not in the catalogue",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field("file"),
            Field.select("kind"),
            Field.text("year", field_width=Fixed.TEN),
            Field.select("stage"),
            Field.checkbox("create_measures", small=True),
            Button("submit", "Upload and import"),
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(EXTENSIONS):
            raise ValidationError("The selected file must be a CSV or XLSX")
        # The LA template's longer row limit is applied once its columns are read.
        upload_file_check(
            upload, name=upload.name, size=upload.size, kind="performance", allowed=("csv", "xlsx")
        )
        return upload

    def clean_year(self) -> str:
        year = self.cleaned_data["year"].strip()
        if year and not academic_year_parse(year):
            raise ValidationError(YEAR_FORMAT)
        return academic_year_parse(year) if year else ""


def _history_row(job: Job) -> dict:
    """What the history table shows of one import, whether it has run or not."""
    kind = job.outcome_kind or job.options.get("kind") or ""
    stage = job.outcome_stage or job.options.get("stage") or ""
    return {
        "job": job,
        "kind": Source(kind).label if kind in Source.values else "Not yet known",
        "year": job.outcome_year or job.options.get("year") or "",
        "stage": ReleaseStage(stage).label if stage in ReleaseStage.values else "",
        "values_written": job.values_written,
        "problems": job.problem_total,
    }


@requires(IMPORT_PERM)
def data_page(request: HttpRequest) -> HttpResponse:
    """The upload form, and the history of past imports with their outcomes."""
    is_post = request.method == "POST"
    form = (
        PerformanceUploadForm(request.POST, request.FILES) if is_post else PerformanceUploadForm()
    )
    if is_post and form.is_valid():
        upload = form.cleaned_data["file"]
        options = {name: form.cleaned_data[name] for name in ("kind", "year", "stage")}
        options["create_measures"] = form.cleaned_data["create_measures"]
        job = performance_import_enqueue(
            data=upload.read(), filename=upload.name, options=options, by=request.user
        )
        return redirect("categorisation:data-job", pk=job.pk)
    jobs_expire_stale()
    context = {"form": form, "history": [_history_row(job) for job in performance_import_jobs()]}
    return render(request, "categorisation/data_upload.html", context)


@requires(IMPORT_PERM)
def data_job(request: HttpRequest, pk: int) -> HttpResponse:
    """One import's progress and outcome: counts, or every problem by row and column."""
    jobs_expire_stale()
    job = get_object_or_404(
        Job.objects.select_related("created_by"), pk=pk, kind=PERFORMANCE_IMPORT
    )
    context = {"job": job, "back_url": reverse("categorisation:data")}
    return render(request, "categorisation/data_job.html", context)
