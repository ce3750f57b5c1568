"""``/integrations/teams/messages/``: the outgoing webhook's callback URL.

No session and no CSRF: Teams signs each request with the webhook's security token.
"""

import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

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
