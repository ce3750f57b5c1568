"""Bounds whose refusals name the limit as people read numbers: "at most 1,000,000".

Django's own say "less than or equal to 1000000"; these are the same validators (same
codes, same checks, same messages) with the limit put through :mod:`.wording` when
the refusal is raised.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.deconstruct import deconstructible

from .wording import number


class _LimitInWords:
    def __call__(self, value: Any) -> None:
        try:
            super().__call__(value)  # type: ignore[misc]
        except ValidationError as refusal:
            params = refusal.params or {}
            refusal.params = {**params, "limit_value": number(params["limit_value"])}
            raise


@deconstructible(path="plaudit.core.validators.AtMost")
class AtMost(_LimitInWords, MaxValueValidator):
    pass


@deconstructible(path="plaudit.core.validators.AtLeast")
class AtLeast(_LimitInWords, MinValueValidator):
    pass
