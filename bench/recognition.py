"""Recognition read benchmarks: the feed and the leaderboard against /health/, same run.

    make bench-recognition             # figures into docs/benchmarks.md
    .venv/bin/python bench/recognition.py --duration 5 --no-doc

Reuses bench/load.py's harness (a fresh PostgreSQL + Redis database, the
production WSGI server started the way deploy/ runs it, wrk with a fixed number
of connections) and adds a lived-in feed (values, comments, reactions, add-ons).
Two passes: the normal configuration (leaderboard served from its cache), then
the same server with ``PLAUDIT_REPORTS_CACHE_SECONDS=0`` so every leaderboard
request runs its queries. Each pass measures /health/ too; every ratio is to the
/health/ of its own pass.
"""

import argparse
import json
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load  # bench/load.py: the shared harness

START, END = "<!-- bench:recognition:start -->", "<!-- bench:recognition:end -->"
HEADING = "## Recognition feed and leaderboards (`make bench-recognition`)"
PASSES = [
    # (label, extra server environment, workloads)
    ("cached", {}, ["health", "feed", "leaderboard", "recognise"]),
    ("uncached", {"PLAUDIT_REPORTS_CACHE_SECONDS": "0"}, ["health", "leaderboard"]),
]
LABELS = {
    ("cached", "health"): "`GET /health/` (the yardstick)",
    ("cached", "feed"): "feed, first page (20 items with values, comments, reactions)",
    ("cached", "leaderboard"): "leaderboard, this month, from cache",
    ("cached", "recognise"): "recognition writes (1 point to a random colleague)",
    ("uncached", "health"): "`GET /health/`, second server (cache off)",
    ("uncached", "leaderboard"): "leaderboard, this month, computed every request",
}


def seed_recognition(env: dict[str, str]) -> str:
    """Kudos, values, comments, reactions and add-ons; returns the seed's summary line."""
    output = subprocess.run(
        [load.PYTHON, str(load.BENCH / "seed_recognition.py")],
        env=env,
        cwd=load.ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return output.strip().splitlines()[-1]


def run_pass(
    args: argparse.Namespace, env: dict[str, str], workloads: list[str], seeded: dict
) -> list[dict]:
    server = load.start_server(args, env)
    results = []
    try:
        for workload in workloads:
            if args.warmup:
                load.run_wrk(args, env, workload, args.warmup, seeded)
            result = load.run_wrk(args, env, workload, args.duration, seeded)
            results.append(result)
            print(
                f"{workload:12} {result['rps']:8.0f} req/s  p50 {result['p50_ms']:6.1f} ms  "
                f"p99 {result['p99_ms']:6.1f} ms  errors {result['errors']}",
                flush=True,
            )
    finally:
        load.stop_server(server)
    return results


def render(passes: list[tuple[str, list[dict]]], meta: dict) -> str:
    lines = [
        START,
        f"Measured {meta['when']} on {meta['machine']}; PostgreSQL and Redis on the same machine.",
        f"Other work shared the cores (1-minute load average {meta['loadavg']}), so absolute "
        "figures swing between runs; compare the ratios to /health/ of the same pass.",
        "",
        f"Server: `{meta['server_cmd']}`; wrk `-t{meta['threads']} -c{meta['connections']} "
        f"-d{meta['duration']}s` (fixed concurrency: {meta['connections']} connections); "
        f"seeded: {meta['people']} people, {meta['feed']}; "
        f"command: `{meta['command']}`.",
        "",
        "| workload | req/s | ratio to /health/ | p50 ms | p99 ms | errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, results in passes:
        health = next(r for r in results if r["workload"] == "health")
        for r in results:
            lines.append(
                f"| {LABELS[(label, r['workload'])]} | {r['rps']:.0f} | "
                f"{r['rps'] / health['rps']:.2f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | "
                f"{r['errors']} |"
            )
    lines += [
        "",
        "SQL per request (asserted in tests/recognition): feed 4 queries whatever the page "
        "size; leaderboard 2 on a cache miss, 0 on a hit; a new recognition invalidates the "
        "cached boards on commit.",
        "",
        f"Ledger after the write workload: {meta['ledger']}",
        END,
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--port", type=int, default=28437)
    parser.add_argument("--database", default="plaudit_recognition_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/4")
    parser.add_argument("--broker-url", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--server-cmd", default=load.DEFAULT_SERVER_CMD)
    parser.add_argument("--env", action="append", default=[], help="extra KEY=VALUE for the server")
    parser.add_argument("--no-doc", action="store_true", help="print results, leave docs alone")
    args = parser.parse_args()

    load.RESULTS.mkdir(exist_ok=True)
    env = load.bench_env(args)
    load.reset_database(env, args.database)
    seeded = load.seed(env)
    feed = seed_recognition(env)
    print("seeded:", feed, flush=True)
    # A long-running database has planner statistics; a freshly seeded one must be analysed.
    load.sh(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-d",
            args.database,
            "-q",
            "-c",
            "VACUUM ANALYZE",
        ],
        env,
    )

    load_before = Path("/proc/loadavg").read_text().split()[0]
    passes = []
    worker = load.start_worker(env)  # events go to the broker and a worker, as in production
    try:
        for label, extra, workloads in PASSES:
            print(f"-- pass: {label}", flush=True)
            passes.append((label, run_pass(args, {**env, **extra}, workloads, seeded)))
    finally:
        load.stop_server(worker)
    ledger = load.verify_ledger(env)
    print("ledger:", ledger)
    meta = {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": load.machine(),
        "loadavg": f"{load_before} at the start, {Path('/proc/loadavg').read_text().split()[0]} "
        "at the end",
        "server_cmd": args.server_cmd.format(port=args.port, python_bin=".venv/bin"),
        "threads": args.threads,
        "connections": args.connections,
        "duration": args.duration,
        "people": len(seeded["people"]),
        "feed": feed.replace("=", " ").replace("_", "-"),
        "command": "make bench-recognition",
        "ledger": ledger,
    }
    (load.RESULTS / f"recognition-{int(time.time())}.json").write_text(
        json.dumps({"meta": meta, "passes": passes}, indent=2)
    )
    if not args.no_doc:
        load.write_section(HEADING, START, END, render(passes, meta))
    errors = any(r["errors"] for _, results in passes for r in results)
    if ledger.startswith("FAILED") or errors:
        sys.exit(1)


if __name__ == "__main__":
    main()
