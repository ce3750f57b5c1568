"""The ledger's one signal: a transaction was posted.

``transaction_posted`` is sent by :func:`~.services.post_transaction` inside the
transaction that posts, with ``transaction`` (the new row) and ``accounts`` (the
accounts it moved, in primary-key order, as the caller read them: their ``balance``
is from before the posting). Receivers that act outside the database defer it to
after commit; the ledger does not know who listens (live balances, for one).
"""

from django.dispatch import Signal

transaction_posted = Signal()
