"""Scheduled work for the catalog; thin adapters onto services."""

from celery import shared_task

from . import services


@shared_task(name="plaudit.rewards.tasks.deactivate_expired_rewards")
def deactivate_expired_rewards() -> list[int]:
    return [reward.pk for reward in services.deactivate_expired_rewards()]
