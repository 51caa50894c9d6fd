"""Home page, health check and the throttled password reset page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordResetView
from django.db import connection
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from .access import require
from .forms import PasswordResetIncludingInvitedForm
from .job_expiry import jobs_expire_stale
from .models import Job
from .permissions import roles_of
from .signin import LOCKED_OUT_STATUS, RESET_TOO_MANY, password_reset_throttle


def get_job_or_404(user, pk: int) -> Job:
    """The job, if this user started it or is an officer; otherwise 404."""
    job = get_object_or_404(Job.objects.select_related("created_by"), pk=pk)
    if job.created_by_id != user.pk and not user.has_perm("partnership.view_jobs"):
        raise Http404("No such job")
    return job


# A job's uploaded file may be downloaded by those who may upload that kind of file.
JOB_FILE_PERMISSIONS = {
    Job.Kind.GIAS_IMPORT: "schools.import_register",
    Job.Kind.STRUCTURE_IMPORT: "clusters.change_structure",
    Job.Kind.PERFORMANCE_IMPORT: "categorisation.import_data",
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"roles": roles_of(request.user)})


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _check_broker_and_worker() -> tuple[str, str]:
    from config.celery import app

    if app.conf.task_always_eager:
        return "eager (no broker)", "eager (tasks run in the web process)"
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    replies = app.control.inspect(timeout=1.0).ping() or {}
    return "ok", (f"ok ({len(replies)} worker(s))" if replies else "no worker answered")


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Reports the database, the broker and the workers; 503 if any is not working."""
    report: dict[str, str] = {}
    healthy = True
    try:
        report["database"] = _check_database()
    except Exception as exc:  # noqa: BLE001 - a health check reports any failure
        report["database"] = f"error: {exc.__class__.__name__}"
        healthy = False
    try:
        report["broker"], report["worker"] = _check_broker_and_worker()
    except Exception as exc:  # noqa: BLE001
        report["broker"] = f"error: {exc.__class__.__name__}"
        report["worker"] = "unknown"
        healthy = False
    if report["worker"] == "no worker answered":
        healthy = False
    report["status"] = "ok" if healthy else "error"
    return JsonResponse(report, status=200 if healthy else 503)


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A job's progress and outcome; the page refreshes itself until the job has finished."""
    jobs_expire_stale()  # so a job whose worker died shows as failed, even with no beat
    job = get_job_or_404(request.user, pk)
    template = (
        "partnership/_job_status.html"
        if request.GET.get("partial")
        else "partnership/job_detail.html"
    )
    return render(request, template, {"job": job})


class PasswordResetThrottledView(PasswordResetView):
    """Django's reset page, throttled per client and per address (partnership/signin.py)."""

    form_class = PasswordResetIncludingInvitedForm

    def form_valid(self, form) -> HttpResponse:
        verdict = password_reset_throttle(request=self.request, email=form.cleaned_data["email"])
        if verdict.refuse:
            form.add_error(None, RESET_TOO_MANY)
            context = self.get_context_data(form=form)
            return self.render_to_response(context, status=LOCKED_OUT_STATUS)
        if verdict.send:
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())


@login_required
def job_file(request: HttpRequest, pk: int) -> FileResponse:
    """The file uploaded for a job, as an attachment, to those who may upload that kind."""
    job = get_object_or_404(Job, pk=pk)
    perm = JOB_FILE_PERMISSIONS.get(job.kind)
    if perm is None:
        raise Http404("This job has no uploaded file")
    require(request.user, perm)
    if not job.file:
        raise Http404("This job has no uploaded file")
    try:
        upload = job.file.open("rb")
    except FileNotFoundError:
        raise Http404("The uploaded file is no longer kept") from None
    filename = job.original_filename or job.file.name.rsplit("/", 1)[-1]
    return FileResponse(upload, as_attachment=True, filename=filename)
