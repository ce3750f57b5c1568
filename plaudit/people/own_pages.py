"""What only one person reads (``/me/``, their ledger pages), cached under a version of
their own.

Any change to the person or their department (:func:`forget_cached_people`) and every
transaction on their accounts (``post_transaction``, after commit) replace the version,
so all their pages become stale at once: one ``MSET`` for everyone a change touched.
"""

from collections.abc import Iterable
from typing import Any

from plaudit.core.cache import VersionedPages

OWN_PAGES_SECONDS = 300


def own_pages(person_id: Any) -> VersionedPages:
    return VersionedPages(f"people:own:{person_id}")


def forget_own_pages(person_ids: Iterable[Any]) -> None:
    """Every cached page of theirs becomes unreachable, in one round trip."""
    VersionedPages.invalidate_all(own_pages(person_id) for person_id in set(person_ids))
