"""Faults: a cache outage, a broker outage, a killed database connection and a killed
worker lose and invent nothing.

Run with ``make hardening``. The Redis outage uses a private ``redis-server`` on a
free port (so the shared one keeps serving the rest of the suite), and so does the
broker outage, with a real worker on that Redis; the killed
connection uses ``pg_terminate_backend`` on the connection of a redemption that is
paused halfway through its transaction; the killed worker is a real Celery worker
process on a queue of its own, sent SIGKILL in the middle of an import.
"""

import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from rest_framework.test import APIClient

from config.celery import app
from plaudit.events import dispatch, tasks
from plaudit.events.models import Notification, OutboxEvent
from plaudit.imports import jobs as import_jobs
from plaudit.imports import leases
from plaudit.imports.models import ImportStatus
from plaudit.ledger.selectors import balance_of, ledger_problems
from plaudit.people.models import User
from plaudit.rewards import services as reward_services
from plaudit.rewards.models import Redemption
from tests.celery_worker import running_worker, wait_for
from tests.conftest import REQUIRE_SERVICES
from tests.factories import TEST_PASSWORD, HRAdminFactory, RewardFactory, UserFactory
from tests.imports.conftest import csv_file, csv_text, employee_row

pytestmark = pytest.mark.hardening


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PrivateRedis:
    """A throwaway redis-server this test may stop and start at will."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


def _started_private_redis() -> PrivateRedis:
    if shutil.which("redis-server") is None:
        message = "needs the redis-server binary"
        if REQUIRE_SERVICES:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    redis = PrivateRedis()
    redis.start()
    return redis


@pytest.fixture
def private_broker() -> Iterator[PrivateRedis]:
    """A Redis of its own as the Celery broker, which the test may stop and start."""
    broker = _started_private_redis()
    try:
        yield broker
    finally:
        broker.stop()


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    """A Redis of its own as the cache, which the test may stop and start."""
    redis = _started_private_redis()
    cache_settings = {
        "default": {
            "BACKEND": "plaudit.core.cache.ResilientRedisCache",
            "LOCATION": redis.url,
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    # override_settings also swaps the cache handlers (Django's setting_changed hook).
    with override_settings(CACHES=cache_settings):
        try:
            yield redis
        finally:
            redis.stop()


def _catalog_names(client: APIClient) -> list[str]:
    response = client.get("/api/v1/rewards/")
    assert response.status_code == 200, response.content
    return [reward["name"] for reward in response.json()["results"]]


@pytest.mark.django_db
def test_the_api_keeps_serving_correct_data_while_redis_is_down(private_redis):
    employee, hr_admin = UserFactory(with_points=300), HRAdminFactory()
    RewardFactory(name="Mug", cost=50)
    reader, editor = APIClient(), APIClient()
    reader.force_authenticate(employee)
    editor.force_authenticate(hr_admin)
    assert _catalog_names(reader) == ["Mug"]  # cached now

    private_redis.stop()
    created = editor.post("/api/v1/rewards/", {"name": "Tea", "cost": 20}, format="json")
    assert created.status_code == 201
    assert _catalog_names(reader) == ["Mug", "Tea"]  # straight from the database
    redeemed = reader.post("/api/v1/redemptions/", {"reward": created.json()["id"]}, format="json")
    assert redeemed.status_code == 201
    assert reader.get("/api/v1/me/").json()["points"]["balance"] == 280

    private_redis.start()  # back, empty: pages are cached again, and correct
    assert _catalog_names(reader) == ["Mug", "Tea"]
    assert _catalog_names(reader) == ["Mug", "Tea"]
    assert ledger_problems() == []


@pytest.mark.django_db
def test_signing_in_and_the_lockout_still_work_while_redis_is_down(private_redis):
    """Sessions live in the database and throttle counters fail open, so an outage
    neither signs people out nor locks them out; the brute-force lockout (also in the
    database) still holds."""
    person, guessed = UserFactory(), UserFactory()
    browser = Client()
    assert (
        browser.post("/accounts/login/", {"login": person.email, "password": TEST_PASSWORD})[
            "Location"
        ]
        == "/"
    )

    private_redis.stop()
    assert browser.get("/").status_code == 200  # still signed in
    token = APIClient().post(
        "/api/v1/auth/token/", {"email": person.email, "password": TEST_PASSWORD}
    )
    assert token.status_code == 200  # the auth throttle fails open
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token.json()['access']}")
    assert api.get("/api/v1/me/").json()["email"] == person.email

    attacker = APIClient()
    for _ in range(5):
        attacker.post("/api/v1/auth/token/", {"email": guessed.email, "password": "guess"})
    locked = attacker.post(
        "/api/v1/auth/token/", {"email": guessed.email, "password": TEST_PASSWORD}
    )
    assert locked.status_code == 429
    assert locked.json()["code"] == "locked_out"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_connection_killed_inside_a_redemption_leaves_no_partial_write(monkeypatch):
    person = UserFactory(with_points=500)
    reward = RewardFactory(cost=100, stock=5)
    paused, resume = threading.Event(), threading.Event()
    backend: dict[str, Any] = {}
    post_transaction = reward_services.post_transaction

    def pause_before_debit(**kwargs: Any) -> Any:
        """The redemption row and the stock change exist, uncommitted; the debit does not."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend["pid"] = cursor.fetchone()[0]
        paused.set()
        resume.wait(timeout=10)
        return post_transaction(**kwargs)

    monkeypatch.setattr(reward_services, "post_transaction", pause_before_debit)

    def redeem() -> None:
        try:
            client = APIClient()
            client.force_authenticate(person)
            backend["response"] = client.post(
                "/api/v1/redemptions/", {"reward": reward.pk}, format="json"
            )
        finally:
            connection.close()

    worker = threading.Thread(target=redeem)
    worker.start()
    assert paused.wait(timeout=10)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [backend["pid"]])
    resume.set()
    worker.join(timeout=20)

    response = backend["response"]
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "service_unavailable"
    assert not Redemption.objects.exists()
    reward.refresh_from_db()
    assert reward.stock == 5
    assert balance_of(person) == 500
    call_command("verify_ledger")  # raises CommandError on any mismatch


IMPORT_ROWS = 30_000  # several chunks of 2,000: the kill lands with rows applied and rows to go


@pytest.mark.postgres
@pytest.mark.broker
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "killed",
    [
        "worker",  # the machine or container lost: a new worker starts
        "pool process",  # the out-of-memory killer's choice: the worker itself lives on
    ],
)
def test_a_worker_killed_mid_import_is_resumed_and_duplicates_nothing(tmp_path, killed):
    rows = [
        employee_row(f"K{i:05d}", manager_employee_id="K00000" if i else "")
        for i in range(IMPORT_ROWS)
    ]
    with running_worker(tmp_path / "worker.log", pool="prefork") as worker:
        job = import_jobs.start_import(
            upload=csv_file(csv_text(rows)), kind="employees", created_by=HRAdminFactory()
        )

        def applying() -> bool:
            job.refresh_from_db()
            return job.created > 0

        wait_for(applying, timeout=120, what="the import to apply its first chunk")
        if killed == "worker":
            worker.kill()
        else:
            worker.kill_pool_process()
        # Once PostgreSQL has ended the dead run's session its last chunk has committed or
        # rolled back, so the count below is what the run left behind.
        wait_for(lambda: not leases.is_held(job.pk, job.attempts), what="the lease to go")
        job.refresh_from_db()
        applied = User.objects.filter(employee_id__startswith="K").count()
        assert job.status == ImportStatus.RUNNING
        assert 0 < applied < IMPORT_ROWS, "the kill must land part-way through"

        if killed == "worker":
            worker.start()  # as it starts, it finds the job running with no live run behind it

        def finished() -> bool:
            job.refresh_from_db()
            return job.status in {ImportStatus.SUCCEEDED, ImportStatus.FAILED}

        wait_for(finished, timeout=180, what="the resumed import")

    assert job.status == ImportStatus.SUCCEEDED, job.message
    assert (job.attempts, job.resumes) == (2, 1)
    assert job.processed_rows == IMPORT_ROWS
    assert job.created == IMPORT_ROWS - applied
    people = User.objects.filter(employee_id__startswith="K")
    assert people.count() == IMPORT_ROWS
    assert people.filter(manager__employee_id="K00000").count() == IMPORT_ROWS - 1
    assert "its worker stopped while running it; sent again" in worker.log.read_text()
    assert ledger_problems() == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_broker_stopped_mid_run_delays_events_and_loses_none(private_broker, tmp_path):
    person = UserFactory()
    hr = APIClient()
    hr.force_authenticate(HRAdminFactory())

    def grant(amount: int) -> None:
        response = hr.post(
            "/api/v1/points/grants/",
            {"user": person.pk, "amount": amount, "reason": f"Grant of {amount}"},
            format="json",
        )
        assert response.status_code == 201, response.content

    def heard() -> int:
        return Notification.objects.filter(user=person).count()

    with running_worker(tmp_path / "worker.log", broker_url=private_broker.url) as worker:
        grant(1)
        wait_for(lambda: heard() == 1, what="the first grant's notification")
        # A drain lingers for more commits before it stops: the grants below must find
        # none running, or it would deliver them without the broker.
        wait_for(lambda: cache.get(dispatch.DRAIN_CLAIM) is None, what="the drain to stop")

        private_broker.stop()
        for amount in (2, 3, 4):
            grant(amount)  # the writes succeed; their events wait in the outbox
        assert OutboxEvent.objects.filter(dispatched_at__isnull=True).count() == 3
        assert heard() == 1
        assert balance_of(person) == 10

        private_broker.start()  # back on the same port, empty
        wait_for(
            lambda: app.control.ping(destination=[worker.node], timeout=0.5),
            timeout=60,
            what="the worker to reconnect to the broker",
        )
        assert tasks.sweep_outbox(older_than_seconds=0) == 3  # what beat does each minute
        wait_for(lambda: heard() == 4, what="the waiting events")

    assert not OutboxEvent.objects.filter(dispatched_at__isnull=True).exists()
    assert sorted(
        Notification.objects.filter(user=person).values_list(
            "outbox_event__data__amount", flat=True
        )
    ) == [1, 2, 3, 4]
    assert ledger_problems() == []
