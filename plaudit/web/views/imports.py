"""HR's CSV import pages: the upload form with each kind's columns, their templates,
and a job's progress.

The upload streams to a size-limited temporary file before anything reads the body,
then the imports app's job lifecycle takes it (``start_import``); the progress page is
polled by htmx until the job is finished. The columns and the templates are the kinds'
own declarations (:mod:`plaudit.imports.guide`).
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from plaudit.core.errors import DomainError
from plaudit.imports import jobs as import_jobs
from plaudit.imports.admin import ImportForm as ImportUploadForm  # one upload form for both
from plaudit.imports.errors import FileTooLarge
from plaudit.imports.files import LimitedTemporaryFileUploadHandler
from plaudit.imports.guide import guide_of, guides
from plaudit.imports.selectors import jobs_visible_to
from plaudit.people.roles import is_hr_admin
from plaudit.web.mixins import role_required

from .from_request import is_htmx, signed_in


@csrf_exempt  # checked just below, once the upload handlers are in place
def import_upload(request: HttpRequest) -> HttpResponse:
    """Stream the upload to a size-limited temporary file before anything reads the body."""
    if request.method == "POST":
        request.upload_handlers = [LimitedTemporaryFileUploadHandler(request)]
    try:
        return csrf_protect(_import_upload)(request)
    except FileTooLarge as exc:
        return render(
            request,
            "web/hr/import.html",
            {"form": ImportUploadForm(), "error": exc.detail, "guides": guides()},
            status=413,
        )


@role_required(is_hr_admin)
def _import_upload(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    error, status = "", 200
    if request.method == "POST":
        if form.is_valid():
            reward = form.cleaned_data.get("reward")
            try:
                job = import_jobs.start_import(
                    upload=form.cleaned_data["file"],
                    kind=form.cleaned_data["kind"],
                    dry_run=form.cleaned_data["dry_run"],
                    reward_id=reward.pk if reward else None,
                    created_by=signed_in(request),
                )
            except DomainError as exc:
                error, status = exc.detail, exc.status
            else:
                return redirect("web:import-job", pk=job.pk)
        else:
            status = 422
    context = {
        "form": form,
        "error": error,
        "jobs": jobs_visible_to(signed_in(request))[:10],
        "guides": guides(),
    }
    return render(request, "web/hr/import.html", context, status=status)


@role_required(is_hr_admin)
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's progress: htmx polls the fragment until it is finished (the WebSocket
    moves the bar sooner when it is connected)."""
    job = get_object_or_404(jobs_visible_to(signed_in(request)), pk=pk)
    template = "web/hr/_import_progress.html" if is_htmx(request) else "web/hr/import_job.html"
    return render(request, template, {"job": job})


@role_required(is_hr_admin)
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    """A kind's template to fill in: its header and one example row."""
    guide = guide_of(kind)
    if guide is None:
        raise Http404("No such kind of import.")
    response = HttpResponse(guide.template, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{guide.filename}"'
    return response
