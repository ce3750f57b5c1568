"""Who works at the demo company, what its catalog holds, and what people say to each other.

Dates are given relative to the month of seeding (``month`` -5 to -1: inside the six
months of history, so the occasion is celebrated in it; 1 to 6: still to come), so the
same birthdays and work anniversaries fall inside the history whatever the day it is
loaded on.
"""

from dataclasses import dataclass

from plaudit.people.roles import Role

DEMO_PASSWORD = "plaudit-demo-2026"  # noqa: S105 — a published demo sign-in, never a real one


@dataclass(frozen=True)
class Yearly:
    """A date that comes back every year: ``day`` of the month ``month`` months from this one."""

    month: int
    day: int


@dataclass(frozen=True)
class Person:
    key: str  # the email's local part: how the script names them
    first: str
    last: str
    employee_id: str
    department: str
    title: str
    role: Role
    manager: str | None
    salary: str
    years: int  # at the work anniversary that ``hired`` names
    hired: Yearly
    born_in: int
    born: Yearly

    @property
    def email(self) -> str:
        return f"{self.key}@plaudit.example"


PEOPLE = [
    Person(
        "hr", "Hana", "Rossi", "E0001", "People Ops", "Head of People", Role.HR_ADMIN,
        None, "98000", 8, Yearly(-4, 3), 1980, Yearly(3, 5),
    ),
    Person(
        "maya", "Maya", "Okafor", "E0002", "Engineering", "Engineering Manager", Role.MANAGER,
        None, "125000", 7, Yearly(2, 17), 1986, Yearly(-2, 17),
    ),
    Person(
        "leo", "Leo", "Martin", "E0003", "Sales", "Sales Manager", Role.MANAGER,
        None, "110000", 6, Yearly(-1, 6), 1984, Yearly(-5, 12),
    ),
    Person(
        "ana", "Ana", "Silva", "E0004", "Engineering", "Backend Engineer", Role.EMPLOYEE,
        "maya", "92000", 5, Yearly(4, 13), 1994, Yearly(-3, 9),
    ),
    Person(
        "ben", "Ben", "Cohen", "E0005", "Engineering", "Frontend Engineer", Role.EMPLOYEE,
        "maya", "88000", 4, Yearly(-5, 24), 1996, Yearly(1, 2),
    ),
    Person(
        "chloe", "Chloe", "Dubois", "E0006", "Engineering", "SRE", Role.EMPLOYEE,
        "maya", "95000", 6, Yearly(6, 27), 1991, Yearly(-1, 21),
    ),
    Person(
        "dev", "Dev", "Patel", "E0007", "Sales", "Account Executive", Role.EMPLOYEE,
        "leo", "70000", 2, Yearly(-2, 11), 1997, Yearly(5, 19),
    ),
    Person(
        "eva", "Eva", "Novak", "E0008", "Sales", "Sales Development Rep", Role.EMPLOYEE,
        "leo", "62000", 1, Yearly(-3, 15), 1999, Yearly(-4, 27),
    ),
]  # fmt: skip

# Two people hired during the history, through the employees import (month -3). They
# have no password: they are colleagues to thank, not demo sign-ins.
NEW_HIRES_MONTH = -3
NEW_HIRES_CSV = """\
employee_id,email,first_name,last_name,department,title,manager_employee_id,role,salary,hire_date
E0009,finn@plaudit.example,Finn,Berg,Engineering,Junior Engineer,E0002,employee,64000,{hired}
E0010,gia@plaudit.example,Gia,Rinaldi,Sales,Sales Development Rep,E0003,employee,58000,{hired}
"""
NEW_HIRES = ["finn", "gia"]

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

# The catalog's names and descriptions in the other languages Plaudit ships, as HR
# translated them (by name; a reward left out shows the company's English everywhere).
REWARD_TRANSLATIONS: dict[str, dict[str, dict[str, str]]] = {
    "Coffee voucher": {
        "fr": {
            "name": "Bon pour un café",
            "description": "Un café offert, dans le café de votre choix.",
        },
        "de": {
            "name": "Kaffeegutschein",
            "description": "Ein Kaffee auf Firmenkosten, in jedem Café in der Nähe.",
        },
        "es": {
            "name": "Vale de café",
            "description": "Un café invitado por la empresa, en cualquier cafetería cercana.",
        },
    },
    "Plaudit hoodie": {
        "fr": {"name": "Sweat à capuche Plaudit", "description": "Doux, chaud et très violet."},
        "de": {"name": "Plaudit-Hoodie", "description": "Weich, warm und sehr lila."},
        "es": {"name": "Sudadera Plaudit", "description": "Suave, cálida y muy morada."},
    },
    "Extra day off": {
        "fr": {
            "name": "Un jour de congé en plus",
            "description": "Un jour de congé annuel de plus, convenu avec votre manager.",
        },
        "de": {
            "name": "Ein zusätzlicher freier Tag",
            "description": "Ein weiterer Urlaubstag, abgestimmt mit der Führungskraft.",
        },
        "es": {
            "name": "Un día libre extra",
            "description": "Un día más de vacaciones, acordado con tu responsable.",
        },
    },
    "Team lunch": {
        "fr": {
            "name": "Déjeuner d'équipe",
            "description": "Un déjeuner pour vous et jusqu'à quatre collègues.",
        },
        "de": {
            "name": "Teamessen",
            "description": "Mittagessen für Sie und bis zu vier Kolleginnen und Kollegen.",
        },
        "es": {
            "name": "Comida de equipo",
            "description": "Una comida para ti y hasta cuatro compañeros.",
        },
    },
    "Book of your choice": {
        "fr": {
            "name": "Un livre de votre choix",
            "description": "N'importe quel livre jusqu'à 40 EUR.",
        },
        "de": {"name": "Ein Buch nach Wahl", "description": "Ein beliebiges Buch bis 40 EUR."},
        "es": {"name": "Un libro a tu elección", "description": "Cualquier libro de hasta 40 EUR."},
    },
    "Conference ticket": {
        "fr": {
            "name": "Billet de conférence",
            "description": "Un billet pour une conférence de votre domaine.",
        },
        "de": {
            "name": "Konferenzticket",
            "description": "Ein Ticket für eine Konferenz in Ihrem Fachgebiet.",
        },
        "es": {
            "name": "Entrada para un congreso",
            "description": "Una entrada para un congreso de tu campo.",
        },
    },
}

# Added by HR through the catalog import (month -4), checked first with a dry run.
CATALOG_MONTH = -4
CATALOG_CSV = """\
sku,name,description,category,cost,stock,per_user_limit,available_from,expires_at,is_active
DESK-PLANT,Desk plant,A small plant for your desk delivered to the office.,Wellbeing,150,20,2,,,true
CHARITY-25,Donation to a charity,We give 25 EUR to a charity you choose.,Giving,100,,,,,true
"""

VALUES = [
    # slug, name, emoji
    ("teamwork", "Teamwork", "🤝"),
    ("ownership", "Ownership", "🎯"),
    ("customer-love", "Customer love", "💙"),
]
VALUE_TRANSLATIONS: dict[str, dict[str, dict[str, str]]] = {
    "teamwork": {
        "fr": {"name": "Esprit d'équipe"},
        "de": {"name": "Teamarbeit"},
        "es": {"name": "Trabajo en equipo"},
    },
    "ownership": {
        "fr": {"name": "Responsabilité"},
        "de": {"name": "Verantwortung"},
        "es": {"name": "Compromiso"},
    },
    "customer-love": {
        "fr": {"name": "Passion du client"},
        "de": {"name": "Kundenliebe"},
        "es": {"name": "Pasión por el cliente"},
    },
}

# What the company gives on an occasion (HR's celebration milestones).
BIRTHDAY_POINTS = 20
ANNIVERSARY_POINTS = 50
FIRST_ANNIVERSARY_POINTS = 100

# What people thank each other for: {names} are the recipients' first names.
MESSAGES = [
    "Thanks {names} for jumping in on the release checklist when we were short. #teamwork",
    "{names}: you turned a messy handover into a clean one. #teamwork",
    "For pairing with me all afternoon until the tests were green, {names}. #teamwork",
    "{names} covered my shift so I could be at my kid's school play. Thank you! #teamwork",
    "The planning session ran smoothly thanks to {names}'s prep. #teamwork",
    "{names} took the incident from page to postmortem without being asked. #ownership",
    "Thanks {names} for chasing that billing bug all the way to the root cause. #ownership",
    "{names} rewrote the runbook after the outage, so the next one is shorter. #ownership",
    "{names} noticed the expiring certificate a week early and fixed it. #ownership",
    "For owning the migration end to end, {names}. #ownership",
    "{names} stayed on the call until the customer's import worked. #customer-love",
    "The renewal went through because {names} answered every question the same day. #customer-love",
    "{names} turned an angry support ticket into a happy reference. #customer-love",
    "Thanks {names} for the demo that finally made the customer's CFO smile. #customer-love",
    "{names} wrote the clearest onboarding notes I have read.",
    "Thank you {names} for the patient code review and the good questions.",
    "{names} brought cake on a Monday. Enough said.",
    "For making the new starters feel at home in their first week, {names}.",
]

COMMENTS = [
    "Well deserved!",
    "Seconded, that was a big help.",
    "Thank you, that means a lot!",
    "Happy to help any time.",
    "Couldn't agree more 👏",
    "This made my week.",
]

REACTIONS = ["🎉", "👏", "❤️", "🙌", "🔥", "💯"]
