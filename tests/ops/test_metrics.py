"""/metrics is for the Prometheus scraper only."""

from django.test import override_settings


def test_metrics_are_off_until_a_token_is_configured(client):
    assert client.get("/metrics").status_code == 404


@override_settings(METRICS_TOKEN="scrape-secret")
def test_metrics_refuse_a_missing_or_wrong_token(client):
    assert client.get("/metrics").status_code == 401
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer guess")
    assert wrong.status_code == 401
    assert wrong["WWW-Authenticate"].startswith("Bearer")


@override_settings(METRICS_TOKEN="scrape-secret")
def test_metrics_are_exported_to_the_scraper_with_the_token(client):
    client.get("/health/")
    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-secret")
    assert response.status_code == 200
    assert b"django_http_requests_total_by_method_total" in response.content
