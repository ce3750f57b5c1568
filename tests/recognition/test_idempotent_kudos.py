"""A client that retries a kudos POST with the same Idempotency-Key thanks people once."""

import pytest

from plaudit.ledger.selectors import allowance_remaining, balance_of
from plaudit.recognition.models import Recognition
from tests.factories import UserFactory

from .payloads import kudos

pytestmark = pytest.mark.django_db

URL = "/api/v1/recognitions/"


def test_a_retried_kudos_with_the_same_key_is_replayed_not_given_twice(client_for):
    giver, ana = UserFactory(), UserFactory()
    client = client_for(giver)

    first = client.post(URL, kudos([(ana, 30)], "Thanks!"), HTTP_IDEMPOTENCY_KEY="kudos-1")
    again = client.post(URL, kudos([(ana, 30)], "Thanks!"), HTTP_IDEMPOTENCY_KEY="kudos-1")

    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Recognition.objects.count() == 1
    assert balance_of(ana) == 30
    assert allowance_remaining(giver) == 70


def test_the_same_key_with_another_kudos_is_refused_and_gives_nothing(client_for):
    giver, ana = UserFactory(), UserFactory()
    client = client_for(giver)
    client.post(URL, kudos([(ana, 30)], "Thanks!"), HTTP_IDEMPOTENCY_KEY="kudos-1")

    reused = client.post(URL, kudos([(ana, 50)], "Thanks!"), HTTP_IDEMPOTENCY_KEY="kudos-1")

    assert reused.status_code == 422
    assert reused.json()["code"] == "idempotency_key_reused"
    assert balance_of(ana) == 30


def test_a_refused_kudos_is_replayed_as_the_same_refusal(client_for):
    giver, ana = UserFactory(), UserFactory()
    client = client_for(giver)

    first = client.post(URL, kudos([(ana, 500)], "Too much"), HTTP_IDEMPOTENCY_KEY="k")
    again = client.post(URL, kudos([(ana, 500)], "Too much"), HTTP_IDEMPOTENCY_KEY="k")

    assert first.status_code == again.status_code == 409
    assert again.json() == first.json()
    assert first.json()["code"] == "insufficient_allowance"
    assert not Recognition.objects.exists()
