"""Import benchmark: throughput and peak memory of the employee CSV import on PostgreSQL.

    make bench-import                                   # 10k, 100k (vs django-import-export), 1M
    .venv/bin/python bench/import_bench.py --sizes 10000,100000 --compare-rows 100000

Generates employee CSVs (every tenth person manages the next nine, who come after
them; ten departments), imports each into an empty people table of a dedicated
database with the same code path as the API, in a fresh process per run, and
records rows per second and peak RSS. django-import-export (a ModelResource with
its default settings) imports the same 100k-row file into the same database in
the same run. Results go to docs/benchmarks.md between the bench:import markers.
"""

import argparse
import csv
import json
import os
import platform
import shlex
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- bench:import:start -->", "<!-- bench:import:end -->"
COLUMNS = [
    "employee_id",
    "email",
    "first_name",
    "last_name",
    "department",
    "title",
    "manager_employee_id",
    "role",
    "salary",
    "hire_date",
]


def generate(rows: int) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"employees-{rows}.csv"
    if path.exists():
        return path
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for i in range(rows):
            boss = i - i % 10
            writer.writerow(
                [
                    f"B{i:07d}",
                    f"person{i}@bench.example.com",
                    f"First{i}",
                    f"Last{i}",
                    f"Department {i % 10}",
                    "Manager" if i == boss else "Engineer",
                    "" if i == boss else f"B{boss:07d}",
                    "manager" if i == boss else "employee",
                    f"{40000 + i % 50000}.00",
                    f"20{10 + i % 15}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                ]
            )
    return path


def env_for(database: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_"))}
    env.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{database}",
        MEDIA_ROOT=str(RESULTS / "media"),
        DEBUG="false",
        LOG_LEVEL="WARNING",
    )
    env.pop("CELERY_BROKER_URL", None)
    return env


def psql(database: str, sql: str) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-qc", sql],
        check=True,
        capture_output=True,
    )


def fresh_database(database: str) -> None:
    subprocess.run(
        ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", database], check=True
    )
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", database], check=True)
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env_for(database),
        check=True,
    )


def empty_people(database: str) -> None:
    psql(
        database,
        "DELETE FROM people_user WHERE employee_id LIKE 'B%'; "
        "DELETE FROM people_department WHERE name LIKE 'Department %'; "
        "DELETE FROM imports_rowerror; DELETE FROM imports_stagedrow;",
    )
    psql(database, "VACUUM ANALYZE")


def measure(database: str, engine: str, path: Path) -> dict:
    empty_people(database)
    if engine == "import-export":
        # ForeignKeyWidget looks departments up and never creates them: give it them.
        psql(
            database,
            "INSERT INTO people_department (name) "
            "SELECT 'Department ' || n FROM generate_series(0, 9) AS n",
        )
    done = subprocess.run(
        [PYTHON, "bench/import_run.py", "--engine", engine, str(path)],
        cwd=ROOT,
        env=env_for(database),
        check=True,
        capture_output=True,
        text=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["measured_at"] = f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    print(json.dumps(result), flush=True)
    return result


def remember(runs: list[dict]) -> list[dict]:
    """Keep the latest run per (engine, rows) across invocations, so a partial re-run
    (say, only the comparison) still renders the whole table."""
    store = RESULTS / "import-runs.json"
    known = json.loads(store.read_text()) if store.exists() else []
    latest = {(run["engine"], run["rows"]): run for run in [*known, *runs]}
    merged = sorted(latest.values(), key=lambda run: (run["engine"] != "plaudit", run["rows"]))
    store.write_text(json.dumps(merged, indent=1))
    return merged


def render(runs: list[dict], compare: dict | None, ours: dict | None) -> str:
    lines = [
        START,
        "",
        "## CSV import (`make bench-import`)",
        "",
        f"Rendered {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.node()} "
        f"({os.cpu_count()} CPUs, shared; load average {os.getloadavg()[0]:.1f} when rendered), "
        f"PostgreSQL on localhost, Python {platform.python_version()}, by `{command()}`. "
        "Each run is a fresh process importing a generated "
        "employee CSV into an empty people table through the same service as the API "
        "(check the whole file, store it, stage, decide, upsert in chunks of 2,000); peak "
        "memory is the process's maximum RSS.",
        "",
        "| rows | engine | seconds | rows/s | peak RSS (MB) | measured |",
        "|---:|---|---:|---:|---:|---|",
    ]
    for run in runs:
        lines.append(
            f"| {run['rows']:,} | {run['engine']} | {run['seconds']} | "
            f"{run['rows_per_second']:,} | {run['peak_rss_mb']} | {run.get('measured_at', '')} |"
        )
    plaudit = [run for run in runs if run["engine"] == "plaudit"]
    if len(plaudit) >= 2:
        small, large = plaudit[0], plaudit[-1]
        ratio = large["peak_rss_mb"] / small["peak_rss_mb"]
        lines += [
            "",
            f"Peak memory, {large['rows']:,} rows vs {small['rows']:,}: "
            f"**{ratio:.2f}x** (goal: at most 1.2x).",
        ]
    if compare and ours:
        speedup = ours["rows_per_second"] / compare["rows_per_second"]
        lines += [
            "",
            f"Throughput on the same {compare['rows']:,}-row file and database, "
            f"against django-import-export (`ModelResource`, default settings, "
            f"`ForeignKeyWidget` for department and manager, the ten departments created "
            f"for it beforehand since that widget only looks them up): **{speedup:.1f}x** "
            "(goal: at least 20x).",
        ]
    lines += ["", END]
    return "\n".join(lines)


def command() -> str:
    """How this run was started, as ``make`` would spell it."""
    return " ".join(
        [
            "make bench-import",
            *([f"BENCH_ARGS='{shlex.join(sys.argv[1:])}'"] if sys.argv[1:] else []),
        ]
    )


def record(section: str) -> None:
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        text = before + section + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    DOC.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--compare-rows", type=int, default=100_000)
    parser.add_argument("--database", default="plaudit_bench_imports")
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()

    sizes = [int(size) for size in args.sizes.split(",") if size]
    if args.compare_rows and args.compare_rows not in sizes:
        sizes.append(args.compare_rows)  # the comparison needs both engines in this run
    fresh_database(args.database)
    runs = [measure(args.database, "plaudit", generate(size)) for size in sizes]
    compare = ours = None
    if args.compare_rows:
        compare = measure(args.database, "import-export", generate(args.compare_rows))
        ours = next(run for run in runs if run["rows"] == args.compare_rows)
        runs.append(compare)
    section = render(remember(runs), compare, ours)
    print(section)
    if not args.no_record:
        record(section)


if __name__ == "__main__":
    sys.exit(main())
