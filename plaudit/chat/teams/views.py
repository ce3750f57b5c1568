"""``/integrations/teams/messages/``: the outgoing webhook's callback URL (no session
and no CSRF: Teams signs each request with the webhook's security token); and
``/integrations/teams/link/<token>/``, the page where a signed-in person confirms the
link mailed to them (:mod:`.linking`)."""

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from . import linking
from .inbound import kudos_message
from .signing import workspace_signing


@csrf_exempt  # Teams signs its requests (HMAC) instead
@require_POST
def messages(request: HttpRequest) -> HttpResponse:
    workspace = workspace_signing(request.body, request.headers.get("Authorization", ""))
    if workspace is None:
        return HttpResponse(
            _("This request is not signed with the security token of a connected Teams team."),
            status=401,
            content_type="text/plain",
        )
    try:
        activity = json.loads(request.body)
    except ValueError:
        return HttpResponse(status=400)
    if not isinstance(activity, dict):
        return HttpResponse(status=400)
    return JsonResponse(kudos_message(workspace, activity))


@login_required
@require_http_methods(["GET", "POST"])
def link(request: HttpRequest, token: str) -> HttpResponse:
    found = linking.read_link(token)
    if found is None:
        return render(request, "chat/teams_link.html", {"state": "invalid"}, status=400)
    if found.person.pk != request.user.pk:
        return render(request, "chat/teams_link.html", {"state": "someone_else"}, status=403)
    context = {"state": "confirm", "teams_name": found.teams_name or found.teams_user_id}
    if request.method == "POST":
        linking.confirm_link(found)
        context["state"] = "done"
    return render(request, "chat/teams_link.html", context)
