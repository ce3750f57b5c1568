"""Serializer fields for the JSON API's whole numbers and ids.

DRF's own fields coerce: ``"100"``, ``100.0`` and ``1.5`` (for an id, silently
truncated to 1) would all be accepted. The contract says points and ids are
integers, so anything else is refused as invalid input instead of being guessed at.
"""

from typing import Any

from django.utils.functional import lazy
from django.utils.translation import gettext
from rest_framework import serializers

from .wording import number

# The largest id a bigint primary key holds: a bigger one names nothing.
MAX_ID = 2**63 - 1


def _at_most(limit: int) -> str:
    return gettext("Ensure this value is less than or equal to %(limit_value)s.") % {
        "limit_value": number(limit)
    }


def _at_least(limit: int) -> str:
    return gettext("Ensure this value is greater than or equal to %(limit_value)s.") % {
        "limit_value": number(limit)
    }


# Worded when the refusal is, in the request's language: fields are built at import time.
_at_most_lazy = lazy(_at_most, str)
_at_least_lazy = lazy(_at_least, str)


def _is_json_integer(data: Any) -> bool:
    return isinstance(data, int) and not isinstance(data, bool)


class WholeNumberField(serializers.IntegerField):
    """A JSON integer; strings, floats (even ``100.0``) and booleans are refused.

    Its bounds are refused with the limit as people read numbers ("1,000,000"), in the
    words of the model's own validators (:mod:`plaudit.core.validators`).
    """

    def __init__(self, **kwargs: Any) -> None:
        words = {}
        if kwargs.get("max_value") is not None:
            words["max_value"] = _at_most_lazy(kwargs["max_value"])
        if kwargs.get("min_value") is not None:
            words["min_value"] = _at_least_lazy(kwargs["min_value"])
        kwargs["error_messages"] = {**words, **kwargs.get("error_messages", {})}
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> int:
        if not _is_json_integer(data):
            self.fail("invalid")
        return super().to_internal_value(data)


class IdField(serializers.PrimaryKeyRelatedField[Any]):
    """A reference to a row by its integer id; ``"7"`` or ``7.9`` is refused, not guessed."""

    def to_internal_value(self, data: Any) -> Any:
        if not _is_json_integer(data):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


def is_id_text(text: str) -> bool:
    """Whether ``text`` is an id as a URL or a filter writes it: ASCII digits ("²" is a
    digit to Python, not to ``int``) naming a row a table can hold."""
    return text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID
