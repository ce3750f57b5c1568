"""When to try again what Plaudit retries on its own schedule: an outbox event one of
whose consumers failed, and a webhook delivery the receiver did not accept.

Both keep their next attempt in a ``next_attempt_at`` column that the beat sweeps read,
so the schedule is one function here. (A Celery task that fails on infrastructure, a
database or SMTP server out of reach, is retried by Celery's own ``retry_backoff``: see
:mod:`.tasks`.)
"""

import random
from datetime import datetime, timedelta

FIRST_WAIT = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=1)


def next_attempt_at(attempts: int, *, now: datetime) -> datetime:
    """After ``attempts`` failed attempts: about 30 s, 1, 2, 4 ... minutes on, at most an
    hour, each wait scaled by a random 0.5 to 1.

    The jitter spreads the retries of many things that failed together (one outage),
    so they do not all come back in the same second; it never goes below half, so a
    batch never picks up again at once what just failed in it.
    """
    doublings = min(max(attempts - 1, 0), 16)  # 30 s doubled 7 times is past the hour already
    ceiling = min(LONGEST_WAIT, FIRST_WAIT * 2**doublings)
    return now + ceiling * random.uniform(0.5, 1.0)
