"""The API's reference pages: Swagger UI at /api/docs/ and ReDoc at /api/redoc/.

drf-spectacular's views, with their assets served by Plaudit (drf-spectacular-sidecar)
and their templates (templates/drf_spectacular/) made to pass the site's CSP: every
script is Plaudit's own and carries the response's nonce.
"""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from drf_spectacular.views import SpectacularRedocView

# ReDoc styles itself at run time with <style> elements it cannot give a nonce to
# (styled-components, inside its bundle), and runs its search in a worker made from a
# blob: URL, so this page alone allows inline styles and blob: workers. Scripts stay as
# strict as everywhere else; static/js/api-redoc.js keeps its logo from the CDN away.
redoc = csp_update({"style-src": [UNSAFE_INLINE], "worker-src": ["blob:"]})(
    SpectacularRedocView.as_view(url_name="schema")
)
