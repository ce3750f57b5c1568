"""Admin for core tables, and the bases the apps' admins share: read-only records, and
editors whose saves go through a service."""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from .errors import DomainError
from .forms import show_refusal
from .models import IdempotencyKey

_REFUSAL = "_plaudit_service_refusal"


class SavesThroughServices(admin.ModelAdmin):
    """An editor whose ``save_model`` calls a service. A refusal the form's own checks
    could not foresee (a rule only the service applies, a change made meanwhile) rolls
    the save back, and the form is shown again as it was sent, the service's words
    beside their field or atop the form: never a 500."""

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as refusal:
            if request.method != "POST" or hasattr(request, _REFUSAL):
                raise
            setattr(request, _REFUSAL, refusal)  # the form below shows it; nothing was saved
            for uploads in request.FILES.lists():
                for upload in uploads[1]:
                    upload.seek(0)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        refusal: DomainError | None = getattr(request, _REFUSAL, None)
        if refusal is None:
            return form
        return type(form.__name__, (_Refused, form), {"refusal": refusal})


class _Refused(forms.BaseForm):
    refusal: DomainError

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        show_refusal(self, self.refusal)
        return cleaned


class ReadOnlyModelAdmin(admin.ModelAdmin):
    """For records that only code may write (ledger lines, stored answers): look, never touch."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(ReadOnlyModelAdmin):
    list_display = ["key", "scope", "user", "response_status", "created_at", "completed_at"]
    list_filter = ["scope", "response_status"]
    search_fields = ["key", "user__email"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"
