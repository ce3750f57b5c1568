"""Background work of imports: a thin adapter onto the service."""

from celery import shared_task

from . import services


@shared_task(name="plaudit.imports.tasks.process_import", acks_late=True)
def process_import(job_id: int) -> str | None:
    """Redelivered after a worker dies (acks_late); the job then starts over, safely."""
    job = services.process_import(job_id=job_id)
    return None if job is None else job.status
