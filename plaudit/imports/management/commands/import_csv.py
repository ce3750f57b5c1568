"""``manage.py import_csv PATH --kind employees|rewards [--dry-run]``: the API's import."""

from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from plaudit.core.errors import DomainError
from plaudit.imports import attempts, jobs
from plaudit.imports.models import ImportKind
from plaudit.imports.wording import summary


class Command(BaseCommand):
    help = "Import a CSV of employees, rewards or reward codes, as the API does, in this process."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--kind", required=True, choices=ImportKind.values)
        parser.add_argument("--dry-run", action="store_true", help="Count changes, write none.")
        parser.add_argument("--reward", type=int, help="The reward id, for --kind reward_codes.")

    def handle(self, *args: Any, path: Path, kind: str, dry_run: bool, **options: Any) -> None:
        if not path.is_file():
            raise CommandError(_("No file at %(path)s.") % {"path": path})
        try:
            with path.open("rb") as handle:
                job = jobs.start_import(
                    upload=File(handle, name=path.name),
                    kind=kind,
                    dry_run=dry_run,
                    reward_id=options.get("reward"),
                    created_by=None,
                    in_background=False,
                )
        except DomainError as exc:
            raise CommandError(exc.detail) from exc
        done = attempts.process_import(job_id=job.pk) or job
        self.stdout.write(summary(done))
        if done.unknown_columns:
            self.stdout.write(
                _("Ignored unknown columns: %(columns)s")
                % {"columns": ", ".join(done.unknown_columns)}
            )
        if done.failed:
            self.stdout.write(
                _("Rejected rows: %(request)s")
                % {"request": f"GET /api/v1/imports/{done.pk}/errors/"}
            )
        if done.status != "succeeded":
            raise CommandError(done.message or _("The import failed."))
