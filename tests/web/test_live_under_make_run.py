"""``make run`` is live out of the box: one process serves the pages and /ws/notifications/.

The server here is ``make run``'s own (``manage.py runserver`` with no service configured),
so the thank-you is given through its pages: the request, the inline delivery and the
in-memory channel layer that reaches the other person's socket are all in that process.
"""

import re

import pytest
from playwright.sync_api import expect

from plaudit.recognition.models import Recognition
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_thank_you_given_in_one_browser_arrives_live_in_the_other(browse_make_run):
    ana = UserFactory(first_name="Ana", last_name="Silvestre")
    receiver = browse_make_run(ana)
    expect(receiver.locator("body")).to_have_attribute("data-live", "connected")
    badge = receiver.locator("#unread-badge")
    before = int(badge.inner_text())
    receiver.evaluate("window.stillHere = true")  # gone if the page reloads

    giver = browse_make_run(UserFactory(first_name="Dev", last_name="Rao"))
    giver.get_by_label("Who to thank").fill("silv")
    giver.get_by_role("button", name=re.compile("Ana Silvestre")).click()
    # As a person would, wait to see her chosen before writing (the chip comes from the
    # server, and the form is not ready for the message until it has arrived).
    expect(giver.locator("#chosen-recipients")).to_contain_text("Ana Silvestre")
    giver.get_by_label("Message").fill("Thanks for keeping the lights on")
    expect(giver.get_by_label("Message")).to_have_value("Thanks for keeping the lights on")
    giver.get_by_role("button", name="Send thanks").click()
    expect(giver.get_by_text("Thank you sent!")).to_be_visible()

    expect(badge).to_have_text(str(before + 1))
    news = receiver.get_by_role("link", name="1 new thank-you — show")
    expect(news).to_be_visible()
    assert receiver.evaluate("window.stillHere") is True
    news.click()
    expect(receiver.locator("#feed li").first).to_contain_text("Thanks for keeping the lights on")
    assert Recognition.objects.get().giver.first_name == "Dev"
