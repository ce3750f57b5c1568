"""The pages fit the screen: the nav on one row at 1280 px and behind a menu on a phone,
and no page wider than a phone's screen."""

import re

import pytest
from playwright.sync_api import expect

from plaudit.recognition.services import Gift, give_recognition
from tests.factories import DepartmentFactory, HRAdminFactory, ManagerFactory, UserFactory

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


def _overflow(page) -> list[str]:
    """What is drawn past the right edge of the screen (nothing, on a page that fits).

    A table in a region of its own that scrolls sideways fits: the region does."""
    return page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          const scrolls = (el) => ["auto", "scroll"].includes(getComputedStyle(el).overflowX);
          const inScroller = (el) => {
            for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
              if (scrolls(up)) { return true; }
            }
            return false;
          };
          const wide = [...document.querySelectorAll("body *")]
            .filter((el) => el.getBoundingClientRect().right > width + 1
                            && el.checkVisibility() && !el.closest(".visually-hidden")
                            && !inScroller(el))
            .map((el) => el.tagName.toLowerCase() + (el.className ? "." + el.className : ""));
          return document.documentElement.scrollWidth > window.innerWidth
            ? ["page " + document.documentElement.scrollWidth, ...wide] : wide;
        }"""
    )


def _on_one_line(locator) -> bool:
    """True when the element's text is drawn on a single line."""
    return locator.evaluate(
        "(el) => { const r = document.createRange(); r.selectNodeContents(el);"
        " return new Set([...r.getClientRects()].map((b) => Math.round(b.top))).size === 1; }"
    )


def test_on_a_phone_the_leaderboards_fit_and_their_rows_hold_together(browse):
    hr = _hr_admin()
    giver = UserFactory(first_name="Bartholomew", last_name="Featherstonehaugh")
    for name in ("Ana", "Chloe"):
        person = UserFactory(first_name=name, department=DepartmentFactory(name="Customer success"))
        give_recognition(giver=giver, message="Thanks!", gifts=[Gift(person, 50)])
    page = browse(hr, **PHONE)

    page.goto("/hr/reports/")

    overflow = _overflow(page)
    assert overflow == [], overflow
    rows = page.locator(".leaderboard li")
    expect(rows.first).to_be_visible()
    for i in range(rows.count()):
        assert _on_one_line(rows.nth(i).locator("strong")), "points broke across lines"
        assert _on_one_line(rows.nth(i).locator(".dept")), "department broke across lines"


def test_on_a_phone_the_team_page_fits_and_shows_who_awaits_approval(browse):
    manager = ManagerFactory(first_name="Maya")
    for n in range(2):
        UserFactory(
            manager=manager,
            first_name="Alexandrina",
            last_name=f"Vasquez-Lindqvist {n}",
            email=f"alexandrina.vasquez-lindqvist.{n}@example.com",
            title="Senior customer success engineer",
        )
    page = browse(manager, **PHONE)

    page.goto("/team/")

    overflow = _overflow(page)
    assert overflow == [], overflow
    awaiting = page.locator('td[data-label="Awaiting approval"]').first
    expect(awaiting).to_be_in_viewport(ratio=1)
    label = awaiting.evaluate("(cell) => getComputedStyle(cell, '::before').content")
    assert label == '"Awaiting approval"'  # each cell says what it is, the header row being gone
