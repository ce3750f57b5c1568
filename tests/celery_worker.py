"""A real Celery worker process for the tests, against a real broker and this run's database.

It consumes a queue of its own (so other workers on the same broker never take these
tasks), and this process's Celery app is pointed at that queue while it runs. Tests
may kill it with SIGKILL and start it again on the same queue.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from kombu import pools as kombu_pools

from config.celery import app

BROKER_URL = os.environ.get("PLAUDIT_TEST_BROKER_URL", "")


def database_url() -> str:
    db = settings.DATABASES["default"]
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def point_celery_at(broker_url: str, *, queue: str, eager: bool = False) -> None:
    """Reconfigure this process's Celery app and drop its pooled broker connections."""
    app.conf.update(broker_url=broker_url, task_always_eager=eager, task_default_queue=queue)
    kombu_pools.reset()
    app._pool = None
    app.__dict__.pop("amqp", None)  # routing and producers rebuilt from the new settings


def wait_for(condition: Callable[[], Any], timeout: float = 30, what: str = "the worker") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


class CeleryWorker:
    """``celery worker`` on a private queue, in a process group of its own; output in ``log``.

    ``pool="solo"`` runs tasks in the worker's own process, which is quick to start;
    ``"prefork"`` (one child) is how Plaudit deploys it. The two differ in when a task
    that is acknowledged on receipt really is: the solo pool runs the task inside the
    event loop that would send the acknowledgement, so it goes out only afterwards.
    """

    def __init__(self, log: Path, *, pool: str = "solo", broker_url: str = BROKER_URL) -> None:
        self.queue = f"plaudit-test-{uuid.uuid4().hex[:10]}"
        self.log = log
        self.pool = pool
        self.broker_url = broker_url
        self.node = ""
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": self.broker_url,
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
            "WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", f"--pool={self.pool}"]
        command += ["--concurrency=1"]
        # A new node name each start: the broker may still hold the killed one's reply queue.
        self.node = f"{self.queue}-{uuid.uuid4().hex[:4]}@{socket.gethostname()}"
        command += ["-Q", self.queue, "-n", self.node]
        command += ["--without-gossip", "--without-mingle", "-l", "info"]
        with open(self.log, "ab") as output:
            self.process = subprocess.Popen(
                command,
                cwd=Path(settings.BASE_DIR),
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        process = self.process
        wait_for(
            lambda: (
                app.control.ping(destination=[self.node], timeout=0.5) or process.poll() is not None
            ),
            timeout=60,
        )
        assert process.poll() is None, self.log.read_text()

    def kill(self) -> None:
        """SIGKILL to the worker and its children: no warm shutdown, nothing acknowledged
        later, every connection cut by the kernel, as when its machine is lost."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def kill_pool_process(self) -> None:
        """SIGKILL to the prefork child running the task; the worker itself lives on."""
        assert self.process is not None
        assert self.pool == "prefork"
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        assert len(children) == 1, children  # --concurrency=1
        os.kill(int(children[0]), signal.SIGKILL)

    def stop(self) -> None:
        """A warm shutdown, or SIGKILL if it does not finish (a task still running, say)."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


@contextmanager
def running_worker(
    log: Path, *, pool: str = "solo", broker_url: str = BROKER_URL
) -> Iterator[CeleryWorker]:
    """A started worker, with this process's Celery app sending to its queue meanwhile.

    ``broker_url`` defaults to the run's broker (PLAUDIT_TEST_BROKER_URL); a test that
    stops its broker brings one of its own.
    """
    if connection.vendor != "postgresql" or not broker_url:
        pytest.skip("needs PostgreSQL and PLAUDIT_TEST_BROKER_URL")
    worker = CeleryWorker(log, pool=pool, broker_url=broker_url)
    saved = {
        key: app.conf[key] for key in ("broker_url", "task_always_eager", "task_default_queue")
    }
    point_celery_at(broker_url, queue=worker.queue)
    try:
        worker.start()
        yield worker
    finally:
        worker.stop()
        with contextlib.suppress(Exception), app.connection_for_write() as conn:
            conn.default_channel.queue_delete(worker.queue)  # gone with a stopped broker
        point_celery_at(
            saved["broker_url"], queue=saved["task_default_queue"], eager=saved["task_always_eager"]
        )
