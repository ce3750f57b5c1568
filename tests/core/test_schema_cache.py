"""GET /api/schema/ is the same for every caller, so it is built once and cached."""

from unittest import mock

from drf_spectacular.generators import SchemaGenerator


def test_the_schema_is_built_once_then_served_from_the_cache_for_an_hour(api_client):
    with mock.patch.object(
        SchemaGenerator, "get_schema", autospec=True, side_effect=SchemaGenerator.get_schema
    ) as build:
        first = api_client.get("/api/schema/")
        second = api_client.get("/api/schema/")

    assert first.status_code == second.status_code == 200
    assert b"/api/v1/redemptions/" in first.content
    assert second.content == first.content
    assert "max-age=3600" in first["Cache-Control"]
    assert build.call_count == 1
