"""The redemption, replay and kudos races against a real server on the embedded SQLite.

``make run``'s conditions, made harsher: a fresh SQLite file, ``manage.py runserver
--noasgi`` (Django's WSGI server: one process, a thread per request; ``make run``'s
Daphne one runs views one at a time), no other service; ``--server gunicorn`` runs two
processes of eight threads instead. Each race sends its requests from their own threads
and connections, released together, and tallies the answers. A round is exact when the
database then holds what PostgreSQL gives: the one item sold once, seven of the twenty
redemptions, one redemption for the key, six of the twenty kudos. The figures are in
docs/reliability.md. Usage: ``.venv/bin/python bench/sqlite_races.py [--rounds 3]``.
"""

import argparse
import logging
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
WORKDIR = Path(tempfile.mkdtemp(prefix="plaudit-sqlite-races-"))
os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR / 'db.sqlite3'}"
for name in ("REDIS_URL", "CHANNELS_REDIS_URL", "CELERY_BROKER_URL"):
    os.environ.pop(name, None)
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()
logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request otherwise

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from rest_framework_simplejwt.tokens import AccessToken  # noqa: E402

from plaudit.ledger.selectors import allowance_remaining, balance_of, ledger_problems  # noqa: E402
from plaudit.ledger.services import grant_points  # noqa: E402
from plaudit.people.models import User  # noqa: E402
from plaudit.recognition.models import Recognition  # noqa: E402
from plaudit.rewards.models import Redemption, Reward  # noqa: E402
from plaudit.rewards.services import create_reward  # noqa: E402

Answer = tuple[int, str | None, bool]  # status, problem code, replayed
Outcome = tuple[list[Answer], bool, float]  # the answers, exact or not, wall seconds


def person(name: str, points: int = 0) -> tuple[User, str]:
    user = User.objects.create_user(email=f"{name}@example.com", password=None)
    if points:
        grant_points(user=user, amount=points, reason="Race", granted_by=None)
    return user, str(AccessToken.for_user(user))


def reward(cost: int, stock: int | None) -> Reward:
    return create_reward(
        name=f"Reward {time.perf_counter_ns()}",
        description="A race.",
        category="Race",
        cost=cost,
        stock=stock,
        per_user_limit=None,
    )


def all_at_once(
    base: str, requests: list[tuple[str, str, dict, dict]]
) -> tuple[list[Answer], float]:
    """(token, path, body, headers) each from its own thread and connection, released together."""
    barrier = threading.Barrier(len(requests))
    answers: list[Any] = [None] * len(requests)

    def send(index: int, token: str, path: str, body: dict, headers: dict) -> None:
        with httpx.Client(base_url=base, timeout=180) as client:
            barrier.wait()
            try:
                response = client.post(
                    path, json=body, headers={"Authorization": f"Bearer {token}", **headers}
                )
            except httpx.TransportError as exc:  # no answer at all: counted as such
                answers[index] = (0, type(exc).__name__, False)
                return
        code = response.json().get("code") if response.status_code >= 400 else None
        replayed = response.headers.get("Idempotent-Replayed") == "true"
        answers[index] = (response.status_code, code, replayed)

    threads = [threading.Thread(target=send, args=(i, *r)) for i, r in enumerate(requests)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers, time.perf_counter() - started


def last_item(base: str, n: int) -> Outcome:
    item = reward(cost=100, stock=1)
    people = [person(f"stock{n}-{i}", 100) for i in range(20)]
    body = {"reward": item.pk}
    answers, seconds = all_at_once(base, [(t, "/api/v1/redemptions/", body, {}) for _, t in people])
    item.refresh_from_db()
    exact = item.stock == 0 and Redemption.objects.filter(reward=item).count() == 1
    return answers, exact, seconds


def one_balance(base: str, n: int) -> Outcome:
    spender, token = person(f"balance{n}", 750)
    rewards = [reward(cost=100, stock=None) for _ in range(4)]
    requests = [
        (token, "/api/v1/redemptions/", {"reward": rewards[i % 4].pk}, {}) for i in range(20)
    ]
    answers, seconds = all_at_once(base, requests)
    made = Redemption.objects.filter(user=spender).count()
    return answers, made == 7 and balance_of(spender) == 50, seconds


def one_key(base: str, n: int) -> Outcome:
    spender, token = person(f"key{n}", 1000)
    item = reward(cost=100, stock=5)
    key = {"Idempotency-Key": f"order-{n}"}
    answers, seconds = all_at_once(
        base, [(token, "/api/v1/redemptions/", {"reward": item.pk}, key)] * 10
    )
    made = Redemption.objects.filter(user=spender).count()
    return answers, made == 1 and balance_of(spender) == 900, seconds


def one_allowance(base: str, n: int) -> Outcome:
    giver, token = person(f"giver{n}")
    people = [person(f"thanked{n}-{i}")[0] for i in range(4)]
    requests = [
        (
            token,
            "/api/v1/recognitions/",
            {"message": f"Thanks #{i}", "recipients": [{"user": people[i % 4].pk, "points": 15}]},
            {},
        )
        for i in range(20)
    ]
    answers, seconds = all_at_once(base, requests)
    given = Recognition.objects.filter(giver=giver).count()
    return answers, given == 6 and allowance_remaining(giver) == 10, seconds


RACES: dict[str, Callable[[str, int], Outcome]] = {
    "20 people, the last item of a reward": last_item,
    "20 redemptions of 100 on a balance of 750": one_balance,
    "one Idempotency-Key sent 10 times": one_key,
    "20 kudos of 15 on an allowance of 100": one_allowance,
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve(server: str, port: int) -> subprocess.Popen:
    python = sys.executable
    command = {
        "runserver": [
            python,
            "manage.py",
            "runserver",
            f"127.0.0.1:{port}",
            "--noreload",
            "--noasgi",
        ],
        "gunicorn": [
            str(Path(python).parent / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--worker-class",
            "gthread",
            "--workers",
            "2",
            "--threads",
            "8",
        ],
    }[server]
    log = WORKDIR / "server.log"
    with log.open("wb") as output:  # a pipe nobody reads would block the server once full
        process = subprocess.Popen(command, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)
    for _ in range(100):
        try:
            httpx.get(f"http://127.0.0.1:{port}/health/", timeout=1)
            return process
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"the server did not start: see {log}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--server", choices=["runserver", "gunicorn"], default="runserver")
    parser.add_argument("--only", default="", help="run the races whose name has this text")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal_mode = cursor.fetchone()[0]
    port = free_port()
    server = serve(args.server, port)
    print(f"{args.server} on {os.environ['DATABASE_URL']} (journal_mode={journal_mode})")
    try:
        for name, race in RACES.items():
            if args.only not in name:
                continue
            tally: Counter = Counter()
            exact, slowest = 0, 0.0
            for n in range(args.rounds):
                answers, was_exact, seconds = race(f"http://127.0.0.1:{port}", n)
                tally.update(answers)
                exact += was_exact
                slowest = max(slowest, seconds)
            figures = ", ".join(
                f"{count} x {status}{' ' + code if code else ''}{' replayed' if replayed else ''}"
                for (status, code, replayed), count in sorted(tally.items(), key=str)
            )
            print(
                f"{name}: {figures}; exact in {exact} of {args.rounds} rounds; "
                f"slowest round {slowest:.1f} s"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"ledger problems: {ledger_problems() or 'none'}")


if __name__ == "__main__":
    main()
