"""``/integrations/mattermost/…``: the slash command and the interactive messages' actions.

No session and no CSRF: the command carries its token, an action its signed context.
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import commands
from .commands import Answer


def _respond(answer: Answer) -> HttpResponse:
    if answer.text:
        return HttpResponse(answer.text, status=answer.status, content_type="text/plain")
    return JsonResponse(answer.body, status=answer.status)


@csrf_exempt  # Mattermost sends the command's token instead
@require_POST
def command(request: HttpRequest) -> HttpResponse:
    return _respond(commands.kudos_command(request.POST, request.headers.get("Authorization", "")))
