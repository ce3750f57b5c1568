"""Which import runs are alive: a PostgreSQL advisory lock held for each run.

A run takes a session-level advisory lock, keyed by its job and attempt, on a
connection of its own, and keeps it until it ends. PostgreSQL releases the lock
the moment that connection closes, and a process that is killed closes its
connections with it (a machine that is lost closes nothing: TCP keepalives end its
session within about a minute). So a job marked ``running`` whose lock nobody holds
has lost its worker, known at once, with no heartbeat to wait out.

Its own connection because Django's may be closed between the run's transactions,
or returned to a pool with the lock still on it. On other databases (SQLite, the
embedded default, where imports run inline in the request) there are no leases
and no run is ever reported dead.
"""

from types import TracebackType
from typing import Any

from django.db import connections, router

from .models import ImportJob

# The lease's session: named in pg_stat_activity, never ended for being idle (it is idle
# for the whole run), and probed with TCP keepalives from both ends, so the lock outlives
# a lost machine by about a minute rather than the operating system's two hours.
OPTIONS = (
    "-c tcp_keepalives_idle=30 -c tcp_keepalives_interval=10 -c tcp_keepalives_count=3"
    " -c idle_session_timeout=0"
)
SESSION = {
    "application_name": "plaudit import lease",
    "keepalives": 1,
    "keepalives_idle": 30,
    "keepalives_interval": 10,
    "keepalives_count": 3,
}
LOCK_KEY_SQL = "hashtextextended('plaudit.imports.run:' || %s::text || ':' || %s::text, 0)"


def _database() -> Any:
    return connections[router.db_for_write(ImportJob)]


def supported() -> bool:
    return bool(_database().vendor == "postgresql")


class RunLease:
    """Held by a running attempt of an import job, for as long as it runs."""

    def __init__(self, job_id: int, attempt: int) -> None:
        self.key = (job_id, attempt)
        self._connection: Any = None

    def acquire(self) -> "RunLease":
        """Take the lease; the attempt is new, so it is free unless something is wrong."""
        if not supported():
            return self
        database = _database()
        params = database.get_connection_params()
        options = f"{params.get('options', '')} {OPTIONS}".strip()
        self._connection = database.Database.connect(
            **{**params, **SESSION, "options": options}, autocommit=True
        )
        try:
            taken = self._connection.execute(
                f"SELECT pg_try_advisory_lock({LOCK_KEY_SQL})", self.key
            ).fetchone()[0]
            if not taken:
                raise RuntimeError(f"The lease of import {self.key} is held already.")
        except BaseException:
            self.release()
            raise
        return self

    def release(self) -> None:
        """Give the lock back, then close its session.

        Closing alone would free the lock too, but only once the server has noticed the
        session end, a moment after ``close()`` returns: a check made at once (a resume
        sweep in the same process) could still find it held. An explicit unlock is done
        when it returns; a session already broken has lost the lock with it.
        """
        if self._connection is None:
            return
        connection, self._connection = self._connection, None
        try:
            connection.execute(f"SELECT pg_advisory_unlock({LOCK_KEY_SQL})", self.key)
        except Exception:  # noqa: S110 - the session is gone, and its lock with it
            pass
        finally:
            connection.close()

    def __enter__(self) -> "RunLease":
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()


def is_held(job_id: int, attempt: int) -> bool:
    """Whether a live session holds the lease of this attempt (true if we cannot tell)."""
    if not supported():
        return True
    with _database().cursor() as cursor:
        cursor.execute(f"SELECT pg_try_advisory_lock({LOCK_KEY_SQL})", [job_id, attempt])
        if not cursor.fetchone()[0]:
            return True
        cursor.execute(f"SELECT pg_advisory_unlock({LOCK_KEY_SQL})", [job_id, attempt])
    return False
