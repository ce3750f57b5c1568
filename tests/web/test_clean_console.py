"""The browser console stays empty: no error, no warning, no CSP report, on the pages and
swaps people use most (``browse`` also checks every other browser test's pages)."""

import re

import pytest
from playwright.sync_api import expect

from plaudit.events.models import Notification
from tests.factories import RewardFactory, UserFactory

from .browser import wait_for_htmx

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def test_the_watch_catches_an_inline_style_the_policy_blocks(browse):
    page = browse(UserFactory())

    page.evaluate(
        "document.head.insertAdjacentHTML('beforeend', '<style>main { color: red }</style>')"
    )

    problems = browse.console.problems
    for _ in range(50):
        if any(problem.startswith("CSP violation: style-src") for problem in problems):
            break
        page.wait_for_timeout(100)
    assert any(problem.startswith("CSP violation: style-src") for problem in problems), problems
    problems.clear()


def test_a_kudos_form_with_errors_swaps_in_without_a_console_message(browse):
    UserFactory(first_name="Ana", last_name="Silvestre")
    page = browse(UserFactory())

    page.get_by_label("Message").fill("Thanks, whoever you are")
    page.get_by_role("button", name="Send thanks").click()

    expect(page.locator("#recipient-errors")).to_be_visible()
    browse.console.assert_clean()
    wait_for_htmx(page)
    page.get_by_label("Who to thank").fill("silv")  # the swapped-in form still works
    expect(page.get_by_role("button", name=re.compile("Ana Silvestre"))).to_be_visible()
    browse.console.assert_clean()


def test_typing_a_name_in_the_recipient_search_warns_about_nothing(browse):
    UserFactory(first_name="Ana", last_name="Silvestre")
    page = browse(UserFactory())

    page.get_by_label("Who to thank").press_sequentially("silv", delay=50)
    page.get_by_role("button", name=re.compile("Ana Silvestre")).click()

    expect(page.locator("#chosen-recipients")).to_contain_text("Ana Silvestre")
    browse.console.assert_clean()


def test_the_rewards_and_notifications_pages_are_quiet(browse):
    person = UserFactory(with_points=50)
    RewardFactory(name="Coffee mug", cost=20)
    RewardFactory(name="Day off", cost=500)
    Notification.objects.create(user=person, event="points.granted", title="Welcome aboard")
    page = browse(person)

    page.goto("/rewards/")
    page.get_by_label("Search").fill("mug")
    expect(page.locator(".cards .card")).to_have_count(1)
    page.goto("/notifications/")
    expect(page.get_by_role("heading", name=re.compile("Welcome aboard"))).to_be_visible()

    browse.console.assert_clean()
