"""Admin for imports: the jobs, and an import page that starts them as the API does."""

from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from plaudit.core.errors import DomainError
from plaudit.people.models import User
from plaudit.people.roles import is_hr_admin
from plaudit.rewards.models import Reward

from . import jobs
from .errors import FileTooLarge
from .files import LimitedTemporaryFileUploadHandler
from .models import ImportJob, ImportKind
from .wording import summary


class ImportForm(forms.Form):
    """The admin's upload form; the file's content is checked by ``jobs.start_import``."""

    file = forms.FileField(
        label=gettext_lazy("File"),
        allow_empty_file=True,
        help_text=gettext_lazy("A UTF-8 CSV file with a header row."),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=ImportKind.choices)
    dry_run = forms.BooleanField(
        label=gettext_lazy("Dry run"),
        required=False,
        help_text=gettext_lazy("Check everything and count what would change; write nothing."),
    )
    reward = forms.ModelChoiceField(
        label=gettext_lazy("Reward"),
        queryset=Reward.objects.all(),
        required=False,
        help_text=gettext_lazy("For reward codes only."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == ImportKind.REWARD_CODES and not data.get("reward"):
            self.add_error("reward", _("Choose the reward these codes belong to."))
        return data


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "kind",
        "status",
        "dry_run",
        "processed_rows",
        "total_rows",
        "created",
        "updated",
        "failed",
        "created_by",
        "created_at",
    ]
    list_filter = ["kind", "status", "dry_run"]
    readonly_fields = [
        *(field.name for field in ImportJob._meta.fields),
        "rejected_rows",
    ]
    actions = ["rerun"]
    change_list_template = "admin/imports/importjob/change_list.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("Rejected rows"))
    def rejected_rows(self, job: ImportJob) -> str:
        url = reverse("import-errors", kwargs={"version": "v1", "pk": job.pk})
        words = ngettext("errors CSV (%(count)s row)", "errors CSV (%(count)s rows)", job.failed)
        return format_html('<a href="{}">{}</a>', url, words % {"count": job.failed})

    @admin.action(description=gettext_lazy("Re-run the selected failed or interrupted imports"))
    def rerun(self, request: HttpRequest, queryset: QuerySet[ImportJob]) -> None:
        for job in queryset:
            try:
                jobs.restart_import(actor=cast(User, request.user), job_id=job.pk)
            except DomainError as exc:
                self.message_user(
                    request,
                    # Translators: an import's number, then why it cannot be re-run.
                    _("#%(id)s: %(reason)s") % {"id": job.pk, "reason": exc.detail},
                    messages.WARNING,
                )
            else:
                self.message_user(
                    request, _("#%(id)s queued again.") % {"id": job.pk}, messages.SUCCESS
                )

    def get_urls(self) -> list[URLPattern]:
        upload = self.admin_site.admin_view(csrf_exempt(self.upload_entry))
        return [
            path("upload/", upload, name="imports_importjob_upload"),
            *super().get_urls(),
        ]

    def upload_entry(self, request: HttpRequest) -> HttpResponse:
        """Set the upload handlers before anything (the CSRF check included) reads the body."""
        request.upload_handlers = [LimitedTemporaryFileUploadHandler(request)]
        try:
            return csrf_protect(self.upload_view)(request)
        except FileTooLarge as exc:
            return self._render(request, ImportForm(), error=exc.detail, status=413)

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        if not is_hr_admin(request.user):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            reward = form.cleaned_data["reward"]
            try:
                job = jobs.start_import(
                    upload=form.cleaned_data["file"],
                    kind=form.cleaned_data["kind"],
                    dry_run=form.cleaned_data["dry_run"],
                    reward_id=reward.pk if reward else None,
                    created_by=request.user,  # type: ignore[arg-type]
                )
            except DomainError as exc:
                return self._render(request, form, error=exc.detail, status=exc.status)
            job.refresh_from_db()
            self.message_user(request, summary(job), messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:imports_importjob_change", args=[job.pk]))
        return self._render(request, form)

    def _render(
        self, request: HttpRequest, form: ImportForm, *, error: str = "", status: int = 200
    ) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import a CSV file"),
            "form": form,
            "error": error,
        }
        return TemplateResponse(
            request, "admin/imports/importjob/upload.html", context, status=status
        )
