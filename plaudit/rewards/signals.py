"""Any saved or deleted reward makes the cached catalog stale (after the commit)."""

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from plaudit.core.after_commit import run_after_commit

from .cache import invalidate_catalog
from .models import Reward


@receiver(post_save, sender=Reward, dispatch_uid="rewards.invalidate_catalog_on_save")
@receiver(post_delete, sender=Reward, dispatch_uid="rewards.invalidate_catalog_on_delete")
def invalidate_catalog_on_change(sender: type[Reward], **kwargs: Any) -> None:
    run_after_commit(invalidate_catalog)
