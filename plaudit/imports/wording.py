"""What imports say to people: kinds by name, counts in words, and a job's outcome.

One place for the words, so the web page, the admin, ``import_csv``, the notification
and the refusals of a file say the same thing: "1 row", "2 rows"; "an employees file";
and a dry run's outcome as what *would* happen, since it wrote nothing.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

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


# Each kind as a file of it, a whole noun phrase with its article (no article is
# chosen in code: languages decide that differently).
_A_FILE_OF = {
    ImportKind.EMPLOYEES: gettext_lazy("an employees file"),
    ImportKind.REWARDS: gettext_lazy("a reward catalog file"),
    ImportKind.REWARD_CODES: gettext_lazy("a reward codes file"),
}


def a_file_of(kind: str) -> str:
    """``an employees file``, ``a reward catalog file``."""
    if (words := _A_FILE_OF.get(kind)) is not None:  # type: ignore[call-overload]
        return str(words)
    name = kind_name(kind)  # not a kind of Plaudit's: the name as it was given
    article = "an" if name[:1] in set("aeiou") else "a"
    return f"{article} {name} file"


def outcome(*, dry_run: bool, created: int, updated: int, failed: int) -> str:
    """``3 created, 1 updated, 2 rejected``; a dry run's ``3 would be created, …``."""
    counts = {"created": number(created), "updated": number(updated), "failed": number(failed)}
    if dry_run:
        return (
            _(
                "%(created)s would be created, %(updated)s would be updated, "
                "%(failed)s rejected; nothing was written (dry run)"
            )
            % counts
        )
    return _("%(created)s created, %(updated)s updated, %(failed)s rejected") % counts


# A job still to run: (status, dry run, rows done so far) → its words.
_PENDING = {
    (ImportStatus.QUEUED, False, False): gettext_lazy("Import #%(id)s is queued: %(rows)s."),
    (ImportStatus.QUEUED, False, True): gettext_lazy(
        "Import #%(id)s is queued: %(done)s of %(rows)s."
    ),
    (ImportStatus.QUEUED, True, False): gettext_lazy(
        "Import #%(id)s (dry run) is queued: %(rows)s."
    ),
    (ImportStatus.QUEUED, True, True): gettext_lazy(
        "Import #%(id)s (dry run) is queued: %(done)s of %(rows)s."
    ),
    (ImportStatus.RUNNING, False, False): gettext_lazy("Import #%(id)s is running: %(rows)s."),
    (ImportStatus.RUNNING, False, True): gettext_lazy(
        "Import #%(id)s is running: %(done)s of %(rows)s."
    ),
    (ImportStatus.RUNNING, True, False): gettext_lazy(
        "Import #%(id)s (dry run) is running: %(rows)s."
    ),
    (ImportStatus.RUNNING, True, True): gettext_lazy(
        "Import #%(id)s (dry run) is running: %(done)s of %(rows)s."
    ),
}
_FINISHED = {
    ImportStatus.SUCCEEDED: gettext_lazy("Import #%(id)s succeeded: %(rows)s; %(counts)s."),
    ImportStatus.FAILED: gettext_lazy("Import #%(id)s failed: %(rows)s; %(counts)s."),
}


def summary(job: ImportJob) -> str:
    """``Import #7 succeeded: 3 rows; 2 created, …``; a job still to run says only its size."""
    words = {"id": job.pk, "rows": rows(job.total_rows), "done": number(job.processed_rows)}
    if job.status in {ImportStatus.QUEUED, ImportStatus.RUNNING}:
        pending = _PENDING[(ImportStatus(job.status), job.dry_run, bool(job.processed_rows))]
        return str(pending) % words
    counts = outcome(
        dry_run=job.dry_run, created=job.created, updated=job.updated, failed=job.failed
    )
    finished = _FINISHED.get(job.status)  # type: ignore[call-overload]
    if finished is None:
        return f"Import #{job.pk} {job.status}: {rows(job.total_rows)}; {counts}."
    return str(finished) % {**words, "counts": counts}
