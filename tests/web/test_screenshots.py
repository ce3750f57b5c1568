"""Regenerates docs/screenshots/ from the demo company: ``make screenshots``.

Deselected unless PLAUDIT_SCREENSHOTS is set (see tests/web/conftest.py); it still
fails like a test if a page cannot be shown, so a broken page never gets a picture.
"""

from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from plaudit.demo.company import DEMO_PASSWORD
from plaudit.people.models import User

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

pytestmark = [
    pytest.mark.screenshots,
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def _demo_company() -> dict[str, User]:
    """Exactly the company ``make run`` loads: ``seed_demo``'s six months, nothing added."""
    call_command("seed_demo", verbosity=0)
    return {user.email.split("@")[0]: user for user in User.objects.all()}


def _shoot(page, name: str) -> None:
    expect(page.locator("h1").first).to_be_attached()
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_take_the_screenshots(browse):
    from tests.web.browser import sign_in

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    people = _demo_company()

    employee = browse()
    sign_in(employee, people["ana"].email, DEMO_PASSWORD)
    _shoot(employee, "home")
    employee.goto("/rewards/")
    _shoot(employee, "rewards")
    employee.goto("/me/redemptions/")
    _shoot(employee, "my-redemptions")
    employee.goto("/me/points/")
    _shoot(employee, "points-history")
    employee.goto("/notifications/settings/")
    _shoot(employee, "notification-settings")

    manager = browse()
    sign_in(manager, people["maya"].email, DEMO_PASSWORD)
    manager.goto("/approvals/")
    _shoot(manager, "approvals")

    hr = browse()
    sign_in(hr, people["hr"].email, DEMO_PASSWORD)
    hr.goto("/hr/reports/")
    _shoot(hr, "reports")
    hr.goto("/hr/imports/")
    _shoot(hr, "import")
    hr.goto("/hr/people/")
    _shoot(hr, "people")

    phone = browse(width=390, height=844)
    sign_in(phone, people["ben"].email, DEMO_PASSWORD)
    _shoot(phone, "home-phone")
