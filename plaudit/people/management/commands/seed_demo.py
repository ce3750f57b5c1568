"""``manage.py seed_demo``: a small company with six months of history, created once.

Everything goes through the same services the API uses, so demo balances are real
ledger transactions, on a clock set back in time (:mod:`plaudit.demo.clock`): the
company (:mod:`plaudit.demo.company`) is hired six months ago and its history
(:mod:`plaudit.demo.history`) happens month by month up to today. Running it again
changes nothing and prints the sign-ins.
"""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.translation import gettext as _

from plaudit.demo import company
from plaudit.demo.clock import HISTORY_MONTHS, Timeline, history_clock
from plaudit.demo.company import DEMO_PASSWORD
from plaudit.demo.history import play_history
from plaudit.ledger.services import grant_points
from plaudit.people.models import User
from plaudit.people.services import create_person
from plaudit.recognition.models import CelebrationMilestone, CompanyValue, Occasion
from plaudit.rewards.services import create_reward

__all__ = ["DEMO_PASSWORD", "Command"]


class Command(BaseCommand):
    help = (
        "Create a demo company with six months of history (kudos, redemptions, grants, "
        "celebrations, imports) once; print sign-ins."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if User.objects.filter(email=company.PEOPLE[0].email).exists():
            self.stdout.write(_("Demo data is already loaded."))
        else:
            # Every kudos and decision notifies someone; with the development console
            # backend that is hundreds of emails printed over the sign-ins. They stay in memory.
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
                self._seed()
            self.stdout.write(self.style.SUCCESS(_("Demo data loaded.")))
        sign_in = _("Sign in with any of these (password: %(password)s):")
        self.stdout.write("\n" + sign_in % {"password": DEMO_PASSWORD})
        for person in company.PEOPLE:
            role = User.objects.get(email=person.email).get_role_display()
            self.stdout.write(f"  {person.email:<24} {person.first} {person.last} ({role})")

    @transaction.atomic
    def _seed(self) -> None:
        timeline = Timeline(timezone.now())
        first_morning = timeline.bounds(1 - HISTORY_MONTHS)[0] + timedelta(hours=8)
        with history_clock(first_morning, latest=timeline.now) as clock:
            people: dict[str, User] = {}
            for person in company.PEOPLE:
                hired = timeline.calendar_day(person.hired.month, person.hired.day)
                born = timeline.calendar_day(person.born.month, person.born.day)
                people[person.key] = create_person(
                    actor=None,  # the operator, at the command line
                    email=person.email,
                    first_name=person.first,
                    last_name=person.last,
                    employee_id=person.employee_id,
                    department=person.department,
                    title=person.title,
                    role=person.role,
                    manager=people[person.manager] if person.manager else None,
                    salary=Decimal(person.salary),
                    hire_date=hired.replace(year=hired.year - person.years),
                    birth_date=born.replace(year=person.born_in),
                )
            # One published password: hashed once, not eight times (Argon2 takes a good
            # fraction of a second per hash, on purpose).
            User.objects.filter(pk__in=[p.pk for p in people.values()]).update(
                password=make_password(DEMO_PASSWORD)
            )
            hr = people["hr"]
            self._open_the_programme(hr)
            for index, someone in enumerate(people.values()):
                grant_points(
                    user=someone,
                    amount=400 + 150 * index,
                    reason="Welcome to Plaudit",
                    granted_by=hr,
                )
            play_history(timeline=timeline, clock=clock, people=people)

    def _open_the_programme(self, hr: User) -> None:
        """The catalog, the company's values and what it gives on birthdays and anniversaries."""
        now = timezone.now()
        for name, category, cost, stock, limit, description in company.REWARDS:
            create_reward(
                actor=hr,
                name=name,
                category=category,
                cost=cost,
                stock=stock,
                per_user_limit=limit,
                description=description,
                available_from=now - timedelta(days=1),
                translations=company.REWARD_TRANSLATIONS.get(name, {}),
            )
        for slug, name, emoji in company.VALUES:
            CompanyValue.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "emoji": emoji,
                    "translations": company.VALUE_TRANSLATIONS.get(slug, {}),
                },
            )
        # As the milestones API saves them: HR's settings, no service of their own.
        CelebrationMilestone.objects.bulk_create(
            [
                CelebrationMilestone(occasion=Occasion.BIRTHDAY, points=company.BIRTHDAY_POINTS),
                CelebrationMilestone(
                    occasion=Occasion.ANNIVERSARY, points=company.ANNIVERSARY_POINTS
                ),
                CelebrationMilestone(
                    occasion=Occasion.ANNIVERSARY,
                    years=1,
                    points=company.FIRST_ANNIVERSARY_POINTS,
                ),
            ]
        )
