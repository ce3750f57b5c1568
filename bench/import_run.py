"""One measured import in a fresh process: prints rows, seconds and peak RSS as JSON.

    DATABASE_URL=postgres://... python bench/import_run.py --engine plaudit FILE
    DATABASE_URL=postgres://... python bench/import_run.py --engine import-export FILE

Run by bench/import_bench.py; each run is its own process so its peak memory
(``ru_maxrss``) is its own.
"""

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def run_plaudit(path: Path) -> dict:
    from django.core.files import File

    from plaudit.imports import attempts, jobs

    with path.open("rb") as handle:
        job = jobs.start_import(
            upload=File(handle, name=path.name),
            kind="employees",
            created_by=None,
            in_background=False,
        )
    done = attempts.process_import(job_id=job.pk)
    assert done is not None
    assert done.status == "succeeded", done.message
    return {
        "rows": done.total_rows,
        "created": done.created,
        "updated": done.updated,
        "failed": done.failed,
    }


def run_import_export(path: Path) -> dict:
    """django-import-export's ModelResource with its default settings (no bulk, no skip)."""
    import tablib
    from import_export import fields, resources, widgets

    from plaudit.people.models import Department, User

    class PersonResource(resources.ModelResource):
        department = fields.Field(
            attribute="department",
            column_name="department",
            widget=widgets.ForeignKeyWidget(Department, "name"),
        )
        manager_employee_id = fields.Field(
            attribute="manager",
            column_name="manager_employee_id",
            widget=widgets.ForeignKeyWidget(User, "employee_id"),
        )

        class Meta:
            model = User
            import_id_fields = ("employee_id",)
            fields = (
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
            )

    dataset = tablib.Dataset().load(path.read_text(encoding="utf-8"), format="csv")
    result = PersonResource().import_data(dataset, raise_errors=True)
    totals = result.totals
    return {
        "rows": len(dataset),
        "created": totals["new"],
        "updated": totals["update"],
        "failed": totals["error"] + totals["invalid"],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", choices=["plaudit", "import-export"], default="plaudit")
    parser.add_argument("path", type=Path)
    args = parser.parse_args()

    import django

    django.setup()
    import logging

    logging.disable(logging.INFO)
    started = time.perf_counter()
    counts = run_plaudit(args.path) if args.engine == "plaudit" else run_import_export(args.path)
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "engine": args.engine,
                "seconds": round(seconds, 2),
                "rows_per_second": round(counts["rows"] / seconds),
                "peak_rss_mb": round(peak_kb / 1024, 1),
                **counts,
            }
        )
    )


if __name__ == "__main__":
    main()
