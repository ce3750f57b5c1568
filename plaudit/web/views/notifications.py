"""A person's notifications (new ones also arrive live over the WebSocket) and their settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import ListView

from plaudit.core.wording import number
from plaudit.events import services as event_services
from plaudit.events.models import Notification
from plaudit.events.selectors import notifications_for
from plaudit.web.forms import NotificationPreferencesForm
from plaudit.web.preferences_forms import PreferencesForm

from .from_request import is_htmx, signed_in


class NotificationsView(LoginRequiredMixin, ListView):
    """The person's notifications; new ones also arrive live over the WebSocket."""

    template_name = "web/notifications.html"
    context_object_name = "notifications"
    paginate_by = 20

    def get_queryset(self) -> QuerySet[Notification]:
        return notifications_for(signed_in(self.request))


def settings_page(
    request: HttpRequest,
    *,
    form: NotificationPreferencesForm | None = None,
    preferences_form: PreferencesForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The person's settings: what they hear about, and their language and time zone
    (saved by ``preferences.save_preferences``); either form as posted, with its errors."""
    person = signed_in(request)
    if form is None:
        form = NotificationPreferencesForm(
            person=person, preferences=event_services.preferences_of(person)
        )
    context = {"form": form, "preferences_form": preferences_form or PreferencesForm(person=person)}
    return render(request, "web/notification_settings.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    person = signed_in(request)
    if request.method == "GET":
        return settings_page(request)
    preferences = event_services.preferences_of(person)
    form = NotificationPreferencesForm(request.POST, person=person, preferences=preferences)
    if not form.is_valid():
        return settings_page(request, form=form, status=422)
    event_services.update_preferences(user=person, **form.changes())
    messages.success(request, _("Your notification settings are saved."))
    return redirect("web:notification-settings")


@login_required
@require_POST
def read_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one read: from its button (back to the list), or as its link is followed
    (plaudit.js asks in the background, and gets no page back)."""
    notification = get_object_or_404(notifications_for(signed_in(request)), pk=pk)
    event_services.mark_read(notification=notification)
    if is_htmx(request):
        return HttpResponse(status=204)
    return redirect("web:notifications")


@login_required
@require_POST
def read_all_notifications(request: HttpRequest) -> HttpResponse:
    count = event_services.mark_all_read(user=signed_in(request))
    marked = ngettext(
        "Marked %(count)s notification read.", "Marked %(count)s notifications read.", count
    ) % {"count": number(count)}
    messages.success(request, marked)
    return redirect("web:notifications")
