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


def test_health_needs_no_sign_in_and_touches_no_database(api_client, django_assert_num_queries, db):
    with django_assert_num_queries(0):
        response = api_client.get("/health/")

    assert response.status_code == 200


@pytest.mark.django_db
def test_ready_answers_200_with_every_check_ok(api_client):
    body = api_client.get("/health/ready/").json()

    assert body["status"] == "ok"
    assert all(result.startswith("ok") for result in body["checks"].values())


@pytest.mark.django_db
@pytest.mark.parametrize("check", ["database", "broker"])
def test_ready_is_503_when_the_database_or_broker_fails(api_client, monkeypatch, check):
    from plaudit.core import health

    def broken() -> str:
        raise ConnectionError(f"{check} is down")

    monkeypatch.setattr(health, f"_check_{check}", broken)
    response = api_client.get("/health/ready/")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"][check] == f"error: ConnectionError: {check} is down"
    others = {name: result for name, result in body["checks"].items() if name != check}
    assert all(result.startswith("ok") for result in others.values())


def test_a_signed_in_browser_asking_for_health_loads_neither_session_nor_user(
    client, employee, django_assert_num_queries
):
    """request.session and request.user are lazy: a view that never reads them costs no
    query, even though the session and authentication middleware ran."""
    client.force_login(employee)

    with django_assert_num_queries(0):
        response = client.get("/health/")

    assert response.status_code == 200
