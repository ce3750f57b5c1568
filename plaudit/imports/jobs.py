"""Starting an import job and starting it again: the doors' entry points into imports.

The API, the admin's import page, the web page and ``manage.py import_csv`` call
:func:`start_import`, and a person re-runs a failed job with :func:`restart_import`.
Both queue the Celery task (:mod:`.tasks`), which runs one attempt at the job
(:mod:`.attempts`); the command runs the attempt in its own process instead.
"""

from uuid import uuid4

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from plaudit.core.after_commit import enqueue_after_commit
from plaudit.people.models import User
from plaudit.rewards.models import Reward

from . import tasks
from .attempts import mark_queued_again
from .errors import ImportNotRestartable, InvalidImportFile
from .files import check_size, inspect_csv
from .kinds.registry import SPECS
from .models import ImportJob, ImportKind, ImportStatus


def start_import(
    *,
    upload: File,  # type: ignore[type-arg,unused-ignore]
    kind: str,
    created_by: User | None,
    dry_run: bool = False,
    reward_id: int | None = None,
    in_background: bool = True,
) -> ImportJob:
    """Check the file, store it and queue the job; raise before anything is stored if bad.

    ``in_background=False`` leaves running to the caller (the management command
    runs :func:`~.attempts.process_import` in its own process).
    """
    if kind not in SPECS:
        raise InvalidImportFile(f"'{kind}' is not a kind of import; use {', '.join(SPECS)}.")
    spec = SPECS[kind]
    if kind == ImportKind.REWARD_CODES and (
        reward_id is None or not Reward.all_objects.filter(pk=reward_id).exists()
    ):
        raise InvalidImportFile("A reward_codes import needs the id of an existing reward.")
    check_size(upload.size)
    upload.seek(0)
    inspection = inspect_csv(upload, spec)
    upload.seek(0)
    job = ImportJob(
        kind=kind,
        dry_run=dry_run,
        reward_id=reward_id if kind == ImportKind.REWARD_CODES else None,
        created_by=created_by,
        original_name=(upload.name or "")[-255:],
        total_rows=inspection.total_rows,
        unknown_columns=inspection.header.unknown,
        queued_at=timezone.now(),
    )
    # Stored first (a move, for a temporary upload), so a rolled-back job leaves at most
    # an orphan file and never a job without its file.
    job.file.save(f"{uuid4().hex}.csv", upload, save=False)
    try:
        with transaction.atomic():
            job.save()
            if in_background:
                enqueue_after_commit(tasks.process_import, job.pk)
    except BaseException:
        job.file.delete(save=False)
        raise
    return job


def restart_import(*, job_id: int) -> ImportJob:
    """Queue a failed (or interrupted) job again; it starts over from its stored file."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        if job.status not in {ImportStatus.FAILED, ImportStatus.RUNNING} or not job.file:
            raise ImportNotRestartable()
        mark_queued_again(job, resumes=0)
        enqueue_after_commit(tasks.process_import, job.pk)
    return job
