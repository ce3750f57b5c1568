"""The API's JSON parser."""

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's parser, except that a body nested too deeply to parse (``[[[[...``) is
    malformed input, a 400, rather than a ``RecursionError`` that would escape as a 500."""

    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(_("JSON parse error - the document is nested too deeply.")) from exc
