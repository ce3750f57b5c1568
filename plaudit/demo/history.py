"""Six months of the demo company's life, played through the services on the demo clock.

Kudos with company values, reactions and comments; redemptions that end in every state;
HR's grants; birthdays and work anniversaries; a catalog import and an employees import.
Each step is a service call at its moment (:mod:`.clock`), and the outbox is drained
after it as the on-commit drain would, so notifications arrive when the thing happened.

Deterministic: the kudos come from a fixed random seed and the rest from a script, both
placed by month and fraction of a month, so a fresh database gets the same ids, balances
and counts on any day. Only the dates move with the day of seeding.
"""

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management.base import CommandError

from plaudit.core.after_commit import run_after_commit
from plaudit.events.dispatch import claim_drain, deliver_all_pending, release_drain
from plaudit.events.models import OutboxEvent
from plaudit.events.services import mark_all_read, update_preferences
from plaudit.imports import attempts, jobs
from plaudit.imports.models import ImportKind, ImportStatus
from plaudit.ledger.services import grant_points
from plaudit.people.models import User
from plaudit.people.roles import Role
from plaudit.recognition.celebrations import celebrate_occasions
from plaudit.recognition.models import Recognition
from plaudit.recognition.services import Gift, add_comment, give_recognition, react
from plaudit.rewards.models import Reward
from plaudit.rewards.services import (
    approve_redemption,
    cancel_redemption,
    fulfil_redemption,
    redeem_reward,
    reject_redemption,
)

from . import company
from .clock import HISTORY_MONTHS, DemoClock, Timeline

SEED = 2026
PAST_MONTHS = range(1 - HISTORY_MONTHS, 0)  # -5 .. -1
KUDOS_PER_PAST_MONTH = 12
KUDOS_THIS_MONTH = 4  # besides the featured ones below


@dataclass(frozen=True)
class Kudos:
    giver: str
    points: dict[str, int]
    message: str
    reactions: dict[str, str] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)


# This month's, the last in the feed's first page: a thank-you for Ana, whose pages the
# screenshots show, and kudos among people the README's tour leaves alone.
FEATURED = [
    (
        0.55,
        Kudos(
            "maya",
            {"ben": 20, "chloe": 20},
            "For covering the on-call weekend and writing it all down for us. #teamwork",
            {"ben": "🎉", "hr": "👏"},
        ),
    ),
    (
        0.6,
        Kudos(
            "leo",
            {"dev": 15},
            "Thanks for the demo that closed the deal! #customer-love",
            {"eva": "🙌"},
        ),
    ),
    (
        0.7,
        Kudos(
            "ben",
            {"ana": 25},
            "Ana untangled the flaky deploy in an afternoon. #ownership",
            {"chloe": "🔥", "maya": "👏"},
            {"ana": "It was a team effort, thanks Ben!"},
        ),
    ),
    (
        0.8,
        Kudos(
            "eva",
            {"dev": 5},
            "Dev walked me through my first renewal call.",
            {"dev": "❤️"},
            {"dev": "Any time, Eva!"},
        ),
    ),
    (
        0.9,
        Kudos(
            "maya",
            {"ana": 30},
            "For the clearest design doc of the quarter. #teamwork",
            {"hr": "💯"},
        ),
    ),
]

# month, fraction, who, reward, how it ends (a rejection gives its reason)
REDEMPTIONS: list[tuple[int, float, str, str, str]] = [
    (-5, 0.30, "ben", "Coffee voucher", "fulfilled"),
    (-5, 0.55, "leo", "Book of your choice", "fulfilled"),
    (-4, 0.25, "chloe", "Book of your choice", "fulfilled"),
    (
        -4,
        0.40,
        "dev",
        "Extra day off",
        "rejected:We are short-handed until the new hire starts; ask me again next month.",
    ),
    (-4, 0.60, "eva", "Team lunch", "cancelled"),
    (-3, 0.20, "ana", "Coffee voucher", "fulfilled"),
    (-3, 0.45, "dev", "Plaudit hoodie", "fulfilled"),
    (-3, 0.70, "maya", "Team lunch", "fulfilled"),
    (-2, 0.15, "ben", "Plaudit hoodie", "fulfilled"),
    (-2, 0.35, "ana", "Book of your choice", "fulfilled"),
    (-2, 0.50, "chloe", "Extra day off", "fulfilled"),
    (-2, 0.75, "eva", "Donation to a charity", "fulfilled"),
    (-1, 0.20, "dev", "Extra day off", "fulfilled"),
    (
        -1,
        0.40,
        "ben",
        "Team lunch",
        "rejected:The team lunch budget is spent for this quarter; the coffee is on me instead.",
    ),
    (-1, 0.60, "finn", "Desk plant", "fulfilled"),
    (-1, 0.85, "leo", "Coffee voucher", "approved"),
    (0, 0.10, "dev", "Coffee voucher", "approved"),
    (0, 0.30, "chloe", "Book of your choice", "pending"),
    (0, 0.40, "gia", "Coffee voucher", "cancelled"),
    (0, 0.50, "eva", "Desk plant", "pending"),
]

# month, fraction, who, points each, why
GRANTS = [
    (-4, 0.65, ["ben", "chloe"], 150, "Hackathon winners: the on-call dashboard"),
    (-2, 0.80, ["dev"], 300, "Closed the biggest deal of the quarter"),
    (-1, 0.50, ["eva"], 200, "Ran the customer advisory day"),
]

DEPARTMENTS = {
    **{person.key: person.department for person in company.PEOPLE},
    "finn": "Engineering",
    "gia": "Sales",
}
MANAGERS = {person.key for person in company.PEOPLE if person.role == Role.MANAGER}


def monthly_allowance(key: str) -> int:
    """The person's giving allowance, as ``monthly_allowance_for`` will find it (the new
    hires are employees)."""
    setting = "MANAGER_MONTHLY_ALLOWANCE" if key in MANAGERS else "MONTHLY_ALLOWANCE"
    return int(settings.PLAUDIT[setting])


class History:
    """The steps of the six months, each at its moment, played in order."""

    def __init__(self, *, timeline: Timeline, clock: DemoClock, people: dict[str, User]) -> None:
        self.timeline = timeline
        self.clock = clock
        self.people = people
        self.hr = people["hr"]
        self.rewards = {reward.name: reward for reward in Reward.all_objects.all()}
        self.steps: list[tuple[datetime, int, Callable[[], Any]]] = []
        self.rng = random.Random(SEED)

    def at(self, moment: datetime, step: Callable[[], Any]) -> None:
        self.steps.append((moment, len(self.steps), step))

    def play(self) -> None:
        self._celebrations()
        self._imports()
        self._grants()
        self._redemptions()
        for month in (*PAST_MONTHS, 0):
            self._kudos(month)
        self._emails(enabled=False)
        day = None
        for moment, _, step in sorted(self.steps, key=lambda step: step[:2]):
            if moment.date() != day:
                self._deliver()  # the day's notifications, as its drains delivered them
                day = moment.date()
            self.clock.set(moment)
            step()
        self._deliver()
        self._emails(enabled=True)
        # Every event is delivered. The seed holds the drain's claim across its commit, as
        # a running drain does, so the drains its changes queued for after the commit do
        # not each run to find the outbox empty (with Redis: the embedded default's cache
        # cannot hold a claim for anyone, so there they run, and find nothing).
        claim_drain()
        run_after_commit(release_drain)

    def _deliver(self) -> None:
        if OutboxEvent.objects.filter(dispatched_at__isnull=True).exists():
            deliver_all_pending()

    def _emails(self, *, enabled: bool) -> None:
        """Nobody is emailed about the past: those emails would go nowhere, and writing
        hundreds of them would double the seed's time. Today everyone's emails are on."""
        for person in self.people.values():
            update_preferences(user=person, email_enabled=enabled)

    # --- The company's own: celebrations, imports, grants ------------------------------

    def _celebrations(self) -> None:
        """The daily celebration task, every morning of the past months; and at each
        month's end everyone has read their notifications."""
        for month in PAST_MONTHS:
            days = list(self.timeline.days(month))
            for day in days:
                self.at(day + timedelta(hours=7), partial(self._celebrate, day))
            last_evening = days[-1] + timedelta(hours=19)
            self.at(last_evening, self._everyone_reads)

    def _celebrate(self, day: datetime) -> None:
        celebrate_occasions(today=day.date(), catch_up_days=1)

    def _everyone_reads(self) -> None:
        for person in self.people.values():
            mark_all_read(user=person)

    def _imports(self) -> None:
        catalog = self.timeline.at(company.CATALOG_MONTH, 0.1)
        self.at(catalog, partial(self._import, ImportKind.REWARDS, company.CATALOG_CSV, True))
        self.at(
            catalog + timedelta(minutes=10),
            partial(self._import, ImportKind.REWARDS, company.CATALOG_CSV, False),
        )
        hiring = self.timeline.at(company.NEW_HIRES_MONTH, 0.05)
        hired = company.NEW_HIRES_CSV.format(hired=hiring.date().isoformat())
        self.at(hiring, partial(self._import, ImportKind.EMPLOYEES, hired, False))
        self.at(hiring + timedelta(minutes=5), self._welcome_new_hires)

    def _import(self, kind: ImportKind, text: str, dry_run: bool) -> None:
        """Upload a file as HR does, and run it as the import task would."""
        job = jobs.start_import(
            upload=ContentFile(text.encode(), name=f"{kind}.csv"),
            kind=kind,
            created_by=self.hr,
            dry_run=dry_run,
            in_background=False,
        )
        done = attempts.process_import(job_id=job.pk) or job
        if done.status != ImportStatus.SUCCEEDED or done.failed:
            raise CommandError(f"The demo's {kind} import #{done.pk} did not go through.")
        if kind == ImportKind.REWARDS and not dry_run:
            self.rewards = {reward.name: reward for reward in Reward.all_objects.all()}

    def _welcome_new_hires(self) -> None:
        for key in company.NEW_HIRES:
            self.people[key] = User.objects.get(email=f"{key}@plaudit.example")
            update_preferences(user=self.people[key], email_enabled=False)
            grant_points(
                user=self.people[key], amount=400, reason="Welcome to Plaudit", granted_by=self.hr
            )

    def _grants(self) -> None:
        for month, fraction, keys, amount, reason in GRANTS:
            for key in keys:
                self.at(
                    self.timeline.at(month, fraction), partial(self._grant, key, amount, reason)
                )

    def _grant(self, key: str, amount: int, reason: str) -> None:
        grant_points(user=self.people[key], amount=amount, reason=reason, granted_by=self.hr)

    # --- Redemptions, from request to their end ----------------------------------------

    def _redemptions(self) -> None:
        for month, fraction, key, reward, end in REDEMPTIONS:
            start = self.timeline.at(month, fraction)
            made: list[int] = []
            self.at(start, partial(self._redeem, key, reward, made))
            if end != "pending":
                self.at(start + timedelta(hours=3), partial(self._decide, key, end, made))
            if end == "fulfilled":
                self.at(start + timedelta(days=1), partial(self._fulfil, made))

    def _redeem(self, key: str, reward: str, made: list[int]) -> None:
        redemption = redeem_reward(user=self.people[key], reward_id=self.rewards[reward].pk)
        made.append(redemption.pk)

    def _decider(self, key: str) -> User:
        """The redeemer's manager, or HR for someone without one."""
        person = self.people[key]
        manager = next((p for p in self.people.values() if p.pk == person.manager_id), None)
        return manager or self.hr

    def _decide(self, key: str, end: str, made: list[int]) -> None:
        redemption = made[0]
        if end == "cancelled":
            cancel_redemption(redemption_id=redemption, actor=self.people[key])
        elif end.startswith("rejected:"):
            reject_redemption(
                redemption_id=redemption,
                actor=self._decider(key),
                reason=end.removeprefix("rejected:"),
            )
        else:
            approve_redemption(redemption_id=redemption, actor=self._decider(key))

    def _fulfil(self, made: list[int]) -> None:
        fulfil_redemption(redemption_id=made[0], actor=self.hr)

    # --- Kudos ---------------------------------------------------------------------------

    def _kudos(self, month: int) -> None:
        """The month's featured kudos, then random ones from what allowance is left."""
        spent: dict[str, int] = defaultdict(int)
        planned: list[tuple[float, Kudos]] = []
        if month == 0:
            for fraction, kudos in FEATURED:
                spent[kudos.giver] += sum(kudos.points.values())
                planned.append((fraction, kudos))
        count = KUDOS_THIS_MONTH if month == 0 else KUDOS_PER_PAST_MONTH
        colleagues = [
            key
            for key in DEPARTMENTS
            if month > company.NEW_HIRES_MONTH or key not in company.NEW_HIRES
        ]
        latest = 0.5 if month == 0 else 0.98  # this month's last are the featured ones
        for fraction in sorted(self.rng.uniform(0.02, latest) for _ in range(count)):
            kudos = self._random_kudos(colleagues, spent)
            planned.append((fraction, kudos))
        for fraction, kudos in planned:
            self._plan_kudos(self.timeline.at(month, fraction), kudos)

    def _random_kudos(self, colleagues: list[str], spent: dict[str, int]) -> Kudos:
        rng = self.rng
        giver = rng.choice(colleagues)
        others = [key for key in colleagues if key != giver]
        team = [key for key in others if DEPARTMENTS[key] == DEPARTMENTS[giver]]
        recipients: list[str] = []
        for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
            pool = [key for key in (team * 2 + others) if key not in recipients]
            recipients.append(rng.choice(pool))
        room = monthly_allowance(giver) - spent[giver]
        each = min(rng.choice([5, 10, 10, 15, 20, 25]), room // len(recipients) // 5 * 5)
        spent[giver] += each * len(recipients)
        names = [self._first_name(key) for key in recipients]
        message = rng.choice(company.MESSAGES).format(names=_listed(names))
        reactors = rng.sample(others, rng.choice([0, 1, 1, 2, 2, 3]))
        reactions = {key: rng.choice(company.REACTIONS) for key in reactors}
        comments = {}
        if rng.random() < 0.3:
            comments[rng.choice(recipients)] = rng.choice(company.COMMENTS)
        return Kudos(giver, dict.fromkeys(recipients, each), message, reactions, comments)

    def _first_name(self, key: str) -> str:
        return next((p.first for p in company.PEOPLE if p.key == key), key.title())

    def _plan_kudos(self, moment: datetime, kudos: Kudos) -> None:
        given: list[Recognition] = []
        self.at(moment, partial(self._give, kudos, given))
        later = moment
        for key, emoji in kudos.reactions.items():
            later += timedelta(minutes=13)
            self.at(later, partial(self._react, key, emoji, given))
        for key, body in kudos.comments.items():
            later += timedelta(minutes=21)
            self.at(later, partial(self._comment, key, body, given))

    def _give(self, kudos: Kudos, given: list[Recognition]) -> None:
        recognition = give_recognition(
            giver=self.people[kudos.giver],
            message=kudos.message,
            gifts=[Gift(self.people[key], points) for key, points in kudos.points.items()],
        )
        given.append(recognition)

    def _react(self, key: str, emoji: str, given: list[Recognition]) -> None:
        react(user=self.people[key], recognition=given[0], emoji=emoji)

    def _comment(self, key: str, body: str, given: list[Recognition]) -> None:
        add_comment(author=self.people[key], recognition=given[0], body=body)


def _listed(names: list[str]) -> str:
    """Ana; Ana and Ben; Ana, Ben and Chloe."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def play_history(*, timeline: Timeline, clock: DemoClock, people: dict[str, User]) -> None:
    History(timeline=timeline, clock=clock, people=people).play()
