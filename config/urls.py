"""URL configuration: the versioned API under /api/v1/, its schema, health, admin."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.decorators.cache import cache_page
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from plaudit.core import api_docs, health, metrics
from plaudit.web.views import account, preferences

handler400 = "plaudit.core.exceptions.bad_request"
handler403 = "plaudit.core.exceptions.permission_denied"
handler404 = "plaudit.core.exceptions.page_not_found"
handler500 = "plaudit.core.exceptions.server_error"

urlpatterns = [
    path("health/", health.health, name="health"),
    path("health/ready/", health.ready, name="health-ready"),
    path("metrics", metrics.metrics, name="prometheus-metrics"),
    # The schema is the same for every caller, so one cached copy is correct.
    path(
        "api/schema/",
        cache_page(60 * 60)(SpectacularAPIView.as_view(api_version="v1")),
        name="schema",
    ),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", api_docs.redoc, name="api-redoc"),
    re_path(r"^api/(?P<version>v1)/", include("config.api_urls")),
    path("admin/", admin.site.urls),
    # SCIM 2.0 provisioning for identity providers (Entra ID, Okta): plaudit/scim.
    path("scim/v2/", include("plaudit.scim.urls")),
    # Django's django.conf.urls.i18n (the switcher posts "language" and "next" here), its
    # view wrapped so a signed-in person's choice is also saved as their preference.
    path("i18n/setlang/", preferences.set_language, name="set_language"),
    path("integrations/", include("plaudit.chat.urls")),
    # Before allauth's own: a person's address is the roster's, changed by HR only.
    path("accounts/email/", account.sign_in_address, name="account_email"),
    path("accounts/", include("allauth.urls")),
    path("", include("plaudit.web.urls")),
]

if settings.SERVE_MEDIA:
    # Reward images; in a deployment nginx serves /media/ instead (SERVE_MEDIA=false).
    import posixpath

    from django.http import Http404, HttpRequest
    from django.http.response import HttpResponseBase
    from django.views.static import serve

    def serve_media(request: HttpRequest, path: str) -> HttpResponseBase:
        """Never imports/: uploaded CSVs (salaries, voucher codes) are private."""
        normalised = posixpath.normpath(path).lstrip("/")
        if normalised == "imports" or normalised.startswith("imports/"):
            raise Http404(path)
        return serve(request, path, document_root=settings.MEDIA_ROOT)

    urlpatterns.append(re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$", serve_media))
