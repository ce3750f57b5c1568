"""``manage.py seed_demo``: a small company to try Plaudit with, created once.

Everything goes through the same services the API uses, so demo balances are
real ledger transactions. Running it again changes nothing and prints the sign-ins.
"""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from plaudit.ledger.services import grant_points
from plaudit.people.models import User
from plaudit.people.roles import Role
from plaudit.people.services import create_person
from plaudit.recognition.models import CompanyValue
from plaudit.recognition.services import Gift, add_comment, give_recognition, react
from plaudit.rewards.services import create_reward

DEMO_PASSWORD = "plaudit-demo-2026"  # noqa: S105 — a published demo sign-in, never a real one

PEOPLE = [
    # email, first, last, employee_id, department, title, role, manager email, salary, hired
    (
        "hr@plaudit.example",
        "Hana",
        "Rossi",
        "E0001",
        "People Ops",
        "Head of People",
        Role.HR_ADMIN,
        None,
        "98000",
        date(2018, 3, 1),
    ),
    (
        "maya@plaudit.example",
        "Maya",
        "Okafor",
        "E0002",
        "Engineering",
        "Engineering Manager",
        Role.MANAGER,
        None,
        "125000",
        date(2019, 6, 17),
    ),
    (
        "leo@plaudit.example",
        "Leo",
        "Martin",
        "E0003",
        "Sales",
        "Sales Manager",
        Role.MANAGER,
        None,
        "110000",
        date(2020, 1, 6),
    ),
    (
        "ana@plaudit.example",
        "Ana",
        "Silva",
        "E0004",
        "Engineering",
        "Backend Engineer",
        Role.EMPLOYEE,
        "maya@plaudit.example",
        "92000",
        date(2021, 9, 13),
    ),
    (
        "ben@plaudit.example",
        "Ben",
        "Cohen",
        "E0005",
        "Engineering",
        "Frontend Engineer",
        Role.EMPLOYEE,
        "maya@plaudit.example",
        "88000",
        date(2022, 2, 1),
    ),
    (
        "chloe@plaudit.example",
        "Chloe",
        "Dubois",
        "E0006",
        "Engineering",
        "SRE",
        Role.EMPLOYEE,
        "maya@plaudit.example",
        "95000",
        date(2020, 11, 30),
    ),
    (
        "dev@plaudit.example",
        "Dev",
        "Patel",
        "E0007",
        "Sales",
        "Account Executive",
        Role.EMPLOYEE,
        "leo@plaudit.example",
        "70000",
        date(2023, 4, 3),
    ),
    (
        "eva@plaudit.example",
        "Eva",
        "Novak",
        "E0008",
        "Sales",
        "Sales Development Rep",
        Role.EMPLOYEE,
        "leo@plaudit.example",
        "62000",
        date(2024, 7, 22),
    ),
]

REWARDS = [
    # name, category, cost, stock, per-person limit, description
    ("Coffee voucher", "Food & drink", 50, None, None, "A coffee on the company, any café nearby."),
    ("Plaudit hoodie", "Swag", 300, 25, 1, "Soft, warm and very purple."),
    (
        "Extra day off",
        "Time off",
        1000,
        None,
        2,
        "One more day of annual leave, agreed with your manager.",
    ),
    ("Team lunch", "Food & drink", 600, 10, 1, "Lunch for you and up to four colleagues."),
    ("Book of your choice", "Learning", 200, None, 3, "Any book up to 40 EUR."),
    ("Conference ticket", "Learning", 2500, 2, 1, "A ticket to a conference in your field."),
]


VALUES = [
    # slug, name, emoji
    ("teamwork", "Teamwork", "🤝"),
    ("ownership", "Ownership", "🎯"),
    ("customer-love", "Customer love", "💙"),
]

# A feed to look at on first sign-in, among people the README's walkthrough leaves alone.
KUDOS = [
    # giver, {recipient: points}, message (#values named in it), {person: emoji reacted},
    # {person: comment}
    (
        "maya",
        {"ben": 20, "chloe": 20},
        "For covering the on-call weekend and writing it all down for us. #teamwork",
        {"ben": "🎉", "hr": "👏"},
        {},
    ),
    (
        "leo",
        {"dev": 15},
        "Thanks for the demo that closed the deal! #customer-love",
        {"eva": "🙌"},
        {},
    ),
    (
        "chloe",
        {"ben": 10},
        "Ben paired with me on the flaky deploy until it was green. #ownership",
        {},
        {},
    ),
    (
        "eva",
        {"dev": 5},
        "Dev walked me through my first renewal call.",
        {"dev": "❤️"},
        {"dev": "Any time, Eva!"},
    ),
]


class Command(BaseCommand):
    help = (
        "Create a demo company (people, departments, rewards, balances, kudos) once; "
        "print sign-ins."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if User.objects.filter(email=PEOPLE[0][0]).exists():
            self.stdout.write("Demo data is already loaded.")
        else:
            # The welcome grants notify everyone; with the development console backend
            # that is eight full emails printed over the sign-ins. They stay in memory.
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
                self._seed()
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"\nSign in with any of these (password: {DEMO_PASSWORD}):")
        for email, first, last, *_rest in PEOPLE:
            role = User.objects.get(email=email).get_role_display()
            self.stdout.write(f"  {email:<24} {first} {last} ({role})")

    @transaction.atomic
    def _seed(self) -> None:
        people: dict[str, User] = {}
        for (
            email,
            first,
            last,
            employee_id,
            department,
            title,
            role,
            manager,
            salary,
            hired,
        ) in PEOPLE:
            people[email] = create_person(
                actor=None,  # the operator, at the command line
                email=email,
                first_name=first,
                last_name=last,
                employee_id=employee_id,
                department=department,
                title=title,
                role=role,
                manager=people[manager] if manager else None,
                salary=Decimal(salary),
                hire_date=hired,
                password=DEMO_PASSWORD,
                is_staff=email == PEOPLE[0][0],  # the HR admin may use the Django admin
            )
        hr = people[PEOPLE[0][0]]

        now = timezone.now()
        for name, category, cost, stock, limit, description in REWARDS:
            create_reward(
                actor=hr,
                name=name,
                category=category,
                cost=cost,
                stock=stock,
                per_user_limit=limit,
                description=description,
                available_from=now - timedelta(days=1),
            )
        for index, person in enumerate(people.values()):
            grant_points(
                user=person, amount=400 + 150 * index, reason="Welcome to Plaudit", granted_by=hr
            )
        self._recognise({email.split("@")[0]: person for email, person in people.items()})

    def _recognise(self, people: dict[str, User]) -> None:
        for slug, name, emoji in VALUES:
            CompanyValue.objects.get_or_create(slug=slug, defaults={"name": name, "emoji": emoji})
        for giver, points, message, reactions, comments in KUDOS:
            recognition = give_recognition(
                giver=people[giver],
                message=message,
                gifts=[Gift(people[person], amount) for person, amount in points.items()],
            )
            for person, emoji in reactions.items():
                react(user=people[person], recognition=recognition, emoji=emoji)
            for person, body in comments.items():
                add_comment(author=people[person], recognition=recognition, body=body)
