"""GET /api/v1/events/status/: an async view that awaits its checks concurrently."""

import asyncio
import time

import pytest
from rest_framework_simplejwt.tokens import AccessToken

from plaudit.events import views
from plaudit.events.models import EventType, OutboxEvent
from tests.factories import HRAdminFactory, UserFactory

from .payloads import low_stock

pytestmark = pytest.mark.django_db(transaction=True)


def bearer(person):
    return {"HTTP_AUTHORIZATION": f"Bearer {AccessToken.for_user(person)}"}


def test_hr_sees_the_outbox_backlog_and_every_part_of_delivery(client):
    OutboxEvent.objects.create(
        type=EventType.REWARD_LOW_STOCK, data=low_stock().model_dump(mode="json")
    )

    response = client.get("/api/v1/events/status/", **bearer(HRAdminFactory()))

    assert response.status_code == 200
    body = response.json()
    assert body["outbox"]["pending"] == 1
    assert body["outbox"]["oldest_pending_seconds"] >= 0
    assert body["webhooks"] == {"pending": 0, "failed_last_24h": 0, "succeeded_last_24h": 0}
    assert body["channel_layer"] == "ok"
    assert body["broker"].startswith("ok")


def test_the_checks_wait_together_not_one_after_another(client, monkeypatch):
    async def slow_layer():
        await asyncio.sleep(0.4)
        return "ok"

    def slow_broker():
        time.sleep(0.4)
        return {"broker": "ok", "workers": 1}

    monkeypatch.setattr(views, "_channel_layer", slow_layer)
    monkeypatch.setattr(views, "_broker_and_workers", slow_broker)

    started = time.perf_counter()
    response = client.get("/api/v1/events/status/", **bearer(HRAdminFactory()))
    elapsed = time.perf_counter() - started

    assert response.status_code == 200
    assert response.json()["workers"] == 1
    assert elapsed < 0.75  # two 0.4 s waits, overlapped


def test_a_failing_check_is_reported_not_raised(client, monkeypatch):
    def broker_down():
        raise ConnectionRefusedError("[Errno 111] Connection refused")

    monkeypatch.setattr(views, "_broker_and_workers", broker_down)

    response = client.get("/api/v1/events/status/", **bearer(HRAdminFactory()))

    assert response.status_code == 200
    assert response.json()["broker"].startswith("error: ConnectionRefusedError")


def test_the_status_is_for_hr_admins_only(client):
    anonymous = client.get("/api/v1/events/status/")
    employee = client.get("/api/v1/events/status/", **bearer(UserFactory()))

    assert anonymous.status_code == 401
    assert anonymous["Content-Type"] == "application/problem+json"
    assert employee.status_code == 403
    assert employee.json()["code"] == "permission_denied"


def test_a_browser_session_works_too(client):
    client.force_login(HRAdminFactory())

    assert client.get("/api/v1/events/status/").status_code == 200
