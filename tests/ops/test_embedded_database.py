"""The embedded default's SQLite: reads never wait for its one writer, and a write kept
waiting past the busy timeout is a 503, as for a database that is down.

That writers queue for the lock rather than fail is proved by the races, which run on
both databases: tests/rewards/test_redeem_races.py, tests/recognition/test_allowance_race.py.
"""

import sqlite3

import pytest
from django.db import connection

from plaudit.ledger.selectors import balance_of
from plaudit.rewards.models import Redemption
from tests.factories import RewardFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the embedded default's database"),
]


def test_reads_answer_while_another_connection_holds_the_database(client_for):
    """The write-ahead log: readers outside a transaction never wait for the writer."""
    person = UserFactory(with_points=100)
    RewardFactory(name="Mug", cost=10)
    client = client_for(person)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout = 200")  # this connection's wait, not 20 s
    other_writer = sqlite3.connect(connection.settings_dict["NAME"])
    other_writer.execute("BEGIN EXCLUSIVE")  # with a rollback journal, shuts readers out
    try:
        catalog = client.get("/api/v1/rewards/")
        balance = client.get("/api/v1/me/")
    finally:
        other_writer.rollback()
        other_writer.close()

    assert catalog.status_code == 200
    assert [reward["name"] for reward in catalog.json()["results"]] == ["Mug"]
    assert balance.status_code == 200
    assert balance.json()["points"]["balance"] == 100


def test_a_write_kept_waiting_past_the_busy_timeout_answers_503_and_changes_nothing(client_for):
    person = UserFactory(with_points=100)
    reward = RewardFactory(cost=10, stock=None, per_user_limit=None)
    client = client_for(person)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout = 200")  # this connection's wait, not 20 s
    other_writer = sqlite3.connect(connection.settings_dict["NAME"])
    other_writer.execute("BEGIN IMMEDIATE")  # holds the writer lock past that wait
    try:
        response = client.post("/api/v1/redemptions/", {"reward": reward.pk})
    finally:
        other_writer.rollback()
        other_writer.close()

    assert response.status_code == 503
    assert response.json()["code"] == "service_unavailable"
    assert response["Retry-After"] == "5"
    assert balance_of(person) == 100
    assert not Redemption.objects.exists()
