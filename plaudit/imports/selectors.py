"""Reads for imports and exports: jobs, their rejected rows, and the exported tables."""

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from plaudit.people.models import User
from plaudit.rewards.models import Reward

from .kinds.rewards import REWARD_COLUMNS
from .models import ImportJob, RowError

EXPORT_CHUNK = 2000


def jobs_visible_to(user: User) -> QuerySet[ImportJob]:
    """Only HR admins reach the import endpoints; every HR admin sees every job."""
    return ImportJob.objects.select_related("created_by")


def rejected_rows(job: ImportJob) -> Iterator[tuple[int, str, str]]:
    return (
        RowError.objects.filter(job=job)
        .order_by("row", "id")
        .values_list("row", "column", "message")
        .iterator(chunk_size=EXPORT_CHUNK)
    )


def people_for_export() -> Iterator[tuple[Any, ...]]:
    """Everyone, in the employee import's columns (manager by employee id)."""
    return (
        User.objects.order_by("pk")
        .values_list(
            "employee_id",
            "email",
            "first_name",
            "last_name",
            "department__name",
            "title",
            "manager__employee_id",
            "role",
            "salary",
            "hire_date",
        )
        .iterator(chunk_size=EXPORT_CHUNK)
    )


def rewards_for_export() -> Iterator[tuple[Any, ...]]:
    """The catalog (not deleted), in the reward import's columns."""
    return (
        Reward.objects.order_by("pk").values_list(*REWARD_COLUMNS).iterator(chunk_size=EXPORT_CHUNK)
    )
