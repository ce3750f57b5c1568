"""What imports say to people: kinds by name, counts in words, and a job's outcome.

One place for the words, so the web page, the admin, ``import_csv``, the notification
and the refusals of a file say the same thing: "1 row", "2 rows"; "an employees file";
and a dry run's outcome as what *would* happen, since it wrote nothing.
"""

from django.utils.translation import ngettext

from plaudit.core.wording import number

from .models import ImportJob, ImportKind, ImportStatus


def rows(count: int) -> str:
    return ngettext("%(count)s row", "%(count)s rows", count) % {"count": number(count)}


def cells(count: int) -> str:
    return ngettext("%(count)s cell", "%(count)s cells", count) % {"count": number(count)}


def columns(count: int) -> str:
    return ngettext("%(count)s column", "%(count)s columns", count) % {"count": number(count)}


def characters(count: int) -> str:
    return ngettext("%(count)s character", "%(count)s characters", count) % {"count": number(count)}


def kind_name(kind: str) -> str:
    """``reward_codes`` → ``reward codes``: the kind as a person calls it."""
    try:
        return str(ImportKind(kind).label).lower()
    except ValueError:
        return kind.replace("_", " ")


def a_file_of(kind: str) -> str:
    """``an employees file``, ``a reward catalog file``."""
    name = kind_name(kind)
    article = "an" if name[:1] in set("aeiou") else "a"
    return f"{article} {name} file"


def outcome(*, dry_run: bool, created: int, updated: int, failed: int) -> str:
    """``3 created, 1 updated, 2 rejected``; a dry run's ``3 would be created, …``."""
    if dry_run:
        return (
            f"{number(created)} would be created, {number(updated)} would be updated, "
            f"{number(failed)} rejected; nothing was written (dry run)"
        )
    return f"{number(created)} created, {number(updated)} updated, {number(failed)} rejected"


def summary(job: ImportJob) -> str:
    """``Import #7 succeeded: 3 rows; 2 created, …``; a job still to run says only its size."""
    dry_run = " (dry run)" if job.dry_run else ""
    if job.status in {ImportStatus.QUEUED, ImportStatus.RUNNING}:
        done = f"{number(job.processed_rows)} of " if job.processed_rows else ""
        return f"Import #{job.pk}{dry_run} is {job.status}: {done}{rows(job.total_rows)}."
    counts = outcome(
        dry_run=job.dry_run, created=job.created, updated=job.updated, failed=job.failed
    )
    return f"Import #{job.pk} {job.status}: {rows(job.total_rows)}; {counts}."
