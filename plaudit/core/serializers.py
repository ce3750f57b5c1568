"""Serializer helpers shared by the apps."""

import copy
from typing import Any

from rest_framework import serializers

from plaudit.core.calendar import company_zone


class FieldsBuiltOnce(serializers.ModelSerializer[Any]):
    # A ModelSerializer that introspects its model once per class, not per instance.
    # DRF rebuilds a ModelSerializer's fields from the model for every serializer it
    # makes: on /me/ that cost more than rendering. When the fields depend only on the
    # class (no per-request get_fields), each instance gets a deep copy of the first
    # build, the way DRF already copies declared fields. (A comment, not a docstring:
    # the API schema would show it as every subclass's description.)

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        cls = type(self)
        built = cls.__dict__.get("_fields_built_once")
        if built is None:
            built = super().get_fields()
            cls._fields_built_once = built  # type: ignore[attr-defined]
        return copy.deepcopy(built)


class CompanyDateTimeField(serializers.DateTimeField):
    # A moment of the company's calendar (the start of "this month" for a leaderboard),
    # written with the company's offset ("2027-01-01T00:00:00+13:00": midnight, 1
    # January) whatever zone is active for the request, so a cached report reads the
    # same for everyone. (A comment: the schema would show a docstring.)

    def default_timezone(self) -> Any:
        return company_zone()
