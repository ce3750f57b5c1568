"""The OpenAPI schema at /api/schema/ tells a client how to authenticate every call."""

from typing import Any

import pytest
from django.test import Client

TOKEN_PATHS = {"/api/v1/auth/token/", "/api/v1/auth/token/refresh/"}
HTTP_METHODS = {"get", "put", "post", "patch", "delete", "head", "options", "trace"}


@pytest.fixture
def schema(client: Client) -> dict[str, Any]:
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    ]


def test_the_schema_declares_a_bearer_jwt_an_api_token_and_the_session_cookie(schema):
    schemes = schema["components"]["securitySchemes"]

    assert set(schemes) == {"apiToken", "jwtAuth", "cookieAuth"}
    assert {key: schemes["apiToken"][key] for key in ("type", "scheme")} == {
        "type": "http",
        "scheme": "bearer",
    }
    assert "plaudit_<prefix>_<secret>" in schemes["apiToken"]["description"]
    assert {key: schemes["jwtAuth"][key] for key in ("type", "scheme", "bearerFormat")} == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
    }
    assert "/api/v1/auth/token/" in schemes["jwtAuth"]["description"]
    assert {key: schemes["cookieAuth"][key] for key in ("type", "in", "name")} == {
        "type": "apiKey",
        "in": "cookie",
        "name": "sessionid",
    }


def test_every_call_but_signing_in_asks_for_a_token_or_a_session(schema):
    for path, method, operation in operations(schema):
        if path in TOKEN_PATHS:
            continue
        assert operation["security"] == [{"apiToken": []}, {"jwtAuth": []}, {"cookieAuth": []}], (
            method,
            path,
        )


def test_signing_in_and_refreshing_need_no_credentials(schema):
    signing_in = [op for path, _, op in operations(schema) if path in TOKEN_PATHS]

    assert len(signing_in) == 2
    # An empty requirement: the call is made without any credentials.
    assert all(operation["security"] == [{}] for operation in signing_in)


def test_the_csv_endpoints_document_their_csv_answer(schema):
    csv_paths = {
        "/api/v1/people/export/",
        "/api/v1/rewards/export/",
        "/api/v1/imports/{id}/errors/",
    }
    for path in csv_paths:
        answer = schema["paths"][path]["get"]["responses"]["200"]

        assert answer["content"] == {"text/csv": {"schema": {"type": "string"}}}, path
