"""Keep the authentication cache true to the people table."""

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .authentication import forget_cached_people
from .models import User


@receiver(post_save, sender=User, dispatch_uid="people.forget_saved_person")
@receiver(post_delete, sender=User, dispatch_uid="people.forget_deleted_person")
def forget_changed_person(sender: type[User], instance: User, **kwargs: Any) -> None:
    forget_cached_people([instance.pk])
