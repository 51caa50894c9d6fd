"""The register import pages: upload a GIAS file, follow its job, see past imports."""

from __future__ import annotations

import re

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fixed, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from kernel.access import requires
from kernel.job_expiry import jobs_expire_stale
from kernel.models import Job
from kernel.uploads import upload_file_check
from schools.jobs import GIAS_IMPORT

from .gias_import import gias_import_enqueue, gias_import_jobs

IMPORT_PERM = "schools.import_register"
LA_CODES_MESSAGE = "Enter LA codes as 3 digits separated by spaces, like 850 936"


class GiasUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a GIAS establishment file",
        help_text="The CSV file of establishments downloaded from Get Information About Schools",
        error_messages={"required": "Select a CSV file", "empty": "The selected file is empty"},
    )
    la_codes = forms.CharField(
        label="Local authority codes (optional)",
        required=False,
        help_text="Only import schools in these local authorities, for example 850 936. "
        "Leave empty to import every local authority in the file.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field("file"),
            Field.text("la_codes", field_width=Fixed.TEN),
            Button("submit", "Upload and import"),
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise ValidationError("The selected file must be a CSV")
        upload_file_check(upload, name=upload.name, size=upload.size, kind="gias")
        return upload

    def clean_la_codes(self) -> list[str]:
        codes = re.split(r"[\s,]+", self.cleaned_data["la_codes"].strip())
        codes = [code for code in codes if code]
        if any(not re.fullmatch(r"\d{3}", code) for code in codes):
            raise ValidationError(LA_CODES_MESSAGE)
        return codes


_officers_only = requires(IMPORT_PERM)


@_officers_only
def gias_import_page(request: HttpRequest) -> HttpResponse:
    """The upload form, and the history of past imports with their outcomes."""
    is_post = request.method == "POST"
    form = GiasUploadForm(request.POST, request.FILES) if is_post else GiasUploadForm()
    if is_post and form.is_valid():
        upload = form.cleaned_data["file"]
        job = gias_import_enqueue(
            data=upload.read(),
            filename=upload.name,
            la_codes=form.cleaned_data["la_codes"],
            by=request.user,
        )
        return redirect("schools:import-job", pk=job.pk)
    jobs_expire_stale()
    return render(request, "schools/import.html", {"form": form, "jobs": gias_import_jobs()})


@_officers_only
def gias_import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """One import's progress and outcome: counts, or every problem by row and column."""
    jobs_expire_stale()
    job = get_object_or_404(Job.objects.select_related("created_by"), pk=pk, kind=GIAS_IMPORT)
    return render(
        request, "schools/import_job.html", {"job": job, "back_url": reverse("schools:import")}
    )
