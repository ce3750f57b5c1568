"""OpenAPI generation: every operation documents the problem documents it may answer.

Clients (and the schemathesis fuzzing in ``make hardening``) rely on the schema to
know that any call may be refused as ``application/problem+json`` with these statuses.
"""

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

PROBLEM_MEDIA_TYPE = "application/problem+json"
ERROR_STATUSES = ("400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "429")


# A component rather than a Serializer subclass: a field named "errors" would shadow
# Serializer.errors.
PROBLEM_SERIALIZER = inline_serializer(
    name="Problem",
    fields={
        "type": serializers.CharField(),
        "title": serializers.CharField(),
        "status": serializers.IntegerField(),
        "detail": serializers.CharField(),
        "code": serializers.CharField(help_text="Stable snake_case code a client can branch on."),
        "errors": serializers.JSONField(
            required=False, help_text="Validation failures, nested the way the input was nested."
        ),
    },
)


class ProblemAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for status_code in ERROR_STATUSES:
            if status_code not in responses:
                responses[status_code] = self._get_response_for_code(
                    PROBLEM_SERIALIZER, status_code, [PROBLEM_MEDIA_TYPE], direction
                )
        return responses
