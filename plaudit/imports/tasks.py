"""Background work of imports: thin adapters onto one attempt at a job (:mod:`.attempts`).

What queues these tasks (:mod:`.jobs`) imports this module; this module imports only
what the tasks run, so the two never import each other.
"""

from typing import Any

from celery import shared_task
from celery.exceptions import WorkerLostError
from celery.signals import task_failure, worker_ready

from plaudit.core.after_commit import enqueue_after_commit

from . import attempts

# A million-row file takes minutes: longer than the project-wide task limits allow.
IMPORT_TIME_LIMIT_SECONDS = 6 * 60 * 60
# Long enough for PostgreSQL to end the lost process's session and free its lease.
RESUME_AFTER_LOST_CHILD_SECONDS = 2


@shared_task(
    name="plaudit.imports.tasks.process_import",
    acks_late=False,
    soft_time_limit=IMPORT_TIME_LIMIT_SECONDS,
    time_limit=IMPORT_TIME_LIMIT_SECONDS + 60,
)
def process_import(job_id: int) -> str | None:
    """Acknowledged on receipt, unlike the project's short tasks.

    A late acknowledgement would have the broker hand a long import to a second
    worker once its visibility timeout passed, again and again. A job whose
    worker died is started over by :func:`resume_interrupted_imports` instead.
    """
    job = attempts.process_import(job_id=job_id)
    return None if job is None else job.status


@shared_task(name="plaudit.imports.tasks.resume_interrupted_imports")
def resume_interrupted_imports() -> list[int]:
    """Send again every job no worker is running or will run (see
    :func:`~.attempts.jobs_left_behind`); the ids sent."""
    left_behind = attempts.jobs_left_behind()
    for job_id in left_behind:
        enqueue_after_commit(process_import, job_id)
    return left_behind


@worker_ready.connect
def resume_on_start(**kwargs: Any) -> None:
    """A worker coming back after a crash resumes its imports without waiting for beat."""
    resume_interrupted_imports.delay()


@task_failure.connect
def resume_after_a_lost_child(sender: Any = None, exception: Any = None, **kwargs: Any) -> None:
    """A pool process killed mid-import (by the out-of-memory killer, say) leaves its worker
    running, so no restart resumes the job: look for it now rather than at beat's next run."""
    if getattr(sender, "name", None) == process_import.name and isinstance(
        exception, WorkerLostError
    ):
        resume_interrupted_imports.apply_async(countdown=RESUME_AFTER_LOST_CHILD_SECONDS)
