"""Keep the people cache (signed-in people, their own pages) true to the people table."""

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .cache import forget_cached_people
from .models import Department, User


@receiver(post_save, sender=User, dispatch_uid="people.forget_saved_person")
@receiver(post_delete, sender=User, dispatch_uid="people.forget_deleted_person")
def forget_changed_person(sender: type[User], instance: User, **kwargs: Any) -> None:
    forget_cached_people([instance.pk])


@receiver(post_save, sender=Department, dispatch_uid="people.forget_renamed_department")
def forget_department_members(
    sender: type[Department], instance: Department, created: bool, **kwargs: Any
) -> None:
    """Cached people carry their department: a rename must reach them at once."""
    if not created:
        forget_cached_people(instance.members.values_list("pk", flat=True))
