"""A job's page (its progress and outcome), its uploaded file, and the health check."""

from __future__ import annotations

from celery import current_app
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from .access import require
from .job_expiry import jobs_expire_stale
from .jobs import job_kind
from .models import Job


def get_job_or_404(user, pk: int) -> Job:
    """The job, if this user started it or is an officer; otherwise 404."""
    job = get_object_or_404(Job.objects.select_related("created_by"), pk=pk)
    if job.created_by_id != user.pk and not user.has_perm("kernel.view_jobs"):
        raise Http404("No such job")
    return job


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _check_broker_and_worker() -> tuple[str, str]:
    app = current_app
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
    template = "kernel/_job_status.html" if request.GET.get("partial") else "kernel/job_detail.html"
    return render(request, template, {"job": job})


@login_required
def job_file(request: HttpRequest, pk: int) -> FileResponse:
    """The file uploaded for a job, as an attachment, to those who may upload that kind."""
    job = get_object_or_404(Job, pk=pk)
    kind = job_kind(job.kind)
    perm = kind.file_permission if kind else None
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
