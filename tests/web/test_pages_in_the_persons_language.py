"""Issue 21's proof in a browser: the home, rewards and approvals pages in French and in
German for a manager whose *preference* says so, while the browser asks for English.

The expected words are read from the shipped catalogues (``gettext`` under
``translation.override``), never typed here, so a translator may reword them; each is
also checked to differ from its English, so a missing catalogue cannot pass for a
translated page. Numbers are formatted as Django's formats for the language do, dates
are in the language and in the person's time zone, the reward's name is the company's
French or German one, and the main region of each page keeps none of the English it
would show an English reader. These tests need the compiled catalogues (``make
install``, or the Makefile's ``locale/%.mo`` rule).
"""

import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from playwright.sync_api import expect

from plaudit.core import wording
from plaudit.recognition.models import Recognition
from plaudit.recognition.services import Gift, give_recognition
from plaudit.rewards.models import Redemption
from plaudit.rewards.services import redeem_reward
from plaudit.web.templatetags.plaudit import relative_time
from tests.factories import ManagerFactory, RewardFactory, UserFactory

from .browser import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

ZONES = {"fr": "Europe/Paris", "de": "Europe/Berlin"}
# What Django's formats make of 1,150 with grouping: French groups with a no-break space
# (U+00A0), German with a dot.
THOUSANDS = {"fr": "1\u00a0150", "de": "1.150"}
BALANCE = 1150
REWARD = {
    "name": "Cinema tickets",
    "description": "Two seats, any film.",
    "translations": {
        "fr": {"name": "Places de cinéma", "description": "Deux places, le film de votre choix."},
        "de": {"name": "Kinokarten", "description": "Zwei Plätze, ein Film nach Wahl."},
    },
}
THANKS = "Merci / Danke — 2026!"  # the company's words, in no English

# msgids on these pages an English reader would see (the rest being names and numbers).
NAVIGATION = ["Home", "Rewards", "My redemptions", "Points history", "Approvals"]
HOME_WORDS = [
    "Say thank you",
    "Recognition feed",
    "Your balance",
    "Left to give this month",
    "Spend them on rewards",
    "Send thanks",
    "Who to thank",
]
REWARDS_WORDS = ["Rewards", "Filter", "Redeem"]
APPROVALS_WORDS = [
    "Approvals",
    "Redemptions waiting for your decision, oldest first. Rejecting one gives the points back.",
    "Reason for rejecting",
    "Reject",
]
APPROVE = 'Approve<span class="visually-hidden"> %(reward)s for %(person)s</span>'
# Phrases whose English shows through when a sentence is not translated.
# (" points" is French too: the numbers are checked as Django formats them instead.)
ENGLISH_FRAGMENTS = [" thanked ", " ago", " left", "Cinema tickets", "Two seats"]


def _in(language: str, msgid: str) -> str:
    """``msgid`` in ``language`` from the shipped catalogue, checked to be a translation."""
    with translation.override(language):
        words = gettext(msgid)
    assert words != msgid, f"{msgid!r} has no {language} translation: is the catalogue compiled?"
    return words


def _spoken(language: str, zone: str, say: Any) -> str:
    with translation.override(language), timezone.override(zone):
        return str(say())


def _a_fixed_march_moment() -> datetime:
    """Noon UTC on the last 15 March: a month whose name differs in English, French and
    German, an hour (13:00) that is not UTC's in Paris or Berlin."""
    now = timezone.now()
    moment = now.replace(month=3, day=15, hour=12, minute=0, second=0, microsecond=0)
    return moment if moment < now else moment.replace(year=moment.year - 1)


def _manager_with_a_queue(language: str) -> tuple[Any, datetime, datetime]:
    """A manager who reads ``language``, with 1,150 points, thanked by a report in March,
    and that report's redemption waiting for a decision since March too."""
    manager = ManagerFactory(
        first_name="Maya",
        last_name="Okafor",
        language=language,
        time_zone=ZONES[language],
        with_points=BALANCE - 20,
    )
    report = UserFactory(first_name="Ben", last_name="Adams", manager=manager, with_points=500)
    reward = RewardFactory(cost=120, stock=3, **REWARD)
    recognition = give_recognition(giver=report, message=THANKS, gifts=[Gift(manager, 20)])
    redemption = redeem_reward(user=report, reward_id=reward.pk)
    thanked_at = _a_fixed_march_moment()
    asked_at = thanked_at + timedelta(days=1)
    Recognition.objects.filter(pk=recognition.pk).update(created_at=thanked_at)
    Redemption.objects.filter(pk=redemption.pk).update(created_at=asked_at)
    return manager, thanked_at, asked_at


def _signed_in_with_an_english_browser(browse: Any, person: Any) -> Any:
    """Signed in from a browser whose every request says ``Accept-Language: en``."""
    page = browse()
    page.context.set_extra_http_headers({"Accept-Language": "en"})
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "en")  # the browser's language
    sign_in(page, person.email)
    return page


def _assert_the_date_reads_in(page: Any, time: Any, moment: datetime, language: str) -> None:
    """A ``<time>``: the relative phrase as text, the moment in the title, both in the
    language, the moment in the person's time zone."""
    zone = ZONES[language]
    expect(time).to_have_text(_spoken(language, zone, lambda: relative_time(moment)))
    assert _spoken(language, zone, lambda: relative_time(moment)) != _spoken(
        "en", zone, lambda: relative_time(moment)
    )
    exact = _spoken(language, zone, lambda: wording.moment(moment))
    expect(time).to_have_attribute("title", exact)
    with translation.override(language):
        march = gettext("March")  # Django's own month name
    assert march != "March"
    assert march in exact, exact
    assert "March" not in exact
    assert "13:00" in exact, f"not in {zone}: {exact}"


def _assert_no_english_left(page: Any, msgids: list[str]) -> None:
    text = page.locator("main").inner_text()
    left = [m for m in msgids if re.search(rf"(?<!\w){re.escape(m)}(?!\w)", text)]
    left += [fragment for fragment in ENGLISH_FRAGMENTS if fragment in text]
    assert not left, f"English left on the page: {left}\n---\n{text}"


def _assert_the_header_speaks(page: Any, language: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", language)
    nav = page.get_by_role("navigation", name=_in(language, "Main"))
    for msgid in NAVIGATION:
        expect(nav.get_by_role("link", name=_in(language, msgid), exact=True)).to_be_visible()
    balance = _spoken(language, ZONES[language], lambda: wording.points(BALANCE))
    assert THOUSANDS[language] in balance
    expect(page.locator("#my-balance")).to_have_text(balance)


@pytest.mark.parametrize("language", ["fr", "de"])
def test_the_home_page_is_in_the_persons_language_not_the_browsers(browse, language):
    manager, thanked_at, _asked_at = _manager_with_a_queue(language)

    page = _signed_in_with_an_english_browser(browse, manager)

    expect(page).to_have_title(re.compile("^" + re.escape(_in(language, "Home")) + " · Plaudit$"))
    _assert_the_header_speaks(page, language)
    expect(page.locator("#give-title")).to_have_text(_in(language, "Say thank you"))
    expect(page.locator("#feed-title")).to_have_text(_in(language, "Recognition feed"))
    expect(page.get_by_text(_in(language, "Your balance"), exact=True)).to_be_visible()
    expect(page.get_by_role("button", name=_in(language, "Send thanks"))).to_be_visible()
    expect(page.get_by_test_id("balance")).to_have_text(
        _spoken(language, ZONES[language], lambda: wording.points(BALANCE))
    )
    expect(page.get_by_test_id("balance")).to_contain_text(THOUSANDS[language])
    item = page.locator(".feed-item").first
    sentence = _in(language, "<strong>%(giver)s</strong> thanked %(people)s") % {
        "giver": "Ben Adams",
        "people": "<strong>Maya Okafor</strong>",
    }
    expect(item.locator(".feed-who")).to_contain_text(re.sub(r"<[^>]+>", "", sentence))
    _assert_the_date_reads_in(page, item.locator("time"), thanked_at, language)
    _assert_no_english_left(page, HOME_WORDS)


@pytest.mark.parametrize("language", ["fr", "de"])
def test_the_rewards_page_is_in_the_persons_language_with_the_rewards_own_words(browse, language):
    manager, _thanked_at, _asked_at = _manager_with_a_queue(language)
    page = _signed_in_with_an_english_browser(browse, manager)

    page.goto("/rewards/")

    expect(page.locator("html")).to_have_attribute("lang", language)
    _assert_the_header_speaks(page, language)
    expect(page.get_by_role("heading", level=1)).to_have_text(_in(language, "Rewards"))
    expect(page.get_by_role("button", name=_in(language, "Filter"), exact=True)).to_be_visible()
    card = page.locator(".card.reward")
    translated = REWARD["translations"][language]  # type: ignore[index]
    expect(card.get_by_role("heading")).to_have_text(translated["name"])
    expect(card).to_contain_text(translated["description"])
    expect(card.get_by_role("button", name=_in(language, "Redeem"))).to_be_enabled()
    with translation.override(language):
        cost = wording.points(120)
        stock = ngettext("%(stock)s left", "%(stock)s left", 2) % {"stock": wording.number(2)}
    assert stock != "2 left"
    expect(card.locator(".cost")).to_contain_text(cost)
    expect(card.locator(".stock")).to_contain_text(stock)
    _assert_no_english_left(page, REWARDS_WORDS)


@pytest.mark.parametrize("language", ["fr", "de"])
def test_the_approvals_page_is_in_the_persons_language(browse, language):
    manager, _thanked_at, asked_at = _manager_with_a_queue(language)
    page = _signed_in_with_an_english_browser(browse, manager)

    page.get_by_role("navigation", name=_in(language, "Main")).get_by_role(
        "link", name=_in(language, "Approvals")
    ).click()

    expect(page).to_have_url(re.compile(r"/approvals/$"))
    _assert_the_header_speaks(page, language)
    expect(page.get_by_role("heading", level=1)).to_have_text(_in(language, "Approvals"))
    expect(page.locator("main")).to_contain_text(
        _in(
            language,
            "Redemptions waiting for your decision, oldest first. "
            "Rejecting one gives the points back.",
        )
    )
    row = page.locator(".queue-item")
    expect(row.get_by_role("heading")).to_have_text(
        REWARD["translations"][language]["name"]  # type: ignore[index]
    )
    approve = _in(language, APPROVE)
    expect(row.locator("button.primary")).to_contain_text(approve.split("<span")[0])
    expect(row.get_by_role("button", name=_in(language, "Reject"), exact=True)).to_be_visible()
    expect(row.get_by_label(_in(language, "Reason for rejecting"))).to_be_visible()
    with translation.override(language):
        expect(row).to_contain_text(wording.points(120))
    _assert_the_date_reads_in(page, row.locator("time"), asked_at, language)
    _assert_no_english_left(page, [*APPROVALS_WORDS, "Approve"])
