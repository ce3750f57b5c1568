"""ASGI entry point: the process that serves WebSockets (/ws/) through Channels.

In production HTTP (the API and pages) is served by the WSGI server; this process
answers HTTP too (Django's ASGI handler), but the proxy sends it only /ws/. `make run`
(Daphne's `manage.py runserver`) serves all of it from this application. See
docs/operations.md for how to run it.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# Set up Django (apps, models) before importing anything that touches models.
django_http = get_asgi_application()

from channels.routing import ProtocolTypeRouter  # noqa: E402

from plaudit.events.routing import websocket_application  # noqa: E402

application = ProtocolTypeRouter({"http": django_http, "websocket": websocket_application()})
