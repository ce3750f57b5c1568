"""The README's five-minute tour, replayed on a freshly seeded demo company.

Each request of the tour is made here in the README's order, with the test client in
place of curl, and its answer must be the one the README shows: the status code and the
figures shown (ids, balances, counts), which is what a fresh ``make run`` gives. Only
tokens, times and the dates that follow the day of seeding are left out.
"""

import json
import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from rest_framework.response import Response
from rest_framework.test import APIClient

from plaudit.events.models import OutboxEvent

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()
TOUR = README.split("## A five-minute tour", 1)[1].split("\n## ", 1)[0]
# What the tour shows after ``# `` in its shell blocks, and its JSON answers.
SHOWN = {line.removeprefix("# ") for line in TOUR.splitlines() if line.startswith("# ")}
VOLATILE = {"created_at", "updated_at", "hire_date"}
API = "/api/v1"
PASSWORD = "plaudit-demo-2026"

# A fresh database, as under `make run`: ids from 1 (on PostgreSQL too), and real commits,
# so the pages a change invalidates are forgotten once it commits.
pytestmark = pytest.mark.django_db(transaction=True, reset_sequences=True)


def _stable(value: dict[str, Any]) -> dict[str, Any]:
    return {key: item for key, item in value.items() if key not in VOLATILE}


JSON_ANSWERS = [
    _stable(json.loads(block)) for block in re.findall(r"```json\n(.*?)```", TOUR, re.S)
]


def compact(value: Any) -> str:
    """As ``jq -c`` prints it."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def assert_shown(value: Any) -> None:
    assert compact(value) in SHOWN, f"the README's tour does not show {compact(value)}"


def assert_shown_as_json(value: dict[str, Any]) -> None:
    assert _stable(value) in JSON_ANSWERS, f"the README's tour does not show {value}"


def problem(response: Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["status"] == status
    return {"status": body["status"], "code": body["code"]}


def signed_in(email: str) -> APIClient:
    response = APIClient().post(
        f"{API}/auth/token/", {"email": email, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['access']}")
    return client


@pytest.fixture
def demo_company(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path  # the demo's imports store their files there
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", stdout=StringIO())
    # Committed with every event delivered, whatever the cache: nothing left for a drain.
    assert not OutboxEvent.objects.filter(dispatched_at__isnull=True).exists()


def test_the_readme_tour_gives_the_answers_it_documents(demo_company: None) -> None:
    # 1. Sign in.
    response = APIClient().post(
        f"{API}/auth/token/",
        {"email": "ana@plaudit.example", "password": PASSWORD},
        format="json",
    )
    assert response.status_code == 200
    assert list(response.json()) == ["refresh", "access"]
    refresh = response.json()["refresh"]
    ana, maya, leo, hr = (
        signed_in(f"{name}@plaudit.example") for name in ("ana", "maya", "leo", "hr")
    )

    # 2. Who am I?
    response = ana.get(f"{API}/me/")
    assert response.status_code == 200
    assert_shown_as_json(response.json())
    ana_id = response.json()["id"]

    # 3. The catalog.
    response = ana.get(f"{API}/rewards/", {"ordering": "cost"})
    assert response.status_code == 200
    assert_shown(response.json()["count"])
    fields = ("id", "name", "cost", "stock", "per_user_limit")
    for reward in response.json()["results"]:
        assert_shown({field: reward[field] for field in fields})
    response = ana.get(f"{API}/rewards/", {"category": "Learning", "max_cost": 500})
    assert response.status_code == 200
    for reward in response.json()["results"]:
        assert_shown({"name": reward["name"], "cost": reward["cost"]})

    # 4. Redeem, safely retried.
    hoodie = ana.get(f"{API}/rewards/", {"search": "hoodie"}).json()["results"][0]["id"]
    first_key = {"Idempotency-Key": "ana-hoodie-1"}
    response = ana.post(f"{API}/redemptions/", {"reward": hoodie}, format="json", headers=first_key)
    assert response.status_code == 201
    assert_shown_as_json(response.json())
    redemption = response.json()["id"]
    replay = ana.post(f"{API}/redemptions/", {"reward": hoodie}, format="json", headers=first_key)
    assert replay.status_code == 201
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.json() == response.json()
    assert {"HTTP/1.1 201 Created", "Idempotent-Replayed: true"} <= SHOWN
    response = ana.post(f"{API}/redemptions/", {"reward": 1}, format="json", headers=first_key)
    problem(response, 422)
    assert_shown(response.json())
    response = ana.post(
        f"{API}/redemptions/",
        {"reward": hoodie},
        format="json",
        headers={"Idempotency-Key": "ana-hoodie-2"},
    )
    problem(response, 409)
    assert_shown({key: response.json()[key] for key in ("status", "code", "detail")})
    assert_shown(ana.get(f"{API}/me/").json()["points"])

    # 5. A manager approves.
    response = maya.get(f"{API}/redemptions/", {"status": "pending"})
    assert response.status_code == 200
    for row in response.json()["results"]:
        assert_shown({key: row[key] for key in ("id", "user", "reward_name", "status")})
    approve = f"{API}/redemptions/{redemption}/approve/"
    assert_shown(problem(leo.post(approve), 404))
    response = maya.post(approve)
    assert response.status_code == 200
    assert_shown({key: response.json()[key] for key in ("id", "status", "decided_by")})
    assert_shown(problem(maya.post(approve), 409))

    # 6. HR grants points.
    grant = {"user": ana_id, "amount": 250, "reason": "Shipped the new onboarding flow"}
    response = hr.post(f"{API}/points/grants/", grant, format="json")
    assert response.status_code == 201
    assert_shown_as_json(response.json())
    response = hr.post(f"{API}/points/grants/", {"user": ana_id, "amount": 0}, format="json")
    problem(response, 400)
    assert_shown_as_json(response.json())
    response = ana.post(
        f"{API}/points/grants/",
        {"user": ana_id, "amount": 1000, "reason": "Why not"},
        format="json",
    )
    assert_shown(problem(response, 403))

    # 7. The ledger lines: the count, and the newest three.
    response = ana.get(f"{API}/points/entries/")
    assert response.status_code == 200
    assert_shown(response.json()["count"])
    for entry in response.json()["results"][:3]:
        assert_shown({key: entry[key] for key in ("amount", "kind", "description")})

    # 8. A report for HR.
    response = hr.get(f"{API}/reports/top-salaries/", {"n": 3})
    assert response.status_code == 200
    for row in response.json()["results"]:
        assert_shown(row)
    assert_shown(problem(ana.get(f"{API}/reports/top-salaries/", {"n": 3}), 403))

    # 9. Check the books.
    out = StringIO()
    call_command("verify_ledger", stdout=out)
    lines = out.getvalue().strip().splitlines()  # a line per count, each its own plural
    assert lines
    assert all(line in SHOWN for line in lines), lines

    # 10. Tokens expire.
    response = APIClient().post(f"{API}/auth/token/refresh/", {"refresh": refresh}, format="json")
    assert response.status_code == 200
    assert_shown(sorted(response.json()))
    assert_shown(problem(APIClient().get(f"{API}/me/"), 401))
