"""Keep the people cache (signed-in people, their own pages) true to the people table;
and tell other apps of changes that send no model signal.

:data:`people_changed_in_bulk` is sent by the bulk path (:mod:`.roster`), whose
``bulk_update`` saves no model one by one: each app that shows people and caches what
it shows (recognition's feed) receives it and forgets its own cache, so people depends
on none of them.
"""

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from .cache import forget_cached_people
from .models import Department, User

# Sent with ``pks``: the people a bulk write changed, in the writer's transaction (as
# post_save is); a receiver defers what must wait for the commit (``run_after_commit``).
people_changed_in_bulk = Signal()


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
