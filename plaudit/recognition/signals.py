"""Any change to what the feed shows makes its cached pages stale.

Model signals rather than calls in each service, so a change from anywhere (the
admin, an import, a rename in the people app) is covered; the people app's bulk path,
which saves nobody one by one, sends ``people_changed_in_bulk`` instead. Awards and value links
are bulk-inserted without signals, but always in the transaction that saves their
recognition or add-on, whose signal covers them.
"""

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from plaudit.people.models import Department, User
from plaudit.people.signals import people_changed_in_bulk

from .cache import forget_reactions_by, invalidate_feed
from .models import AddOn, Comment, CompanyValue, Reaction, Recognition

SHOWN_IN_THE_FEED = (Recognition, AddOn, Comment, Reaction, CompanyValue, Department)
# Saving only these fields of a person changes nothing the feed shows.
UNSHOWN_PERSON_FIELDS = frozenset({"last_login", "password"})


def _feed_changed(sender: type[Any], **kwargs: Any) -> None:
    invalidate_feed()


for model in SHOWN_IN_THE_FEED:
    post_save.connect(_feed_changed, sender=model, dispatch_uid=f"feed.saved.{model.__name__}")
    post_delete.connect(_feed_changed, sender=model, dispatch_uid=f"feed.deleted.{model.__name__}")


@receiver(post_save, sender=User, dispatch_uid="feed.person_saved")
@receiver(post_delete, sender=User, dispatch_uid="feed.person_deleted")
def _person_changed(sender: type[User], update_fields: Any = None, **kwargs: Any) -> None:
    if update_fields is not None and set(update_fields) <= UNSHOWN_PERSON_FIELDS:
        return
    invalidate_feed()


@receiver(people_changed_in_bulk, sender=User, dispatch_uid="feed.people_changed_in_bulk")
def _people_changed_in_bulk(sender: type[User], **kwargs: Any) -> None:
    """The employee import's bulk path saves no person one by one."""
    invalidate_feed()


@receiver(post_save, sender=Reaction, dispatch_uid="feed.own_reaction_saved")
@receiver(post_delete, sender=Reaction, dispatch_uid="feed.own_reaction_deleted")
def _own_reactions_changed(sender: type[Reaction], instance: Reaction, **kwargs: Any) -> None:
    forget_reactions_by(instance.user_id)
