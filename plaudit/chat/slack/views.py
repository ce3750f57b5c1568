"""``/integrations/slack/events/``: commands, interactions and events, all through bolt."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .app import app_for, handler_for


@csrf_exempt  # Slack signs its requests; bolt verifies the signature instead
@require_POST
def events(request: HttpRequest) -> HttpResponse:
    app = app_for(request.body, dict(request.headers))
    if app is None:
        return HttpResponse(status=404)
    return handler_for(app).handle(request)
