"""A front end on another origin may call the API, and only the origins listed."""

from django.test import override_settings

FRONT_END = "https://app.example.com"


def preflight(client, path: str, origin: str):
    return client.options(
        path,
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type, idempotency-key",
    )


@override_settings(CORS_ALLOWED_ORIGINS=[FRONT_END])
def test_a_listed_front_end_may_call_the_api_with_an_idempotency_key(client):
    response = preflight(client, "/api/v1/redemptions/", FRONT_END)
    assert response["Access-Control-Allow-Origin"] == FRONT_END
    assert "idempotency-key" in response["Access-Control-Allow-Headers"]


@override_settings(CORS_ALLOWED_ORIGINS=[FRONT_END])
def test_any_other_origin_gets_no_cors_grant(client):
    response = preflight(client, "/api/v1/redemptions/", "https://evil.example.net")
    assert "Access-Control-Allow-Origin" not in response


@override_settings(CORS_ALLOWED_ORIGINS=[FRONT_END])
def test_pages_outside_the_api_are_never_shared_cross_origin(client):
    response = preflight(client, "/admin/login/", FRONT_END)
    assert "Access-Control-Allow-Origin" not in response
