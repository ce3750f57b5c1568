"""Soak: the mixed workload for a long run with a fault injected every minute.

    make soak                                  # 10 minutes, figures into docs/benchmarks.md
    .venv/bin/python bench/soak.py --minutes 2 --fault-every 30

Faults rotate: a web worker killed with SIGKILL (the server replaces it), every
database connection of the app terminated (pg_terminate_backend), Redis killed and
restarted (a private redis-server, so nothing else on the machine is disturbed), and
the Celery worker killed with SIGKILL in the middle of its deliveries and started
again. Requests caught in a fault may fail; what must hold is that the ledger
verifies afterwards, that every successful redemption is exactly one debit, and that
every event the run recorded is delivered.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load

START, END = "<!-- bench:soak:start -->", "<!-- bench:soak:end -->"


class PrivateRedis:
    def __init__(self, port: int) -> None:
        self.port = port
        self.process: subprocess.Popen[bytes] | None = None

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
        time.sleep(0.5)

    def kill(self) -> None:
        if self.process:
            self.process.kill()
            self.process.wait()


def kill_a_worker(server: subprocess.Popen[bytes]) -> str:
    """SIGKILL one worker process of the server; its master must replace it."""
    children = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True)
    pids = children.stdout.split()
    if not pids:
        return "no worker process found (single-process server)"
    subprocess.run(["kill", "-9", pids[0]], check=False)
    return f"killed web worker {pids[0]} (SIGKILL)"


def terminate_connections(database: str) -> str:
    terminated = load.psql_row(
        "postgres",
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
        f"WHERE datname = '{database}' AND pid <> pg_backend_pid()",
        check=False,  # a fault that could not be injected is reported, not fatal
    )[0]
    return f"terminated {terminated or 0} database connections"


def restart_redis(redis: PrivateRedis) -> str:
    redis.kill()
    time.sleep(5)
    redis.start()
    return "Redis killed, restarted 5 s later (empty)"


def restart_celery(worker: list[subprocess.Popen[bytes]], env: dict[str, str]) -> str:
    """SIGKILL the Celery worker (a drain may be half done) and start a new one."""
    os.killpg(worker[0].pid, signal.SIGKILL)
    worker[0].wait()
    worker[0] = load.start_worker(env)
    return "Celery worker killed (SIGKILL) and started again"


def events_all_delivered(args: argparse.Namespace, env: dict[str, str]) -> str:
    """Wait for the worker to deliver what the run recorded; none may be left behind."""
    load.wait_for_events(args, env, limit=120)
    recorded, pending = map(
        int,
        load.psql_row(
            args.database,
            "SELECT count(*), count(*) FILTER (WHERE dispatched_at IS NULL) "
            "FROM events_outboxevent",
        ),
    )
    verdict = "OK" if pending == 0 else "FAILED"
    return f"{verdict}: {recorded - pending} of {recorded} events delivered, {pending} pending"


def redemptions_match_debits(database: str) -> str:
    """Every stored redemption has exactly one debit in the ledger, and no debit is orphaned."""
    redemptions, debits = map(
        int,
        load.psql_row(
            database,
            "SELECT (SELECT count(*) FROM rewards_redemption), "
            "(SELECT count(*) FROM ledger_transaction WHERE reference LIKE 'redemption:%:debit')",
        ),
    )
    verdict = "OK" if redemptions == debits else "FAILED"
    return f"{verdict}: {redemptions} redemptions, {debits} redemption debits"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--fault-every", type=int, default=60)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--port", type=int, default=28432)
    parser.add_argument("--redis-port", type=int, default=28433)
    parser.add_argument("--database", default="plaudit_soak")
    parser.add_argument("--broker-url", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--server-cmd", default=load.DEFAULT_SERVER_CMD)
    parser.add_argument("--env", action="append", default=[])
    parser.add_argument("--no-doc", action="store_true")
    args = parser.parse_args()
    args.redis_url = f"redis://127.0.0.1:{args.redis_port}/0"

    load.RESULTS.mkdir(exist_ok=True)
    redis = PrivateRedis(args.redis_port)
    redis.start()
    env = load.bench_env(args)
    load.reset_database(env, args.database)
    seeded = load.seed(env)
    server = load.start_server(args, env)
    worker = [load.start_worker(env)]  # replaced when the fault kills it
    faults: list[str] = []
    outcome: dict = {}
    duration = int(args.minutes * 60)

    def run() -> None:
        outcome.update(load.run_wrk(args, env, "mixed", duration, seeded))

    started = time.monotonic()
    wrk = threading.Thread(target=run)
    wrk.start()
    injectors = [
        lambda: kill_a_worker(server),
        lambda: terminate_connections(args.database),
        lambda: restart_redis(redis),
        lambda: restart_celery(worker, env),
    ]
    try:
        n = 0
        while wrk.is_alive():
            wrk.join(timeout=args.fault_every)
            if wrk.is_alive() and time.monotonic() - started < duration - 5:
                note = injectors[n % len(injectors)]()
                faults.append(f"{time.monotonic() - started:5.0f}s {note}")
                print(faults[-1], flush=True)
                n += 1
        events = events_all_delivered(args, env)
    finally:
        load.stop_server(server)
        load.stop_server(worker[0])
        redis.kill()
    ledger = load.verify_ledger(env)
    debits = redemptions_match_debits(args.database)
    report = {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": load.machine(),
        "minutes": args.minutes,
        "connections": args.connections,
        "faults": faults,
        "requests": outcome.get("requests"),
        "errors": outcome.get("errors"),
        "rps": outcome.get("rps"),
        "p99_ms": outcome.get("p99_ms"),
        "ledger": ledger,
        "redemptions": debits,
        "events": events,
    }
    print(json.dumps(report, indent=2))
    (load.RESULTS / f"soak-{int(time.time())}.json").write_text(json.dumps(report, indent=2))
    if not args.no_doc:
        lines = [
            START,
            f"Measured {report['when']} on {report['machine']}; command: `make soak`.",
            "",
            f"{args.minutes:g} minutes of the mixed workload, wrk -c{args.connections}, "
            f"a fault every {args.fault_every} s:",
            "",
            *[f"- {fault}" for fault in faults],
            "",
            f"Requests served: {report['requests']} ({report['rps']:.0f} req/s, "
            f"p99 {report['p99_ms']:.0f} ms); failed requests (non-2xx or socket errors; "
            f"the same workload without faults had none): {report['errors']}.",
            "",
            f"Ledger afterwards: {ledger}",
            "",
            f"Redemptions against their debits: {debits}",
            "",
            f"Events recorded during the run, once the worker caught up: {events}",
            END,
        ]
        load.write_section("## Soak with faults (`make soak`)", START, END, "\n".join(lines))
    verdicts = (ledger, debits, events)
    sys.exit(1 if any(verdict.startswith("FAILED") for verdict in verdicts) else 0)


if __name__ == "__main__":
    main()
