"""The pages fit the screen: the nav on one row at 1280 px and behind a menu on a phone,
and no page wider than a phone's screen."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import HRAdminFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

PHONE = {"width": 390, "height": 844}


def _hr_admin():
    """The widest nav there is: HR (who also approves) with the admin link and a long name."""
    return HRAdminFactory(first_name="Maximiliana", last_name="Oyelaran-Whitfield", is_staff=True)


def _top(locator) -> float:
    box = locator.bounding_box()
    assert box is not None, "not shown"
    return box["y"] + box["height"] / 2


def test_the_hr_nav_is_one_row_at_1280_px_with_the_hr_pages_in_a_menu(browse):
    page = browse(_hr_admin(), width=1280, height=800)
    nav = page.get_by_role("navigation", name="Main")
    items = nav.locator(":scope > ul > li")
    middles = {round(_top(items.nth(i))) for i in range(items.count())}

    assert len(middles) == 1, f"nav items on several rows: {middles}"
    header = page.locator(".site-header").bounding_box()
    assert header is not None
    assert header["height"] < 80
    expect(nav.get_by_role("link", name="People")).to_be_hidden()
    assert not page.get_by_role("button", name="Menu").is_visible()


def test_the_hr_menu_works_from_the_keyboard(browse):
    page = browse(_hr_admin(), width=1280, height=800)
    hr_menu = page.locator(".nav-more summary")

    hr_menu.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")

    people = page.get_by_role("link", name="People")
    expect(people).to_be_focused()
    page.keyboard.press("Escape")
    expect(people).to_be_hidden()
    expect(hr_menu).to_be_focused()
    hr_menu.press("Enter")
    page.get_by_role("link", name="Reports").click()
    expect(page).to_have_url(re.compile("/hr/reports/$"))
    expect(page.locator(".nav-more summary.current")).to_be_visible()


def test_on_a_phone_the_links_are_behind_one_menu_button(browse):
    page = browse(_hr_admin(), **PHONE)
    menu = page.get_by_role("button", name="Menu")
    rewards = page.get_by_role("navigation", name="Main").get_by_role("link", name="Rewards")

    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(rewards).to_be_hidden()
    header = page.locator(".site-header").bounding_box()
    assert header is not None
    assert header["height"] < 130

    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(rewards).to_be_visible()
    rewards.click()
    expect(page).to_have_url(re.compile("/rewards/$"))
    expect(page.get_by_role("button", name="Menu")).to_have_attribute("aria-expanded", "false")
