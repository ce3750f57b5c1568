"""Content negotiation for the endpoints that answer CSV.

Such a view streams its CSV itself (a ``StreamingHttpResponse``, which no renderer
touches); its renderer is what DRF's content negotiation matches against the Accept
header: ``text/csv``, ``text/*``, ``*/*`` or none choose it, anything else is a 406.
"""

from collections.abc import Mapping
from typing import Any

from rest_framework.renderers import BaseRenderer, JSONRenderer


class CSVRenderer(BaseRenderer):
    """``text/csv``. The only answers it renders are errors, problem documents whose
    content type is already ``application/problem+json``: it writes them as that JSON,
    as DRF's HTML renderer turns an error into an error page."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        return JSONRenderer().render(data, renderer_context=renderer_context)
