"""Scheduled work for recognition; thin adapters onto services."""

from celery import shared_task
from django.conf import settings

from . import celebrations


@shared_task(name="plaudit.recognition.tasks.celebrate_occasions")
def celebrate_occasions() -> list[int]:
    """Birthdays and work anniversaries; each is celebrated once however often this runs."""
    catch_up = int(settings.PLAUDIT["CELEBRATION_CATCH_UP_DAYS"])
    return [
        recognition.pk for recognition in celebrations.celebrate_occasions(catch_up_days=catch_up)
    ]
