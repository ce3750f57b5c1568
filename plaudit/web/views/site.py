"""What browsers ask any site for by name: ``/favicon.ico`` and the web app manifest.

The icons themselves are static files (``static/favicon.svg`` and ``static/icons/``),
served by WhiteNoise or nginx like every other asset; these two answers only point at
them, so a hashed static name (the manifest storage) still resolves.
"""

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from plaudit.core.site import current_site

MANIFEST_CONTENT_TYPE = "application/manifest+json"
THEME_COLOUR = "#1d4ed8"  # --brand in static/css/plaudit.css
BACKGROUND_COLOUR = "#f6f7f9"  # --bg


@require_safe
@cache_control(public=True, max_age=24 * 60 * 60)
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and crawlers that never read the page's ``<link rel="icon">`` still find it."""
    return HttpResponseRedirect(static("favicon.ico"))


@require_safe
@cache_control(public=True, max_age=60 * 60)
def web_app_manifest(request: HttpRequest) -> HttpResponse:
    """Name, colours and icons for "Add to home screen" and the browser's tab strip."""
    name = current_site().name
    manifest = {
        "name": name,
        "short_name": name[:12],
        "description": _("Recognition and rewards for your colleagues."),
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {"src": static("favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
            {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        ],
    }
    return JsonResponse(manifest, content_type=MANIFEST_CONTENT_TYPE)
