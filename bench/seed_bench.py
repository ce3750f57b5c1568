"""Seed the benchmark database: many people with points, a catalog, a busy feed with
reactions.

Run by bench/load.py with the bench environment; prints one JSON line of ids.
Points are granted through the ledger service, so verify_ledger holds from the start.
"""

import json
import os
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.db import transaction  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402
from rest_framework_simplejwt.tokens import AccessToken  # noqa: E402

from plaudit.ledger.services import grant_points  # noqa: E402
from plaudit.people.models import Department, User  # noqa: E402
from plaudit.people.roles import Role  # noqa: E402
from plaudit.recognition.models import Reaction  # noqa: E402
from plaudit.rewards.services import create_reward  # noqa: E402

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "1000"))
REWARDS = 20
FEED_ITEMS = 300
POINTS_EACH = 1_000_000
EMOJIS = ["🎉", "👏", "❤️", "🙌"]


def main(tokens_path: str) -> None:
    departments = [Department.objects.create(name=f"Dept {n}") for n in range(10)]
    users = User.objects.bulk_create(
        User(
            email=f"bench{n}@example.com",
            first_name=f"Bench{n}",
            last_name=f"Person{n}",
            employee_id=f"B{n:06d}",
            department=departments[n % len(departments)],
            role=Role.MANAGER if n % 20 == 0 else Role.EMPLOYEE,
            password="!",  # unusable: benchmarks sign in with tokens
        )
        for n in range(PEOPLE)
    )
    with transaction.atomic():
        for user in users:
            grant_points(user=user, amount=POINTS_EACH, reason="Benchmark", granted_by=None)
    rewards = [
        create_reward(
            actor=None,  # Plaudit itself, seeding
            name=f"Bench reward {n}",
            description="A benchmark reward.",
            category=f"Cat {n % 4}",
            cost=1,
            stock=None,
            per_user_limit=None,
        )
        for n in range(REWARDS)
    ]
    client = APIClient(SERVER_NAME="localhost")  # a host the bench ALLOWED_HOSTS accepts
    recognition_ids = []
    for n in range(FEED_ITEMS):
        giver, receiver = users[n % PEOPLE], users[(n + 1) % PEOPLE]
        client.force_authenticate(giver)
        response = client.post(
            "/api/v1/recognitions/",
            {"message": f"Thank you for #{n}", "recipients": [{"user": receiver.pk, "points": 1}]},
            format="json",
        )
        if response.status_code == 404:  # recognition not installed in this build
            break
        if response.status_code != 201:
            raise SystemExit(
                f"seeding the feed failed: {response.status_code} {response.content!r}"
            )
        recognition_ids.append(response.json()["id"])
    # Two in three recognitions have one to four reactions, so a feed page has some of
    # the reader's own to mark, as in a company that uses them.
    Reaction.objects.bulk_create(
        Reaction(
            recognition_id=recognition_id,
            user=users[(n * 7 + k) % PEOPLE],
            emoji=EMOJIS[(n + k) % len(EMOJIS)],
        )
        for n, recognition_id in enumerate(recognition_ids)
        if n % 3
        for k in range(1 + n % 4)
    )
    with open(tokens_path, "w") as tokens:
        for user in users:
            tokens.write(f"{user.pk} {AccessToken.for_user(user)}\n")
    print(
        json.dumps(
            {
                "people": [user.pk for user in users],
                "rewards": [reward.pk for reward in rewards],
                "feed_items": len(recognition_ids),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
