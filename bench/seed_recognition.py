"""Make the benchmark feed look lived-in: values, comments, reactions and add-ons.

Run by bench/recognition.py after bench/seed_bench.py (which gives the kudos through
the API). Add-ons go through the recognition service, so the ledger stays sound;
comments and reactions carry no points and are bulk-inserted.
"""

import os
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from plaudit.people.models import User  # noqa: E402
from plaudit.recognition.models import Comment, Reaction, Recognition  # noqa: E402
from plaudit.recognition.services import add_on, create_value  # noqa: E402

VALUES = [
    ("Teamwork", "teamwork", "🤝"),
    ("Ownership", "ownership", "🧭"),
    ("Craft", "craft", "🛠"),
    ("Customer first", "customer-first", "💙"),
    ("Curiosity", "curiosity", "🔎"),
]
EMOJI = ["🎉", "👏", "❤️", "🚀"]


def main() -> None:
    values = [create_value(name=n, slug=s, emoji=e, description="") for n, s, e in VALUES]
    people = list(User.objects.order_by("pk")[:200])
    recognitions = list(Recognition.objects.order_by("pk"))
    through = Recognition.values.through
    through.objects.bulk_create(
        through(recognition=r, companyvalue=values[n % len(values)])
        for n, r in enumerate(recognitions)
    )
    Comment.objects.bulk_create(
        Comment(recognition=r, author=people[(n + k) % len(people)], body=f"Well deserved {k}")
        for n, r in enumerate(recognitions)
        for k in range(n % 4)
    )
    Reaction.objects.bulk_create(
        Reaction(recognition=r, user=people[(n + k * 7) % len(people)], emoji=EMOJI[k])
        for n, r in enumerate(recognitions)
        for k in range(n % 5 if n % 5 < len(EMOJI) else len(EMOJI))
    )
    involved = {
        r.pk: {r.giver_id, *r.awards.values_list("recipient_id", flat=True)}
        for r in recognitions[:60]
    }
    for n, recognition in enumerate(recognitions[:60]):
        joiner = people[(n * 13 + 50) % len(people)]
        if joiner.pk not in involved[recognition.pk]:
            add_on(giver=joiner, recognition=recognition, points=1)
    print(f"values={len(values)} recognitions={len(recognitions)}")


if __name__ == "__main__":
    main()
