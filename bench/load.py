"""Load benchmarks: wrk against the production server configuration on PostgreSQL and Redis.

    make bench                         # every workload, figures into docs/benchmarks.md
    .venv/bin/python bench/load.py --workloads health,catalog --duration 10

Builds a fresh benchmark database (1,000 people with points, a catalog, a feed),
starts the WSGI server the way deploy/ runs it, warms up, and runs each workload
with wrk. Every figure is also given as a ratio to /health/, measured in slices
right next to the workload's own (``--rounds``), because absolute numbers drift on
a shared machine, even within one run. Before each workload the worker finishes
delivering the events of the last one. After the write workloads the ledger is
verified (``manage.py verify_ledger``).
"""

import argparse
import json
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- bench:load:start -->", "<!-- bench:load:end -->"
# The production server as deploy/ runs it: gunicorn with deploy/gunicorn.conf.py, whose
# processes and threads come from WEB_WORKERS / WEB_THREADS (--web-workers/--web-threads).
DEFAULT_SERVER_CMD = os.environ.get(
    "BENCH_SERVER_CMD",
    "{python_bin}/gunicorn -c deploy/gunicorn.conf.py config.wsgi --bind 127.0.0.1:{port}",
)

# What deploy/ sets for the web process (compose.yaml, k8s/config.yaml): production
# settings and the psycopg pool. TLS ends at nginx, which the benchmark leaves out, so
# the app port is spoken to in plain HTTP without the redirect to https.
PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "DATABASE_POOL": "true",
    "SECURE_SSL_REDIRECT": "false",
    "PLAUDIT_CODES_KEYS": "YmVuY2htYXJrLW9ubHkta2V5LW5vdC1mb3ItcHJvZCE=",
}

WORKLOADS = {
    # name: (description, writes?)
    "health": ("`GET /health/` (the yardstick)", False),
    "catalog": ("catalog list, authenticated employee, hot cache", False),
    "catalog_uncached": ("catalog list, authenticated, every request a cache miss", False),
    "feed": ("recognition feed, first page", False),
    "leaderboard": ("leaderboard, this month", False),
    "me": ("`GET /api/v1/me/`", False),
    "entries": ("your ledger lines, first page (`GET /api/v1/points/entries/`)", False),
    "reads": ("the mixed workload's four reads in turn, without its writes", False),
    "redeem": ("redemption writes over 1,000 people", True),
    "recognise": ("recognition writes (1 point to a random colleague)", True),
    "mixed": ("mixed: 90% reads (catalog, me, feed, entries), 10% redemptions", True),
}
PROBES = {
    "feed": "/api/v1/recognitions/",
    "leaderboard": "/api/v1/reports/leaderboard/?period=month",
    "recognise": "/api/v1/recognitions/",
}


def bench_env(args: argparse.Namespace) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_"))}
    env.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{args.database}",
        REDIS_URL=args.redis_url,
        DEBUG="0",
        SECRET_KEY="benchmark-only-secret-key-not-for-production-0123456789",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        JWT_ACCESS_MINUTES="240",
        THROTTLE_USER_RATE="100000000/min",
        THROTTLE_ANON_RATE="100000000/min",
        THROTTLE_REDEEM_RATE="100000000/min",
        THROTTLE_AUTH_RATE="100000000/min",
        LOG_LEVEL="WARNING",
        # The production topology: events go to a broker and a Celery worker, not inline.
        CELERY_BROKER_URL=args.broker_url,
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        PYTHONUNBUFFERED="1",
    )
    if getattr(args, "web_workers", None):
        env["WEB_WORKERS"] = str(args.web_workers)
    if getattr(args, "web_threads", None):
        env["WEB_THREADS"] = str(args.web_threads)
    env.update(dict(item.split("=", 1) for item in args.env))
    return env


def sh(cmd: list[str], env: dict[str, str], **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, env=env, cwd=ROOT, text=True, check=True, **kwargs)


def reset_database(env: dict[str, str], database: str) -> None:
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-q", "-c"]
    sh([*psql, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"], env)
    sh([*psql, f"CREATE DATABASE {database}"], env)
    sh([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env)
    for url in (env["REDIS_URL"], env["CELERY_BROKER_URL"]):
        sh(["redis-cli", "-u", url, "FLUSHDB"], env, stdout=subprocess.DEVNULL)


def seed(env: dict[str, str]) -> dict:
    """Seed the bench database; returns the people and reward ids, writes tokens.txt."""
    output = subprocess.run(
        [PYTHON, str(BENCH / "seed_bench.py"), str(RESULTS / "tokens.txt")],
        env=env,
        cwd=ROOT,
        text=True,
        capture_output=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def start_server(args: argparse.Namespace, env: dict[str, str]) -> subprocess.Popen[bytes]:
    with socket.socket() as probe:  # never measure somebody else's server by mistake
        if probe.connect_ex(("127.0.0.1", args.port)) == 0:
            raise SystemExit(f"port {args.port} is already in use: pass --port")
    # exec: the process we hold is the server itself (its master), not a shell
    command = "exec " + args.server_cmd.format(
        port=args.port, python_bin=str(ROOT / ".venv" / "bin")
    )
    server = subprocess.Popen(
        command,
        shell=True,
        env={**env, **PRODUCTION_ENV},
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=(RESULTS / "server.log").open("wb"),
    )
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{args.port}/health/", timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    stop_server(server)
    raise SystemExit(f"server did not start: see {RESULTS / 'server.log'}")


def start_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    """A Celery worker consumes the events the workloads produce, as in production."""
    return subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "celery"),
            "-A",
            "config",
            "worker",
            "--concurrency",
            "1",
            "--loglevel",
            "WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=(RESULTS / "worker.log").open("wb"),
    )


def stop_server(server: subprocess.Popen[bytes]) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


def endpoint_exists(args: argparse.Namespace, path: str, token: str) -> bool:
    request = urllib.request.Request(
        f"http://127.0.0.1:{args.port}{path}", headers={"Authorization": f"Bearer {token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=5):
            return True
    except urllib.error.HTTPError as exc:
        return exc.code != 404
    except OSError:
        return False


def run_wrk(
    args: argparse.Namespace, env: dict[str, str], workload: str, duration: int, seeded: dict
) -> dict:
    wrk_env = dict(
        env,
        BENCH_DIR=str(BENCH),
        BENCH_WORKLOAD=workload,
        BENCH_TOKENS=str(RESULTS / "tokens.txt"),
        BENCH_REWARD_IDS=",".join(map(str, seeded["rewards"])),
        BENCH_PEOPLE_IDS=",".join(map(str, seeded["people"])),
    )
    output = subprocess.run(
        [
            "wrk",
            "-t",
            str(args.threads),
            "-c",
            str(args.connections),
            "-d",
            f"{duration}s",
            "--timeout",
            "5s",
            "-s",
            str(BENCH / "wrk" / "workload.lua"),
            f"http://127.0.0.1:{args.port}",
        ],
        env=wrk_env,
        text=True,
        capture_output=True,
        check=True,
    ).stdout
    match = re.search(r"^WRK_JSON (.*)$", output, re.MULTILINE)
    if not match:
        raise SystemExit(f"wrk gave no summary for {workload}:\n{output}")
    raw = json.loads(match.group(1))
    errors = sum(raw[key] for key in raw if key.startswith("errors_"))
    return {
        "workload": workload,
        "requests": raw["requests"],
        "rps": raw["requests"] / (raw["duration_us"] / 1e6),
        "p50_ms": raw["p50_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "errors": errors,
        "error_kinds": {key[7:]: raw[key] for key in raw if key.startswith("errors_") and raw[key]},
    }


def measure(args: argparse.Namespace, env: dict[str, str], workload: str, seeded: dict) -> dict:
    """One workload in ``--rounds`` slices, each right after a slice of /health/.

    The machine's speed drifts within seconds, so the ratio to /health/ is the median of
    the slices' ratios, each measured next to its own yardstick. Figures: requests over
    time; p50 the slices' median, p99 their worst; errors summed.
    """
    if workload == "health":
        return run_wrk(args, env, workload, args.duration, seeded)
    piece = max(args.duration // args.rounds, 1)
    slices, yardsticks = [], []
    for _ in range(args.rounds):
        yardsticks.append(run_wrk(args, env, "health", piece, seeded)["rps"])
        slices.append(run_wrk(args, env, workload, piece, seeded))
    requests = sum(part["requests"] for part in slices)
    kinds: dict[str, int] = {}
    for part in slices:
        for kind, count in part["error_kinds"].items():
            kinds[kind] = kinds.get(kind, 0) + count
    return {
        "workload": workload,
        "requests": requests,
        "rps": requests / sum(part["requests"] / part["rps"] for part in slices),
        "ratio": statistics.median(
            part["rps"] / health for part, health in zip(slices, yardsticks, strict=True)
        ),
        "yardsticks": yardsticks,
        "p50_ms": statistics.median(part["p50_ms"] for part in slices),
        "p99_ms": max(part["p99_ms"] for part in slices),
        "errors": sum(part["errors"] for part in slices),
        "error_kinds": kinds,
    }


def psql_row(database: str, query: str, *, check: bool = True) -> list[str]:
    """The first row of ``query``'s answer on the local PostgreSQL, as text."""
    result = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-tAc", query],
        capture_output=True,
        text=True,
        check=check,
    )
    return result.stdout.strip().split("|")


def wait_for_events(args: argparse.Namespace, env: dict[str, str], limit: float = 180) -> None:
    """Wait until the worker has delivered every outbox event and run every task they
    queued (the emails of a kudos, say), so that a workload is not measured while the
    worker still spends the shared cores on the seed's or the previous workload's."""
    query = "SELECT count(*) FROM events_outboxevent WHERE dispatched_at IS NULL"
    queue_length = ["redis-cli", "-u", args.broker_url, "LLEN", "celery"]

    def undone() -> tuple[int, int]:
        tasks = subprocess.run(queue_length, capture_output=True, text=True).stdout.strip()
        return int(psql_row(args.database, query)[0] or 0), int(tasks or 0)

    deadline = time.monotonic() + limit
    while any(left := undone()):
        if time.monotonic() > deadline:
            print(f"note: (events, tasks) {left} still undone after {limit:.0f} s", flush=True)
            return
        time.sleep(1)


def verify_ledger(env: dict[str, str]) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", "verify_ledger"], env=env, cwd=ROOT, text=True, capture_output=True
    )
    return (
        (result.stdout + result.stderr).strip().splitlines()[-1]
        if result.returncode == 0
        else "FAILED: " + (result.stdout + result.stderr).strip()
    )


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    cpu = next((ln.split(":", 1)[1].strip() for ln in cpuinfo if ln.startswith("model name")), "")
    memory_kib = next(int(ln.split()[1]) for ln in meminfo if ln.startswith("MemTotal"))
    system = f"{platform.system()} {platform.release()}"
    return f"{os.cpu_count()} cores ({cpu}), {memory_kib / 1024 / 1024:.0f} GiB, {system}"


def render(results: list[dict], meta: dict) -> str:
    health = next((r for r in results if r["workload"] == "health"), None)
    yardsticks = [health["rps"]] if health else []
    yardsticks += [rps for r in results for rps in r.get("yardsticks", [])]
    lines = [
        START,
        f"Measured {meta['when']} on {meta['machine']}; PostgreSQL and Redis on the same machine.",
        "",
        f"Server: `{meta['server_cmd']}`; wrk `-t{meta['threads']} -c{meta['connections']} "
        f"-d{meta['duration']}s`; command: `{meta['command']}`.",
        "",
        f"Each workload ran in {meta['rounds']} slices, each right after a slice of /health/;"
        " its ratio is the median of the slices' ratios (the machine's speed drifts within"
        f" seconds). /health/ alone ranged from {min(yardsticks, default=0):.0f} to"
        f" {max(yardsticks, default=0):.0f} req/s across its runs.",
        "",
        "| workload | req/s | ratio to /health/ | p50 ms | p99 ms | errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        ratio = f"{r['ratio']:.2f}" if "ratio" in r else "1.00" if r is health else "n/a"
        lines.append(
            f"| {WORKLOADS[r['workload']][0]} | {r['rps']:.0f} | {ratio} | "
            f"{r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['errors']} |"
        )
    if meta.get("skipped"):
        lines += [
            "",
            "Not measured (endpoint not in this build): " + ", ".join(meta["skipped"]) + ".",
        ]
    lines += ["", f"Ledger after the write workloads: {meta['ledger']}", END]
    return "\n".join(lines)


def write_section(heading: str, start: str, end: str, section: str) -> None:
    """Replace this benchmark's section of docs/benchmarks.md, or append it."""
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    if start in text and end in text:
        text = text[: text.index(start)] + section + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip() + f"\n\n{heading}\n\n" + section + "\n"
    DOC.write_text(text)


def add_server_arguments(parser: argparse.ArgumentParser) -> None:
    """The server, its database, cache and broker, and wrk's clients: shared by the
    benchmarks that measure the server ``make bench`` runs."""
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--port", type=int, default=28431)
    parser.add_argument("--database", default="plaudit_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/12")
    parser.add_argument("--broker-url", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--server-cmd", default=DEFAULT_SERVER_CMD)
    parser.add_argument("--web-workers", type=int, help="gunicorn processes (WEB_WORKERS)")
    parser.add_argument("--web-threads", type=int, help="threads per process (WEB_THREADS)")
    parser.add_argument("--env", action="append", default=[], help="extra KEY=VALUE for the server")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workloads", default=",".join(WORKLOADS))
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument(
        "--rounds", type=int, default=3, help="slices per workload, each after one of /health/"
    )
    add_server_arguments(parser)
    parser.add_argument("--no-doc", action="store_true", help="print results, leave docs alone")
    args = parser.parse_args()

    RESULTS.mkdir(exist_ok=True)
    env = bench_env(args)
    reset_database(env, args.database)
    seeded = seed(env)
    token = (RESULTS / "tokens.txt").read_text().split("\n", 1)[0].split()[1]

    server = start_server(args, env)
    worker = start_worker(env)
    results, skipped = [], []
    try:
        for workload in args.workloads.split(","):
            probe = PROBES.get(workload)
            if probe and not endpoint_exists(args, probe, token):
                skipped.append(workload)
                continue
            wait_for_events(args, env)
            if args.warmup:
                run_wrk(args, env, workload, args.warmup, seeded)
            result = measure(args, env, workload, seeded)
            results.append(result)
            print(
                f"{workload:18} {result['rps']:8.0f} req/s  ratio {result.get('ratio', 1):4.2f}  "
                f"p50 {result['p50_ms']:6.1f} ms  "
                f"p99 {result['p99_ms']:6.1f} ms  "
                f"errors {result['errors']} {result['error_kinds'] or ''}",
                flush=True,
            )
    finally:
        stop_server(server)
        stop_server(worker)
    ledger = verify_ledger(env)
    print("ledger:", ledger)
    meta = {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "server_cmd": args.server_cmd.format(port=args.port, python_bin=".venv/bin"),
        "threads": args.threads,
        "connections": args.connections,
        "duration": args.duration,
        "rounds": args.rounds,
        "command": "make bench",
        "skipped": skipped,
        "ledger": ledger,
    }
    (RESULTS / f"load-{int(time.time())}.json").write_text(
        json.dumps({"meta": meta, "results": results}, indent=2)
    )
    if not args.no_doc:
        write_section("## API load (`make bench`)", START, END, render(results, meta))
    if ledger.startswith("FAILED") or any(r["errors"] for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
