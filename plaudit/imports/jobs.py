"""Starting an import job and starting it again: the doors' entry points into imports.

The API, the admin's import page, the web page and ``manage.py import_csv`` call
:func:`start_import`, and a person re-runs a failed job with :func:`restart_import`
(its owner or HR: :func:`check_can_restart`).
Both queue the Celery task (:mod:`.tasks`), which runs one attempt at the job
(:mod:`.attempts`); the command runs the attempt in its own process instead.
"""

from datetime import timedelta
from uuid import uuid4

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plaudit.core.after_commit import enqueue_after_commit
from plaudit.core.errors import NotAllowed
from plaudit.people.models import User
from plaudit.people.roles import is_hr_admin
from plaudit.rewards.models import Reward

from . import leases, tasks
from .attempts import QUEUED_RESEND_SECONDS, mark_queued_again
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
        raise InvalidImportFile(
            _("'%(kind)s' is not a kind of import; use %(kinds)s.")
            % {"kind": kind, "kinds": ", ".join(SPECS)}
        )
    spec = SPECS[kind]
    if kind == ImportKind.REWARD_CODES and (
        reward_id is None or not Reward.all_objects.filter(pk=reward_id).exists()
    ):
        raise InvalidImportFile(_("A reward_codes import needs the id of an existing reward."))
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


def check_can_restart(*, actor: User | None, job: ImportJob) -> None:
    """Who may start a job over, and when.

    Its owner or an HR admin (``actor=None`` is the operator); the job failed, was
    interrupted (``running`` with no live run behind it), or has waited ``queued``
    longer than a worker takes to pick a job up (its message was lost). A job running
    now, or just queued, is refused (409): a second run would fence off the first.
    """
    if actor is not None and actor.pk != job.created_by_id and not is_hr_admin(actor):
        raise NotAllowed(_("Only whoever started an import, or an HR admin, may re-run it."))
    if not job.file:
        raise ImportNotRestartable(_("Its file is no longer kept, so it cannot be re-run."))
    if job.status == ImportStatus.FAILED:
        return
    if job.status == ImportStatus.RUNNING:
        # Where runs hold no lease (SQLite, imports inline in a request) nobody can tell a
        # live run from a dead one: the person decides, and the new attempt fences the old.
        if leases.supported() and leases.is_held(job.pk, job.attempts):
            raise ImportNotRestartable(_("It is running now; wait for it to finish."))
        return
    if job.status == ImportStatus.QUEUED:
        waited = timezone.now() - (job.queued_at or timezone.now())
        if waited < timedelta(seconds=QUEUED_RESEND_SECONDS):
            raise ImportNotRestartable(_("It is queued and will start shortly."))
        return
    raise ImportNotRestartable()


def restart_import(*, actor: User | None, job_id: int) -> ImportJob:
    """Queue a failed, interrupted or lost job again; it starts over from its stored file."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        check_can_restart(actor=actor, job=job)
        mark_queued_again(job, resumes=0)
        enqueue_after_commit(tasks.process_import, job.pk)
    return job
