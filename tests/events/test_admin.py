"""The events admin: every list opens, and its actions say what they did in words."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from plaudit.core.encryption import encrypt
from plaudit.events.models import EventType, OutboxEvent, WebhookDelivery, WebhookEndpoint
from tests.factories import HRAdminFactory

from .payloads import points_granted

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr_client():
    client = Client()
    client.force_login(HRAdminFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    "model",
    [
        "outboxevent",
        "notification",
        "notificationpreference",
        "webhookendpoint",
        "webhookdelivery",
    ],
)
def test_each_list_opens(hr_client, model):
    assert hr_client.get(f"/admin/events/{model}/").status_code == 200


def test_delivering_pending_events_now_says_how_many_were_queued(hr_client):
    event = OutboxEvent.objects.create(
        type=EventType.POINTS_GRANTED,
        data=points_granted(HRAdminFactory()).model_dump(mode="json"),
    )

    response = hr_client.post(
        "/admin/events/outboxevent/",
        {"action": "dispatch_now", "_selected_action": [str(event.pk)]},
    )

    assert [str(m) for m in get_messages(response.wsgi_request)] == ["1 of 1 pending event queued."]


def test_redelivering_says_how_many_redeliveries_were_queued(hr_client):
    endpoint = WebhookEndpoint.objects.create(
        url="https://hooks.example/",
        events=[EventType.POINTS_GRANTED],
        is_active=False,  # the redelivery is logged as failed at once, without a request
        secret_encrypted=encrypt("s3cret"),
    )
    event = OutboxEvent.objects.create(
        type=EventType.POINTS_GRANTED,
        data=points_granted(HRAdminFactory()).model_dump(mode="json"),
    )
    delivery = WebhookDelivery.objects.create(endpoint=endpoint, event=event)

    response = hr_client.post(
        "/admin/events/webhookdelivery/",
        {"action": "redeliver", "_selected_action": [str(delivery.pk)]},
    )

    assert [str(m) for m in get_messages(response.wsgi_request)] == ["1 redelivery queued."]
