"""The Prometheus scrape endpoint, closed unless the scraper shows the bearer token.

Metrics reveal traffic, error rates and internals, so ``/metrics`` answers 404
while ``METRICS_TOKEN`` is unset and 401 to any request without
``Authorization: Bearer <METRICS_TOKEN>``. nginx also refuses it from outside
(deploy/nginx/plaudit.conf); Prometheus scrapes the app port directly.
"""

import hmac

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django_prometheus.exports import ExportToDjangoView

from plaudit.people.localisation import impersonal


def _presented_token(request: HttpRequest) -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


@never_cache
@impersonal
def metrics(request: HttpRequest) -> HttpResponse:
    expected = settings.METRICS_TOKEN
    if not expected:
        raise Http404("metrics are disabled: set METRICS_TOKEN")
    if not hmac.compare_digest(_presented_token(request).encode(), expected.encode()):
        response = HttpResponse("a valid bearer token is required\n", status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        response["Content-Type"] = "text/plain; charset=utf-8"
        return response
    return ExportToDjangoView(request)
