"""Right-to-left stays possible: a page in a right-to-left language mirrors itself.

Plaudit ships no right-to-left language, so the server here adds Arabic, which Django
knows is written right to left (``rtl_live_server``); a person chooses العربية in the
header's switcher like any other language, and the page comes back as
``<html lang="ar" dir="rtl">``. What a person would notice is checked, in both directions:
the header starts on the reading side, text lines up on it, and nothing sticks out
sideways (the stylesheet uses logical sides: static/css/plaudit.css).
"""

from typing import Any

import pytest
from playwright.sync_api import expect

from plaudit.recognition.services import Gift, give_recognition
from tests.factories import CompanyValueFactory, ManagerFactory, UserFactory

from .browser import choose_language

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

PHONE = {"width": 390, "height": 844}


ENGLISH_THANKS = "Thanks for the release notes, they were clear and on time!"
ARABIC_THANKS = "شكرًا على ملاحظات الإصدار، كانت واضحة وفي موعدها!"


def _someone_with_a_feed() -> Any:
    """Ben, thanked once in English and once in Arabic: what the company writes keeps its
    own direction whatever the page's language."""
    manager = ManagerFactory(first_name="Maya", last_name="Okafor")
    person = UserFactory(first_name="Ben", last_name="Adams", manager=manager, with_points=500)
    colleague = UserFactory(first_name="Chloe", last_name="Dubois", manager=manager)
    give_recognition(
        giver=manager,
        message=ENGLISH_THANKS,
        gifts=[Gift(person, 20), Gift(colleague, 20)],
        values=[CompanyValueFactory()],
    )
    give_recognition(giver=colleague, message=ARABIC_THANKS, gifts=[Gift(person, 10)])
    return person


def _box(locator: Any) -> dict[str, float]:
    box = locator.bounding_box()
    assert box is not None, "not shown"
    return box


# Where an element's own text starts and ends, against the element's content box.
TEXT_EDGES_JS = """element => {
  const range = document.createRange();
  range.selectNodeContents(element);
  const text = range.getBoundingClientRect();
  const box = element.getBoundingClientRect();
  const style = getComputedStyle(element);
  return {
    textLeft: text.left, textRight: text.right,
    left: box.left + parseFloat(style.paddingLeft) + parseFloat(style.borderLeftWidth),
    right: box.right - parseFloat(style.paddingRight) - parseFloat(style.borderRightWidth),
  };
}"""
OVERFLOW_JS = """() => ({scroll: document.documentElement.scrollWidth,
                       client: document.documentElement.clientWidth})"""


def _assert_nothing_overflows_sideways(page: Any) -> None:
    sizes = page.evaluate(OVERFLOW_JS)
    assert sizes["scroll"] <= sizes["client"], f"the page scrolls sideways: {sizes}"


def _assert_message_reads(page: Any, message: str, direction: str) -> None:
    """A thank-you's text runs in ``direction`` and lines up on the side it starts from."""
    paragraph = page.locator(".feed-message", has_text=message)
    assert paragraph.evaluate("p => getComputedStyle(p).direction") == direction
    edges = paragraph.evaluate(TEXT_EDGES_JS)
    if direction == "rtl":
        assert abs(edges["textRight"] - edges["right"]) < 2, f"not aligned right: {edges}"
    else:
        assert abs(edges["textLeft"] - edges["left"]) < 2, f"not aligned left: {edges}"


def _assert_the_open_switcher_fits(page: Any) -> None:
    """The language form opens towards the page, not off its edge."""
    page.locator(".language-switcher summary").click()
    form = _box(page.locator(".language-switcher form"))
    assert form["x"] >= 0, f"off the left edge: {form}"
    assert form["x"] + form["width"] <= page.viewport_size["width"], f"off the right edge: {form}"
    _assert_nothing_overflows_sideways(page)
    page.keyboard.press("Escape")


def _assert_reads_from(page: Any, side: str) -> None:
    """The header starts on ``side``, the nav runs away from it, text lines up on it."""
    width = page.viewport_size["width"]
    brand = _box(page.locator(".site-header .brand"))
    nav = page.get_by_role("navigation", name="Main")
    first, second = (_box(nav.locator(":scope > ul > li").nth(i)) for i in (0, 1))
    account = _box(page.locator(".site-header .account"))
    switcher = _box(page.locator(".site-header .language-switcher summary"))
    heading = page.locator("#give-title")
    edges = heading.evaluate(TEXT_EDGES_JS)

    if side == "right":
        assert width - (brand["x"] + brand["width"]) < 40, f"brand not at the right: {brand}"
        assert first["x"] > second["x"], "the nav's first link is not the rightmost"
        assert account["x"] < first["x"], "the account is not past the nav, on the left"
        assert switcher["x"] < account["x"], "the switcher is not at the header's end (left)"
        assert abs(edges["textRight"] - edges["right"]) < 2, f"not aligned right: {edges}"
        assert edges["textLeft"] - edges["left"] > 20, f"not aligned right: {edges}"
    else:
        assert brand["x"] < 40, f"brand not at the left: {brand}"
        assert first["x"] < second["x"], "the nav's first link is not the leftmost"
        assert account["x"] > first["x"], "the account is not past the nav, on the right"
        assert switcher["x"] > account["x"], "the switcher is not at the header's end (right)"
        assert abs(edges["textLeft"] - edges["left"]) < 2, f"not aligned left: {edges}"
        assert edges["right"] - edges["textRight"] > 20, f"not aligned left: {edges}"


def test_the_home_page_reads_left_to_right_in_english(browse_rtl):
    page = browse_rtl(_someone_with_a_feed(), width=1280, height=900)

    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    _assert_reads_from(page, "left")
    _assert_nothing_overflows_sideways(page)
    _assert_the_open_switcher_fits(page)
    _assert_message_reads(page, ARABIC_THANKS, "rtl")
    _assert_message_reads(page, ENGLISH_THANKS, "ltr")


def test_choosing_a_right_to_left_language_mirrors_the_home_page(browse_rtl):
    page = browse_rtl(_someone_with_a_feed(), width=1280, height=900)

    choose_language(page, "العربية")

    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    _assert_reads_from(page, "right")
    _assert_nothing_overflows_sideways(page)
    _assert_the_open_switcher_fits(page)
    # The company's own words keep their direction: an English thank-you still reads left
    # to right (its "!" at the end), an Arabic one right to left.
    _assert_message_reads(page, ENGLISH_THANKS, "ltr")
    _assert_message_reads(page, ARABIC_THANKS, "rtl")


def test_on_a_phone_the_right_to_left_menu_opens_on_the_right_and_fits(browse_rtl):
    page = browse_rtl(_someone_with_a_feed(), **PHONE)
    choose_language(page, "العربية")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")

    menu = page.locator(".nav-toggle")
    globe = page.locator(".language-switcher summary")
    expect(menu).to_be_visible()
    # The top row mirrored: Plaudit on the right, then the Menu button, the globe last.
    assert _box(globe)["x"] < _box(menu)["x"] < _box(page.locator(".site-header .brand"))["x"]
    menu.click()
    home = page.get_by_role("navigation", name="Main").locator("a").first
    expect(home).to_be_visible()
    edges = home.evaluate(TEXT_EDGES_JS)
    assert abs(edges["textRight"] - edges["right"]) < 2, f"menu link not aligned right: {edges}"
    _assert_nothing_overflows_sideways(page)
    _assert_the_open_switcher_fits(page)
