"""CPU milliseconds per request of the hottest API reads, in-process (no server, no network).

Measures ``time.process_time()`` over N Django test-client requests per endpoint, as one
employee with ledger lines, after a warm-up; fails if any timed response is not 200.
Run on the database ``bench/load.py`` seeded; compare trees in the same run (the machine
is shared and noisy: take the minimum of several alternating rounds)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/plaudit_perf \\
    REDIS_URL=redis://127.0.0.1:6379/10 ALLOWED_HOSTS=localhost \\
    THROTTLE_USER_RATE=100000000/min PYTHONPATH=. \\
    .venv/bin/python bench/cpu_per_request.py [--requests 200] [--profile /api/v1/recognitions/]
"""

import argparse
import cProfile
import os
import pstats
import time
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from rest_framework_simplejwt.tokens import AccessToken  # noqa: E402

from plaudit.ledger.models import AccountKind, Entry  # noqa: E402
from plaudit.people.models import User  # noqa: E402
from plaudit.people.roles import Role  # noqa: E402

ENDPOINTS = [
    "/health/",
    "/api/v1/me/",
    "/api/v1/rewards/",
    "/api/v1/recognitions/",
    "/api/v1/points/entries/",
]


def queries_of(client: Client, url: str) -> int:
    """How many queries one (warm) request runs."""
    queries: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    return len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--profile", help="cProfile this endpoint instead of timing it")
    args = parser.parse_args()

    owner = (
        Entry.objects.filter(account__owner__role=Role.EMPLOYEE, account__kind=AccountKind.BALANCE)
        .values_list("account__owner", flat=True)
        .first()
    )
    if owner is None:
        raise SystemExit("No employee has ledger lines: seed the database with bench/load.py.")
    user = User.objects.get(pk=owner)
    client = Client(
        SERVER_NAME="localhost", HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}"
    )
    for url in ENDPOINTS:
        assert client.get(url).status_code == 200, url
        for _ in range(20):
            client.get(url)
        queries = queries_of(client, url)
        if url == args.profile:
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(args.requests):
                client.get(url)
            profile.disable()
            pstats.Stats(profile).sort_stats("cumulative").print_stats(60)
            continue
        started = time.process_time()
        codes = {client.get(url).status_code for _ in range(args.requests)}
        spent = (time.process_time() - started) * 1000 / args.requests
        assert codes == {200}, (url, codes)
        print(f"{url:26s} {spent:6.2f} ms CPU/request  {queries} queries")


if __name__ == "__main__":
    main()
