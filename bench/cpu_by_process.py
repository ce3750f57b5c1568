"""The whole machine's CPU per request: web server, Celery worker, PostgreSQL and Redis.

A redemption's cost does not end in the web server: the worker delivers its event and
PostgreSQL runs its statements, all on the same cores. For each workload this runs wrk
against the production server (``bench/load.py``'s, with its worker), waits until the
worker has delivered the run's events, and divides each group's CPU time (from
``/proc``) by the requests served::

    make bench-cpu                                       # reads, mixed, redeem
    .venv/bin/python bench/cpu_by_process.py --workloads redeem --duration 20 --no-seed

Prints one line per workload; compare trees by running it on each, alternating.
"""

import argparse
import collections
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load

GROUPS = ("gunicorn", "celery", "postgres", "redis")
SEEDED = load.RESULTS / "seeded.json"


def cpu_seconds_by_group() -> collections.Counter[str]:
    """User plus system CPU seconds of every live process, summed per group."""
    ticks = os.sysconf("SC_CLK_TCK")
    totals: collections.Counter[str] = collections.Counter()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            command = Path(f"/proc/{pid}/cmdline").read_text()
        except OSError:  # it exited meanwhile
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        group = next(
            (g for g in ("gunicorn", "celery") if g in command),
            "postgres" if name.startswith("postgres") else "redis" if "redis" in name else None,
        )
        if group:
            totals[group] += (int(fields[11]) + int(fields[12])) / ticks
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workloads", default="reads,mixed,redeem")
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument(
        "--warmup", type=int, default=10, help="seconds; long enough to warm 1,000 people's pages"
    )
    parser.add_argument("--no-seed", action="store_true", help="reuse the last seeded database")
    load.add_server_arguments(parser)
    args = parser.parse_args()

    load.RESULTS.mkdir(exist_ok=True)
    env = load.bench_env(args)
    if args.no_seed and SEEDED.exists():
        seeded = json.loads(SEEDED.read_text())
    else:
        load.reset_database(env, args.database)
        seeded = load.seed(env)
        SEEDED.write_text(json.dumps(seeded))
    server = load.start_server(args, env)
    worker = load.start_worker(env)
    try:
        for workload in args.workloads.split(","):
            load.wait_for_events(args, env)
            load.run_wrk(args, env, workload, args.warmup, seeded)
            load.wait_for_events(args, env)
            before = cpu_seconds_by_group()
            result = load.run_wrk(args, env, workload, args.duration, seeded)
            load.wait_for_events(args, env)  # the worker's share of this run
            after = cpu_seconds_by_group()
            per_request = {
                group: (after[group] - before[group]) / result["requests"] * 1000
                for group in GROUPS
            }
            print(
                f"{workload:10} {result['rps']:7.0f} req/s  p99 {result['p99_ms']:5.0f} ms  "
                f"errors {result['errors']}  "
                + "  ".join(f"{group} {ms:.2f}" for group, ms in per_request.items())
                + f"  all {sum(per_request.values()):.2f} ms of CPU per request",
                flush=True,
            )
    finally:
        load.stop_server(server)
        load.stop_server(worker)


if __name__ == "__main__":
    main()
