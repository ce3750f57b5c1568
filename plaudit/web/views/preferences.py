"""A person's language and time zone: the section of their settings page, and the
header's language switcher. Both save through ``people.services.set_preferences``."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.http import require_POST

from plaudit.core.errors import DomainError
from plaudit.core.forms import show_refusal
from plaudit.people import services as people_services
from plaudit.people.localisation import activate_for
from plaudit.web.preferences_forms import PreferencesForm

from .from_request import signed_in
from .notifications import settings_page


@login_required
@require_POST
def save_preferences(request: HttpRequest) -> HttpResponse:
    person = signed_in(request)
    form = PreferencesForm(request.POST, person=person)
    status = 422
    if form.is_valid():
        try:
            person = people_services.set_preferences(actor=person, person=person, **form.changes())
        except DomainError as exc:
            show_refusal(form, exc)
            status = exc.status
        else:
            activate_for(request, person)  # the confirmation already in the new language
            messages.success(request, _("Your language and time zone are saved."))
            return redirect("web:notification-settings")
    return settings_page(request, preferences_form=form, status=status)


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's ``set_language`` (the cookie, and its checks on ``next``); for a signed-in
    person the choice also becomes their preference, so it follows them to other
    browsers, the API and their emails."""
    response = i18n.set_language(request)
    language = request.POST.get("language", "") if request.method == "POST" else ""
    user = request.user
    if (
        user.is_authenticated
        and language in dict(settings.LANGUAGES)
        and check_for_language(language)
    ):
        people_services.set_preferences(actor=user, person=user, language=language)
    return response
