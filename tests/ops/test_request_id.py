"""Every request gets an id that reaches its log lines and the Celery tasks it starts."""

import json
import logging
from collections.abc import Iterator

import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.utils.module_loading import import_string
from django_guid import clear_guid, get_guid, set_guid


def test_each_response_carries_a_new_request_id(api_client):
    first = api_client.get("/health/")["X-Request-ID"]
    second = api_client.get("/health/")["X-Request-ID"]
    assert len(first) == 32
    assert first != second


def test_the_proxy_request_id_is_kept(api_client):
    response = api_client.get("/health/", HTTP_X_REQUEST_ID="0f9e8d7c6b5a49382716051423324150")
    assert response["X-Request-ID"] == "0f9e8d7c6b5a49382716051423324150"


def test_a_malformed_request_id_is_replaced_rather_than_logged(api_client):
    response = api_client.get("/health/", HTTP_X_REQUEST_ID="<script>alert(1)</script>")
    assert "<" not in response["X-Request-ID"]
    assert len(response["X-Request-ID"]) == 32


def test_json_log_lines_name_the_request_id():
    config = settings.LOGGING
    formatter = import_string(config["formatters"]["json"]["()"])(
        **{k: v for k, v in config["formatters"]["json"].items() if k != "()"}
    )
    request_id_filter = import_string(config["filters"]["request_id"]["()"])()
    record = logging.LogRecord("plaudit.rewards", logging.INFO, __file__, 1, "redeemed", (), None)
    set_guid("4bd6c1a2e6f34c8e9a1f0b2c3d4e5f60")
    try:
        request_id_filter.filter(record)
        line = json.loads(formatter.format(record))
    finally:
        clear_guid()
    assert line["request_id"] == "4bd6c1a2e6f34c8e9a1f0b2c3d4e5f60"
    assert line["level"] == "INFO"
    assert line["logger"] == "plaudit.rewards"
    assert line["message"] == "redeemed"


@pytest.fixture
def worker_app() -> Iterator[Celery]:
    """A Celery app with an in-memory broker and a real worker thread."""
    app = Celery("ops-tests", broker="memory://", backend="cache+memory://")
    app.conf.task_always_eager = False

    @app.task(name="ops_tests.request_id_seen_by_task")
    def request_id_seen_by_task() -> str | None:
        return get_guid()

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield app


def test_a_task_started_by_a_request_logs_under_that_request_id(worker_app):
    task = worker_app.tasks["ops_tests.request_id_seen_by_task"]
    set_guid("9a8b7c6d5e4f40312a1b2c3d4e5f6a7b")
    try:
        result = task.delay()
    finally:
        clear_guid()
    assert result.get(timeout=10) == "9a8b7c6d5e4f40312a1b2c3d4e5f6a7b"
