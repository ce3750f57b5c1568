"""The one allauth page Plaudit answers itself: a person's sign-in address.

allauth's own page lets a person add addresses and make another one primary, which
changes ``User.email`` behind the people services' back (their checks, their events,
the case-insensitive uniqueness). The address is the roster's, so HR changes it
through those services; this page only shows it and says so.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
@login_required
def sign_in_address(request: HttpRequest) -> HttpResponse:
    return render(request, "account/email.html")
