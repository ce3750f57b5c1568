"""/metrics under gunicorn counts every worker's requests, whichever worker answers.

Runs the real server with deploy/gunicorn.conf.py and three worker processes. Without
prometheus_client's multiprocess mode each scrape would report only the requests of the
worker that happened to answer it, and the totals would jump up and down between scrapes.
"""

import glob
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"
TOKEN = "multiprocess-scrape-token"
REQUESTS = 30
TOTAL = re.compile(rb'^django_http_requests_total_by_method_total\{method="GET"\} (\S+)$', re.M)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(port: int, path: str, token: str | None = None) -> bytes:
    """The body, whatever the status: every answered request is counted."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        return connection.getresponse().read()
    finally:
        connection.close()


@pytest.fixture
def server() -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
    env.update(
        PORT=str(port),
        WEB_WORKERS="3",
        WEB_THREADS="1",
        METRICS_TOKEN=TOKEN,
        LOG_LEVEL="WARNING",
        ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    process = subprocess.Popen(
        [str(GUNICORN), "-c", "deploy/gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        for _ in range(150):
            try:
                get(port, "/health/")
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not start")
        yield port, process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)


def workers_counted(metrics_dir: str) -> set[str]:
    """The worker processes that have written metrics (one file per kind and pid)."""
    return {name.rsplit("_", 1)[-1] for name in os.listdir(metrics_dir)}


def scraped_total(port: int) -> float:
    match = TOTAL.search(get(port, "/metrics", TOKEN))
    assert match, "no request counter in the scrape"
    return float(match.group(1))


def test_every_scrape_reports_the_sum_of_all_workers(
    server: tuple[int, subprocess.Popen[bytes]],
) -> None:
    port, process = server
    # Where deploy/gunicorn.conf.py makes it: in memory where the host has /dev/shm.
    parent = "/dev/shm" if os.path.isdir("/dev/shm") else tempfile.gettempdir()  # noqa: S108
    metrics_dirs = glob.glob(f"{parent}/plaudit-metrics-{process.pid}-*")
    assert len(metrics_dirs) == 1, "the server made no metrics directory of its own"
    # /health/ answers as soon as one worker is up; on a busy machine the others may still
    # be starting, and one worker alone would prove nothing. Wait until all three count.
    deadline = time.monotonic() + 60
    while len(workers_counted(metrics_dirs[0])) < 3:
        assert time.monotonic() < deadline, "not every worker served a request within 60 s"
        get(port, "/health/")
    before = scraped_total(port)  # the start-up probes were counted too
    for _ in range(REQUESTS):
        get(port, "/health/")
    # Each scrape counts itself as it arrives; a single worker's figure would be about a third.
    totals = [scraped_total(port) for _ in range(6)]
    assert totals == [before + REQUESTS + n for n in range(1, 7)]

    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)
    assert not os.path.exists(metrics_dirs[0]), "the server left its metrics behind"
