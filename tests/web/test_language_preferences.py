"""A person's language and time zone in the web app: the settings page's section, the
header's switcher (``set_language``), and pages answered in the right language.

The words checked are Django's own translations, so these tests do not wait for
Plaudit's.
"""

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SETTINGS_PAGE = "/notifications/settings/"
SAVE = "/me/preferences/"
SWITCH = "/i18n/setlang/"


# --- Which language a page is in ---------------------------------------------------------


def test_a_page_is_in_the_persons_language_whatever_the_browser_asks(page_client):
    response = page_client(UserFactory(language="de")).get("/", HTTP_ACCEPT_LANGUAGE="es")

    assert response.status_code == 200
    assert response["Content-Language"] == "de"
    assert "Accept-Language" in response["Vary"]


def test_without_a_choice_of_their_own_a_page_follows_the_browser(page_client):
    response = page_client(UserFactory(language="")).get("/", HTTP_ACCEPT_LANGUAGE="es")

    assert response["Content-Language"] == "es"


def test_with_neither_a_page_is_in_the_company_language(page_client, settings):
    settings.LANGUAGE_CODE = "fr"

    response = page_client(UserFactory(language="")).get("/")

    assert response["Content-Language"] == "fr"


def test_the_persons_language_reaches_the_words_on_the_page(page_client):
    person = UserFactory(language="fr", time_zone="Europe/Berlin")

    response = page_client(person).post(
        SAVE, {"language": "de", "time_zone": "Mars/Olympus_Mons"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 422
    assert "Sélectionnez un choix valide." in response.content.decode()  # Django's words, in French
    person.refresh_from_db()
    assert (person.language, person.time_zone) == ("fr", "Europe/Berlin")


# --- The settings page's section ----------------------------------------------------------


def test_the_settings_page_offers_each_language_in_its_own_words(page_client, settings):
    settings.TIME_ZONE = "Europe/Paris"

    body = page_client(UserFactory()).get(SETTINGS_PAGE).content.decode()

    for code, name in django_settings.LANGUAGES:
        assert f'<option value="{code}" lang="{code}">{name}</option>' in body
    assert "Europe/Paris" in body  # the company's zone, named on the blank choice
    assert 'value="America/New_York"' in body
    assert 'action="/me/preferences/"' in body


def test_the_settings_page_shows_the_persons_choices(page_client):
    page = page_client(UserFactory(language="es", time_zone="Asia/Tokyo")).get(SETTINGS_PAGE)

    form = page.context["preferences_form"]
    assert (form["language"].value(), form["time_zone"].value()) == ("es", "Asia/Tokyo")


def test_saving_the_section_sets_both_and_the_next_page_speaks_the_new_language(page_client):
    person = UserFactory()
    browser = page_client(person)

    response = browser.post(SAVE, {"language": "de", "time_zone": "Europe/Berlin"})

    assert response.status_code == 302
    assert response["Location"] == SETTINGS_PAGE
    person.refresh_from_db()
    assert (person.language, person.time_zone) == ("de", "Europe/Berlin")
    assert browser.get(SETTINGS_PAGE, HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "de"


def test_saving_blanks_goes_back_to_the_browser_and_the_company(page_client):
    person = UserFactory(language="de", time_zone="Europe/Berlin")

    page_client(person).post(SAVE, {"language": "", "time_zone": ""})

    person.refresh_from_db()
    assert (person.language, person.time_zone) == ("", "")


def test_the_section_needs_a_signed_in_person(page_client):
    response = page_client(None).post(SAVE, {"language": "de"})

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- The switcher ---------------------------------------------------------------------------


def test_the_switcher_saves_a_signed_in_persons_choice_and_sets_the_cookie(page_client):
    person = UserFactory(language="")

    response = page_client(person).post(SWITCH, {"language": "fr", "next": "/rewards/"})

    assert response.status_code == 302
    assert response["Location"] == "/rewards/"
    assert response.cookies[django_settings.LANGUAGE_COOKIE_NAME].value == "fr"
    person.refresh_from_db()
    assert person.language == "fr"


def test_the_switcher_only_sets_the_cookie_for_someone_not_signed_in():
    browser = Client()
    people_before = list(UserFactory.create_batch(2))

    response = browser.post(SWITCH, {"language": "es", "next": "/accounts/login/"})

    assert response["Location"] == "/accounts/login/"
    assert response.cookies[django_settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert all(p.language == "" for p in type(people_before[0]).objects.all())
    page = browser.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="de")
    assert page["Content-Language"] == "es"  # the cookie beats Accept-Language


def test_the_switcher_keeps_djangos_check_on_next(page_client):
    person = UserFactory()

    response = page_client(person).post(
        SWITCH, {"language": "de", "next": "https://elsewhere.example/steal"}
    )

    assert response.status_code == 302
    assert "elsewhere.example" not in response["Location"]
    person.refresh_from_db()
    assert person.language == "de"


def test_the_switcher_ignores_a_language_plaudit_does_not_speak(page_client):
    person = UserFactory(language="de")

    browser = page_client(person)

    response = browser.post(SWITCH, {"language": "pt", "next": "/"})

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.language == "de"
    # Django's view may still set its cookie (Django itself speaks pt); LocaleMiddleware
    # only honours settings.LANGUAGES, so the page stays in the person's language.
    assert browser.get("/")["Content-Language"] == "de"


def test_the_switcher_is_a_post_protected_by_csrf():
    person = UserFactory()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(person)

    response = browser.post(SWITCH, {"language": "fr", "next": "/"})

    assert response.status_code == 403
    person.refresh_from_db()
    assert person.language == ""
