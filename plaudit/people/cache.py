"""What the people app keeps in the shared cache, and the one place that makes it stale.

Two families of keys:

- **the signed-in person** (``auth:user:<id>``), which
  :class:`~plaudit.people.authentication.CachedUserJWTAuthentication` reads instead of
  the database. Any change to a person replaces their entry with a tombstone, at once
  and again after the transaction commits; a reader that finds a tombstone loads from
  the database and does not cache, and a reader that loaded the person just before the
  change stores them with ``add``, which the tombstone refuses.
- **the pages only one person reads** (``/me/``, their ledger lines), under a version of
  their own. Any change to the person or their department (:func:`forget_cached_people`)
  and every transaction on their accounts (``post_transaction``, after commit) replace
  the version, so all their pages become stale at once: one ``MSET`` for everyone a
  change touched.
"""

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from django.core.cache import cache

from plaudit.core.after_commit import run_after_commit
from plaudit.core.cache import VersionedPages

from .models import User

PERSON_CACHE_SECONDS = 300
# Far longer than the moment between a reader's query and its cache ``add``; short, as
# a tombstone also stops caching the person until it expires.
TOMBSTONE_SECONDS = 10
TOMBSTONE = "changed"
OWN_PAGES_SECONDS = 300

T = TypeVar("T")


def person_key(user_id: Any) -> str:
    """Where the signed-in person with this id is cached (or their tombstone)."""
    return f"auth:user:{user_id}"


def remember_person(user_id: Any, person: User) -> None:
    """Cache ``person`` for their next requests, unless a change left a tombstone since
    they were read (``add`` refuses it), so a stale copy never lands."""
    cache.add(person_key(user_id), person, PERSON_CACHE_SECONDS)


def forget_cached_people(user_ids: Iterable[Any]) -> None:
    """Make the next request of each person read them from the database again, and
    their own cached pages (/me/ shows them) stale."""
    people = list(user_ids)
    if not people:
        return
    keys = {person_key(user_id): TOMBSTONE for user_id in people}

    def forget() -> None:
        cache.set_many(keys, TOMBSTONE_SECONDS)
        forget_own_pages(people)

    forget()
    run_after_commit(forget)


def own_pages(person_id: Any) -> VersionedPages:
    return VersionedPages(f"people:own:{person_id}")


def forget_own_pages(person_ids: Iterable[Any]) -> None:
    """Every cached page of theirs becomes unreachable, in one round trip."""
    VersionedPages.invalidate_all(own_pages(person_id) for person_id in set(person_ids))


def own_page_keys(person_id: Any, identity: str) -> list[str]:
    """The cache keys :func:`cached_own_page` reads, to fetch ahead of it."""
    return own_pages(person_id).keys(identity)


def cached_own_page(
    person_id: Any,
    identity: str,
    render: Callable[[], T],
    prefetched: Mapping[str, Any] | None = None,
) -> T:
    """A page only ``person_id`` reads (``identity`` names it: /me/, a page of their
    ledger lines by its absolute URL), cached until they or their accounts next change."""
    page: T = own_pages(person_id).get_or_render(
        identity, render, timeout=lambda: OWN_PAGES_SECONDS, prefetched=prefetched
    )
    return page
