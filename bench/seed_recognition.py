"""Give the benchmark a lived-in feed: kudos with values, comments, reactions and add-ons.

Run by bench/recognition.py after bench/seed_bench.py (people, points, catalog).
Kudos and add-ons go through the recognition services, so the allowance rules hold
and verify_ledger stays sound; comments and reactions carry no points and are
bulk-inserted. Prints one line of counts.
"""

import os
import random
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from plaudit.people.models import User  # noqa: E402
from plaudit.recognition.models import Comment, Reaction  # noqa: E402
from plaudit.recognition.services import Gift, add_on, create_value, give_recognition  # noqa: E402

KUDOS = int(os.environ.get("BENCH_KUDOS", "400"))
VALUES = [
    ("Teamwork", "teamwork", "🤝"),
    ("Ownership", "ownership", "🧭"),
    ("Craft", "craft", "🛠"),
    ("Customer first", "customer-first", "💙"),
    ("Curiosity", "curiosity", "🔎"),
]
PHRASES = [
    "Thanks for untangling the release pipeline",
    "Brilliant demo to the customer, calm under pressure",
    "You reviewed forty pull requests this week",
    "The migration went without a single page",
    "Great onboarding docs for the new hires",
]
EMOJI = ["🎉", "👏", "❤️", "🚀"]


def main() -> None:
    rng = random.Random(42)  # the same feed on every run
    values = [
        create_value(actor=None, name=n, slug=s, emoji=e, description="") for n, s, e in VALUES
    ]
    people = list(User.objects.filter(is_active=True).order_by("pk"))
    kudos = []
    for n in range(KUDOS):
        giver = people[n % len(people)]
        others = [p for p in rng.sample(people, 4) if p.pk != giver.pk][: rng.randint(1, 3)]
        value = values[n % len(values)]
        kudos.append(
            give_recognition(
                giver=giver,
                message=f"{rng.choice(PHRASES)} #{value.slug}",
                gifts=[Gift(recipient=p, points=rng.randint(0, 5)) for p in others],
                values=[values[(n + 1) % len(values)]] if n % 3 == 0 else [],
            )
        )
    Comment.objects.bulk_create(
        Comment(recognition=r, author=rng.choice(people), body="Well deserved!")
        for n, r in enumerate(kudos)
        for _ in range(n % 4)
    )
    Reaction.objects.bulk_create(
        Reaction(recognition=r, user=people[(n * 7 + k) % len(people)], emoji=emoji)
        for n, r in enumerate(kudos)
        for k, emoji in enumerate(EMOJI[: n % 5])
    )
    joined = 0
    for n, recognition in enumerate(kudos[:100]):
        involved = {
            recognition.giver_id,
            *recognition.awards.values_list("recipient_id", flat=True),
        }
        joiner = people[(n * 13 + 500) % len(people)]
        if joiner.pk not in involved:
            add_on(giver=joiner, recognition=recognition, points=1)
            joined += 1
    print(f"recognitions={len(kudos)} add_ons={joined}")


if __name__ == "__main__":
    main()
