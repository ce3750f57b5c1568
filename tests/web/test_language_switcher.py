"""The header's language switcher (templates/web/_language_switcher.html): on every page,
signed in or not, each language named in its own language; choosing one reloads the page
in it, and the choice sticks on the next page."""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.factories import UserFactory

from .browser import choose_language


@pytest.mark.django_db
def test_the_page_says_its_language_and_direction_and_offers_the_others():
    page = Client().get("/accounts/login/").content.decode()

    assert '<html lang="en" dir="ltr">' in page
    assert 'action="/i18n/setlang/"' in page
    assert '<input type="hidden" name="next" value="/accounts/login/">' in page
    assert '<span class="language-code">EN</span>' in page
    for code, name in settings.LANGUAGES:
        assert f'<option value="{code}" lang="{code}"' in page
        assert f">{name}</option>" in page
    assert '<option value="en" lang="en" selected>English</option>' in page


@pytest.mark.django_db
def test_the_language_cookie_chooses_the_language_of_the_page():
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"

    page = client.get("/accounts/login/").content.decode()

    assert '<html lang="de" dir="ltr">' in page
    assert '<option value="de" lang="de" selected>Deutsch</option>' in page


def _language_cookie(page) -> str | None:
    cookies = page.context.cookies()
    return next((c["value"] for c in cookies if c["name"] == settings.LANGUAGE_COOKIE_NAME), None)


@pytest.mark.browser
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_visitor_chooses_french_on_the_sign_in_page_and_it_sticks(browse):
    page = browse()
    page.goto("/accounts/login/")
    globe = page.locator(".language-switcher summary")
    expect(globe).to_have_accessible_name("Language EN")
    globe.click()
    choice = page.get_by_label("Language")
    expect(choice.locator("option[lang=fr]")).to_have_text("Français")
    expect(choice).to_have_value("en")

    choose_language(page, "Français")

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert _language_cookie(page) == "fr"
    page.goto("/accounts/password/reset/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator(".language-switcher summary")).to_contain_text("FR")
    expect(page.locator(".language-switcher select")).to_have_value("fr")


@pytest.mark.browser
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_someone_signed_in_chooses_german_and_stays_on_the_page(browse):
    page = browse(UserFactory())
    page.goto("/rewards/")

    choose_language(page, "Deutsch")

    expect(page).to_have_url(re.compile(r"/rewards/$"))
    expect(page.locator("html")).to_have_attribute("lang", "de")
    assert _language_cookie(page) == "de"
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "de")


@pytest.mark.browser
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_the_switcher_is_in_the_top_row_next_to_the_menu(browse):
    page = browse(UserFactory(), width=390, height=844)
    globe = page.locator(".language-switcher summary")
    menu = page.get_by_role("button", name="Menu")

    expect(globe).to_be_visible()
    assert abs(_middle(globe) - _middle(menu)) < 4, "the globe is not beside the Menu button"
    choose_language(page, "Español")

    expect(page.locator("html")).to_have_attribute("lang", "es")


@pytest.mark.browser
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_switcher_closes_on_escape_and_gives_focus_back(browse):
    page = browse()
    page.goto("/accounts/login/")
    globe = page.locator(".language-switcher summary")
    globe.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Language")).to_be_focused()

    page.keyboard.press("Escape")

    expect(page.get_by_label("Language")).to_be_hidden()
    expect(globe).to_be_focused()


def _middle(locator) -> float:
    box = locator.bounding_box()
    assert box is not None, "not shown"
    return box["y"] + box["height"] / 2
