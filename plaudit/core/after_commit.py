"""The one way side effects (Celery tasks, WebSocket pushes, email) leave a transaction.

A side effect must never fire for a change that rolls back, and a side effect
that fails (broker down, Redis down, an eager task raising) must never fail the
change that already committed: the outbox sweep and the tasks' own retries
catch up later. So every side effect is run after commit, robustly, through here.
"""

import logging
from collections.abc import Callable
from typing import Any

from celery import Task
from django.db import transaction

logger = logging.getLogger(__name__)


def run_after_commit(effect: Callable[[], Any]) -> None:
    """Run ``effect`` after the current transaction commits (at once outside one); never raise."""
    transaction.on_commit(effect, robust=True)


def enqueue(task: Task, *args: Any) -> bool:
    """Send ``task`` to the broker (or run it inline without one); False if that failed.

    Tasks take ids, not model instances, so a task reads the committed row when it runs.
    """
    try:
        task.apply_async(args=args)
    except Exception:  # broker unreachable, or an inline task raised: both are retried later
        logger.warning("Could not run %s%r now; it will be retried", task.name, args, exc_info=True)
        return False
    return True


def enqueue_after_commit(task: Task, *args: Any) -> None:
    run_after_commit(lambda: enqueue(task, *args))
