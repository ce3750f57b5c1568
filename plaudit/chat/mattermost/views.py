"""``/integrations/mattermost/…``: the slash command and the interactive messages' actions.

No session and no CSRF: the command carries its token, an action its signed context.
"""

import json
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import actions, commands
from .commands import Answer


def _respond(answer: Answer) -> HttpResponse:
    if answer.text:
        return HttpResponse(answer.text, status=answer.status, content_type="text/plain")
    return JsonResponse(answer.body, status=answer.status)


@csrf_exempt  # Mattermost sends the command's token instead
@require_POST
def command(request: HttpRequest) -> HttpResponse:
    return _respond(commands.kudos_command(request.POST, request.headers.get("Authorization", "")))


def _json_body(request: HttpRequest) -> dict[str, Any] | None:
    try:
        body = json.loads(request.body)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


@csrf_exempt  # the button's context is signed by Plaudit instead
@require_POST
def action(request: HttpRequest) -> HttpResponse:
    body = _json_body(request)
    if body is None:
        return HttpResponse(status=400)
    status, answer = actions.clicked(body)
    return JsonResponse(answer, status=status)


@csrf_exempt  # the dialog's state is the button's signed context
@require_POST
def dialog(request: HttpRequest) -> HttpResponse:
    body = _json_body(request)
    if body is None:
        return HttpResponse(status=400)
    status, answer = actions.submitted(body)
    return JsonResponse(answer, status=status)
