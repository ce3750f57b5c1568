"""A person firing many recognitions at once never gives more than their allowance.

On PostgreSQL and on SQLite, the embedded default (see tests/rewards/test_redeem_races.py).
"""

import threading
from collections import Counter

import pytest
from django.db import connection
from rest_framework.test import APIClient

from plaudit.ledger.selectors import allowance_remaining, balance_of, ledger_problems
from plaudit.people.models import User
from plaudit.recognition.models import Recognition
from tests.factories import UserFactory

from .payloads import kudos

pytestmark = pytest.mark.django_db(transaction=True)


def _fire_at_once(requests: list[tuple[User, str, dict]]) -> list[int]:
    """Send every request from its own thread, released together; return the status codes.

    Each request has its own client: a test client is not shared by threads.
    """
    start = threading.Barrier(len(requests))
    statuses: list[int] = [0] * len(requests)

    def send(index: int, user: User, url: str, body: dict) -> None:
        client = APIClient()
        client.force_authenticate(user)
        try:
            start.wait()
            statuses[index] = client.post(url, body, format="json").status_code
        finally:
            connection.close()

    threads = [
        threading.Thread(target=send, args=(index, *request))
        for index, request in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_twenty_concurrent_recognitions_never_exceed_the_allowance():
    giver = UserFactory()
    people = UserFactory.create_batch(4)
    # 20 x 15 points = 300 asked for, 100 allowed: exactly 6 fit (90 points).
    bodies = [kudos([(people[i % 4], 15)], f"Thanks #{i}") for i in range(20)]

    statuses = _fire_at_once([(giver, "/api/v1/recognitions/", body) for body in bodies])

    assert Counter(statuses) == {201: 6, 409: 14}
    assert Recognition.objects.count() == 6
    assert allowance_remaining(giver) == 10
    assert sum(balance_of(person) for person in people) == 90
    assert ledger_problems() == []


def test_concurrent_add_ons_and_recognitions_share_one_allowance():
    giver, author = UserFactory(), UserFactory()
    people = UserFactory.create_batch(3)
    author_client = APIClient()
    author_client.force_authenticate(author)
    targets = [
        author_client.post("/api/v1/recognitions/", kudos([(person, 0)])).json()["id"]
        for person in people
    ]
    requests = [
        (giver, f"/api/v1/recognitions/{target}/add-ons/", {"points": 30}) for target in targets
    ] + [(giver, "/api/v1/recognitions/", kudos([(people[0], 30)])) for _ in range(3)]

    statuses = _fire_at_once(requests)

    assert statuses.count(201) == 3
    assert allowance_remaining(giver) == 10
    assert sum(balance_of(person) for person in people) == 90
    assert ledger_problems() == []
