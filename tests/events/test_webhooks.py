"""Outgoing webhooks: registration (SSRF guard), signed deliveries, retries, the log."""

import hashlib
import hmac
import json
import socket
import time
from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from plaudit.events import tasks, webhooks
from plaudit.events.models import DeliveryStatus, EventType, WebhookDelivery, WebhookEndpoint
from tests.factories import UserFactory

from .payloads import points_granted

pytestmark = pytest.mark.django_db


def register(client, url, events=("points.granted",), secret="whsec_test"):
    return client.post("/api/v1/webhooks/", {"url": url, "events": list(events), "secret": secret})


def grant_event(publish):
    return publish(EventType.POINTS_GRANTED, points_granted(UserFactory()))


def make_due(delivery):
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )


# --- Registration ---------------------------------------------------------------------


def test_hr_registers_an_endpoint_and_never_sees_the_secret_again(client_for, hr_admin):
    client = client_for(hr_admin)

    response = register(client, "https://93.184.216.34/hooks", events=["points.granted"])

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["url"] == "https://93.184.216.34/hooks"
    assert body["events"] == ["points.granted"]
    assert "secret" not in body
    assert "secret" not in client.get(f"/api/v1/webhooks/{body['id']}/").json()
    stored = WebhookEndpoint.objects.get()
    assert stored.signing_secret() == "whsec_test"
    assert "whsec_test" not in stored.secret_encrypted  # a dump of the table does not reveal it


def test_a_new_secret_replaces_the_old_one_encrypted(client_for, hr_admin):
    client = client_for(hr_admin)
    endpoint = register(client, "https://93.184.216.34/hooks").json()

    response = client.patch(f"/api/v1/webhooks/{endpoint['id']}/", {"secret": "whsec_new"})

    assert response.status_code == 200, response.json()
    assert "secret" not in response.json()
    stored = WebhookEndpoint.objects.get()
    assert stored.signing_secret() == "whsec_new"
    assert "whsec_new" not in stored.secret_encrypted


def test_an_endpoint_may_be_registered_paused(client_for, hr_admin):
    response = client_for(hr_admin).post(
        "/api/v1/webhooks/",
        {
            "url": "https://93.184.216.34/hooks",
            "events": ["points.granted"],
            "secret": "whsec_test",
            "is_active": False,
        },
    )

    assert response.status_code == 201, response.json()
    assert response.json()["is_active"] is False
    assert WebhookEndpoint.objects.get().is_active is False


def test_only_hr_admins_manage_webhooks(client_for, employee):
    response = register(client_for(employee), "https://93.184.216.34/hooks")

    assert response.status_code == 403
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9000/hook",
        "http://localhost/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0/hook",
    ],
)
@pytest.mark.abuse
def test_a_url_into_the_private_network_is_refused(client_for, hr_admin, url):
    response = register(client_for(hr_admin), url)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "unsafe_webhook_url"
    assert not WebhookEndpoint.objects.exists()


def test_an_allow_listed_host_may_be_private(client_for, hr_admin, settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]

    response = register(client_for(hr_admin), "http://127.0.0.1:9000/hook")

    assert response.status_code == 201


@pytest.mark.parametrize(
    ("field", "value"),
    [("url", "ftp://93.184.216.34/x"), ("events", ["nope"]), ("events", []), ("secret", "")],
)
def test_bad_registrations_are_refused_with_field_errors(client_for, hr_admin, field, value):
    data = {"url": "https://93.184.216.34/h", "events": ["points.granted"], "secret": "s"}

    response = client_for(hr_admin).post("/api/v1/webhooks/", {**data, field: value})

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not WebhookEndpoint.objects.exists()


def test_changing_the_url_is_checked_too(client_for, hr_admin):
    client = client_for(hr_admin)
    endpoint = register(client, "https://93.184.216.34/hooks").json()

    response = client.patch(f"/api/v1/webhooks/{endpoint['id']}/", {"url": "http://10.0.0.1/"})

    assert response.status_code == 400
    assert WebhookEndpoint.objects.get().url == "https://93.184.216.34/hooks"


# --- Delivery -----------------------------------------------------------------------------


def test_each_delivery_is_signed_with_the_documented_algorithm(
    client_for, hr_admin, publish, receiver, local_webhooks_allowed
):
    register(client_for(hr_admin), receiver.url, secret="whsec_test")

    event = grant_event(publish)

    [request] = receiver.requests
    assert request.path == "/hooks/plaudit"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["Plaudit-Event"] == "points.granted"
    assert request.headers["Plaudit-Delivery"] == str(event.pk)
    assert request.headers["Plaudit-Data-Version"] == "2026-12-07"
    parts = dict(part.split("=", 1) for part in request.headers["Plaudit-Signature"].split(","))
    signed = f"{parts['t']}.".encode() + request.body
    expected = hmac.new(b"whsec_test", signed, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(parts["v1"], expected)
    assert abs(int(parts["t"]) - time.time()) < 60
    assert webhooks.verify_signature(
        "whsec_test", request.headers["Plaudit-Signature"], request.body
    )
    assert not webhooks.verify_signature(
        "wrong", request.headers["Plaudit-Signature"], request.body
    )
    body = json.loads(request.body)
    assert body == {
        "id": str(event.pk),
        "type": "points.granted",
        "created_at": event.created_at.isoformat().replace("+00:00", "Z"),
        "data": event.data,
    }


def test_a_stale_signature_is_refused_by_the_verifier():
    header = webhooks.signature("s", b"{}", int(time.time()) - 3600)

    assert not webhooks.verify_signature("s", header, b"{}")


def test_endpoints_get_only_the_event_types_they_chose(
    client_for, hr_admin, publish, receiver, local_webhooks_allowed
):
    register(client_for(hr_admin), receiver.url, events=["reward.low_stock"])

    grant_event(publish)

    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


def test_a_failing_webhook_is_retried_with_backoff_then_marked_failed(
    client_for, hr_admin, publish, receiver, local_webhooks_allowed
):
    receiver.statuses = [500]
    register(client_for(hr_admin), receiver.url)
    event = grant_event(publish)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.attempts == 1
    first_wait = delivery.next_attempt_at - timezone.now()
    assert timedelta(seconds=10) < first_wait <= timedelta(seconds=30)

    assert tasks.retry_webhooks() == 0  # not due yet
    make_due(delivery)
    assert tasks.retry_webhooks() == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.attempts == 2
    assert delivery.next_attempt_at - timezone.now() > timedelta(seconds=25)

    # A day later the retry window is over: the next failure is final.
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        created_at=timezone.now() - timedelta(hours=24, minutes=1)
    )
    make_due(delivery)
    tasks.retry_webhooks()

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 3
    assert delivery.next_attempt_at is None
    assert [attempt.response_status for attempt in delivery.log.all()] == [500, 500, 500]
    assert all(attempt.response_time_ms is not None for attempt in delivery.log.all())
    assert {request.headers["Plaudit-Delivery"] for request in receiver.requests} == {str(event.pk)}
    make_due(delivery)
    assert tasks.retry_webhooks() == 0
    assert len(receiver.requests) == 3


def test_a_retry_that_succeeds_completes_the_delivery(
    client_for, hr_admin, publish, receiver, local_webhooks_allowed
):
    receiver.statuses = [503, 204]
    register(client_for(hr_admin), receiver.url)
    grant_event(publish)
    delivery = WebhookDelivery.objects.get()

    make_due(delivery)
    tasks.retry_webhooks()

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert delivery.response_status == 204
    assert delivery.completed_at is not None


@pytest.mark.abuse
def test_a_host_that_turns_private_after_registration_gets_nothing(
    client_for, hr_admin, publish, receiver, monkeypatch
):
    """DNS rebinding: the address is checked again, and used, at delivery time."""
    real_getaddrinfo = socket.getaddrinfo
    answer = {"hooks.example.com": "93.184.216.34"}

    def fake_getaddrinfo(host, port, *args, **kwargs):
        if host in answer:
            return real_getaddrinfo(answer[host], port, *args, **kwargs)
        return real_getaddrinfo(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    assert (
        register(client_for(hr_admin), f"http://hooks.example.com:{receiver.port}/h").status_code
        == 201
    )
    answer["hooks.example.com"] = "127.0.0.1"  # the attacker's DNS now points inside

    grant_event(publish)

    assert receiver.requests == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING
    assert "not a public address" in delivery.log.get().error


def test_a_delivery_connects_to_the_checked_address_with_the_urls_host_name(
    client_for, hr_admin, publish, receiver, monkeypatch, settings
):
    settings.WEBHOOK_ALLOWED_HOSTS = ["hooks.internal"]
    real_getaddrinfo = socket.getaddrinfo

    def fake_getaddrinfo(host, port, *args, **kwargs):
        return real_getaddrinfo(
            "127.0.0.1" if host == "hooks.internal" else host, port, *args, **kwargs
        )

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    register(client_for(hr_admin), f"http://hooks.internal:{receiver.port}/h")

    grant_event(publish)

    [request] = receiver.requests
    assert request.headers["Host"] == f"hooks.internal:{receiver.port}"


# --- The log and redelivery ---------------------------------------------------------------


def test_the_delivery_log_shows_status_and_response_times(
    client_for, hr_admin, publish, receiver, local_webhooks_allowed
):
    client = client_for(hr_admin)
    endpoint = register(client, receiver.url).json()
    event = grant_event(publish)

    response = client.get(f"/api/v1/webhooks/{endpoint['id']}/deliveries/")

    assert response.status_code == 200
    [delivery] = response.json()["results"]
    assert delivery["event"] == str(event.pk)
    assert delivery["event_type"] == "points.granted"
    assert delivery["status"] == "succeeded"
    assert delivery["response_status"] == 200
    assert delivery["response_time_ms"] >= 0
    assert len(delivery["log"]) == 1


def test_redelivery_sends_the_same_event_again_as_a_new_logged_delivery(
    client_for,
    hr_admin,
    publish,
    receiver,
    local_webhooks_allowed,
    django_capture_on_commit_callbacks,
):
    client = client_for(hr_admin)
    endpoint = register(client, receiver.url).json()
    event = grant_event(publish)
    original = WebhookDelivery.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/v1/webhooks/{endpoint['id']}/deliveries/{original.pk}/redeliver/"
        )

    assert response.status_code == 201
    assert response.json()["redelivery_of"] == original.pk
    assert [r.headers["Plaudit-Delivery"] for r in receiver.requests] == [str(event.pk)] * 2
    assert WebhookDelivery.objects.count() == 2


def test_redelivering_another_endpoints_delivery_is_not_found(
    client_for, hr_admin, publish, receiver, local_webhooks_allowed
):
    client = client_for(hr_admin)
    first = register(client, receiver.url).json()
    second = register(client, receiver.url + "2").json()
    grant_event(publish)
    delivery = WebhookDelivery.objects.get(endpoint_id=first["id"])

    response = client.post(f"/api/v1/webhooks/{second['id']}/deliveries/{delivery.pk}/redeliver/")

    assert response.status_code == 404
    assert WebhookDelivery.objects.count() == 2


def test_deleting_an_endpoint_stops_its_deliveries(
    client_for, hr_admin, publish, receiver, local_webhooks_allowed
):
    client = client_for(hr_admin)
    endpoint = register(client, receiver.url).json()

    assert client.delete(f"/api/v1/webhooks/{endpoint['id']}/").status_code == 204
    grant_event(publish)

    assert receiver.requests == []


# --- Secrets at rest and their keys -------------------------------------------------------


def test_secrets_survive_a_key_rotation_and_keep_signing(
    client_for, hr_admin, publish, receiver, local_webhooks_allowed, settings, capsys
):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.PLAUDIT = {**settings.PLAUDIT, "CODES_KEYS": [old]}
    register(client_for(hr_admin), receiver.url, secret="whsec_rotated")

    settings.PLAUDIT = {**settings.PLAUDIT, "CODES_KEYS": [new, old]}
    call_command("rotate_reward_codes")
    settings.PLAUDIT = {**settings.PLAUDIT, "CODES_KEYS": [new]}  # the old key is gone

    assert "Re-encrypted 1 webhook secret with the newest key." in capsys.readouterr().out
    grant_event(publish)
    [request] = receiver.requests
    assert webhooks.verify_signature(
        "whsec_rotated", request.headers["Plaudit-Signature"], request.body
    )


def test_a_secret_whose_key_was_dropped_fails_the_attempt_and_is_retried(
    client_for, hr_admin, publish, receiver, local_webhooks_allowed, settings
):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.PLAUDIT = {**settings.PLAUDIT, "CODES_KEYS": [old]}
    register(client_for(hr_admin), receiver.url)
    settings.PLAUDIT = {**settings.PLAUDIT, "CODES_KEYS": [new]}  # dropped without rotating

    grant_event(publish)

    assert receiver.requests == []  # nothing unsigned or wrongly signed goes out
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    assert "PLAUDIT_CODES_KEYS" in delivery.log.get().error
    # The operator puts the key back: the retry goes through.
    settings.PLAUDIT = {**settings.PLAUDIT, "CODES_KEYS": [new, old]}
    make_due(delivery)
    assert tasks.retry_webhooks() == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert len(receiver.requests) == 1


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_the_secrets_stored_in_the_clear():
    executor = MigrationExecutor(connection)
    before = [("events", "0002_notifications_webhooks")]
    after = [("events", "0003_webhook_secret_encrypted")]
    executor.migrate(before)
    old_endpoint = executor.loader.project_state(before).apps.get_model("events", "WebhookEndpoint")
    pk = old_endpoint.objects.create(url="https://hooks.example.com/a", secret="whsec_old").pk

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)

    stored = WebhookEndpoint.objects.get(pk=pk)
    assert stored.signing_secret() == "whsec_old"
    assert "whsec_old" not in stored.secret_encrypted
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
