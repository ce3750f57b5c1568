"""The audit log for HR: filter by actor, action and day; export what is shown as CSV."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.generic import ListView

from plaudit.audit import actions
from plaudit.audit.models import AuditEvent
from plaudit.audit.selectors import CSV_COLUMNS, audit_events, known_actions, rows_for_csv
from plaudit.audit.services import record
from plaudit.imports.spreadsheet import csv_lines
from plaudit.imports.views import csv_response
from plaudit.people.roles import is_hr_admin
from plaudit.web.audit_forms import AuditFilterForm
from plaudit.web.mixins import HRAdminRequiredMixin, role_required

from .from_request import signed_in


def _filtered(request: HttpRequest) -> tuple[AuditFilterForm, QuerySet[AuditEvent]]:
    form = AuditFilterForm(request.GET or None, actions=known_actions())
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "actor_email": data["actor"],
            "action": data["action"],
            "since": data["since"],
            "until": data["until"],
        }
    return form, audit_events(**filters)


class AuditLogView(HRAdminRequiredMixin, ListView):
    template_name = "web/hr/audit.html"
    context_object_name = "events"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[AuditEvent]:
        self.form, events = _filtered(self.request)
        return events

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["form"] = self.form
        context["query"] = self.request.GET.copy()
        context["query"].pop("page", None)
        return context


@role_required(is_hr_admin)
def export_audit_log(request: HttpRequest) -> HttpResponse:
    """The filtered log as CSV, streamed, formula-safe; the export is itself recorded."""
    _, events = _filtered(request)
    record(actions.EXPORTED, actor=signed_in(request), request=request, what="audit")
    filename = f"audit-{timezone.localdate().isoformat()}.csv"
    response: HttpResponse = csv_response(filename, csv_lines(CSV_COLUMNS, rows_for_csv(events)))  # type: ignore[assignment]
    return response
