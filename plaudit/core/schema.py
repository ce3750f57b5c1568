"""OpenAPI generation: every operation documents the problem documents it may answer.

Clients (and the schemathesis fuzzing in ``make hardening``) rely on the schema to
know that any call may be refused as ``application/problem+json`` with these statuses.
"""

from typing import Any

from drf_spectacular.authentication import SessionScheme
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

    def get_auth(self) -> list[dict[str, list[str]]]:
        auths: list[dict[str, list[str]]] = super().get_auth()
        # DRF lets anyone call a view that has no permission class at all (simplejwt's
        # token views); drf-spectacular only recognises AllowAny. Say it: no credentials.
        if not self.view.get_permissions() and {} not in auths:
            auths.append({})
        return auths


class SessionCookieScheme(SessionScheme):
    """The schema's ``cookieAuth`` (drf-spectacular's own), saying where the cookie comes
    from and that a change also needs the CSRF token."""

    priority = 0  # over drf-spectacular's, which is -1

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        definition: dict[str, Any] = super().get_security_definition(auto_schema)
        definition["description"] = (
            "The session cookie of a person signed in on the web pages (/accounts/login/); "
            "a request that changes something also sends the `csrftoken` cookie's value "
            "as `X-CSRFToken`."
        )
        return definition
