"""gunicorn settings for the WSGI web process, every value from the environment.

gthread workers: WEB_WORKERS processes x WEB_THREADS threads. Size the database
pool (DATABASE_POOL_MAX_SIZE, defaulting to WEB_THREADS) to the threads, since
each thread holds one connection for the length of its request.
"""

import os
import shutil
import tempfile
from typing import Any

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
worker_class = "gthread"
# 4 x 4 on a 2-core node: against 3 x 8 and 6 x 3, run side by side, it spent the
# least CPU per request on every workload (docs/benchmarks.md, round four). Fewer
# threads per process wait less on each other's GIL; more processes than cores keep
# both busy while some wait on the database or Redis.
workers = int(os.environ.get("WEB_WORKERS", "4"))
threads = int(os.environ.get("WEB_THREADS", "4"))
# Graceful shutdown: on SIGTERM stop accepting, finish in-flight requests for up to
# this long, then exit (Kubernetes' terminationGracePeriodSeconds must be longer).
graceful_timeout = int(os.environ.get("WEB_GRACEFUL_TIMEOUT", "25"))
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))
keepalive = int(os.environ.get("WEB_KEEPALIVE", "5"))
# Recycle workers now and then so a slow leak can never take a node down. Not too
# often: a new worker spends about a second of CPU importing Django, and at 5,000 a
# busy node restarted a worker every few seconds (make bench: -35% on /health/).
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10
# Heartbeat files in memory, not on a container's overlay disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Only the proxy in front may say which scheme and client a request came from.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Django logs each request as JSON with its request id; gunicorn's own access log
# would only repeat it.
accesslog = os.environ.get("WEB_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
preload_app = False
# No control socket: several servers may share a host, and HOME is read-only in the image.
control_socket_disable = True

# Prometheus: each worker process counts the requests it serves, and a scrape reaches
# one worker. prometheus_client's multiprocess mode keeps every process's metrics in
# files under PROMETHEUS_MULTIPROC_DIR, and /metrics adds them up. Set before the
# workers fork and import prometheus_client, which reads it once. Unless the operator
# names a directory (one per server, empty at start), each server makes its own in
# memory and removes it on exit: counts from an earlier run must not be added in.
_OWN_METRICS_DIR = "PROMETHEUS_MULTIPROC_DIR" not in os.environ
if _OWN_METRICS_DIR:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(
        prefix=f"plaudit-metrics-{os.getpid()}-", dir=worker_tmp_dir
    )


def child_exit(server: Any, worker: Any) -> None:
    """A dead worker's live gauges leave the sum; its counters stay in it."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server: Any) -> None:
    if _OWN_METRICS_DIR:
        shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
