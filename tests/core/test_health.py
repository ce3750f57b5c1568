import pytest


def test_health_answers_while_the_process_serves(api_client):
    response = api_client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_ready_reports_each_dependency(api_client):
    response = api_client.get("/health/ready/")
    assert response.status_code == 200
    assert set(response.json()["checks"]) == {"database", "cache", "broker"}


@pytest.mark.django_db
def test_ready_is_503_with_the_failing_check_named(api_client, monkeypatch):
    from plaudit.core import health

    def broken() -> str:
        raise ConnectionError("cache is down")

    monkeypatch.setattr(health, "_check_cache", broken)
    response = api_client.get("/health/ready/")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"].startswith("error: ConnectionError")
