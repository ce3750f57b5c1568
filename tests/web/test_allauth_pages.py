"""Every sign-in page allauth serves is a Plaudit page: its layout, its sentence case."""

import re
from html import unescape

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

SIGNED_OUT_PAGES = [
    "/accounts/login/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/accounts/password/reset/key/1-not-a-key/",
    "/accounts/password/reset/key/done/",
    "/accounts/signup/",
    "/accounts/inactive/",
    "/accounts/confirm-email/",
    "/accounts/3rdparty/login/cancelled/",
    "/accounts/3rdparty/login/error/",
]
STATUS = {"/accounts/3rdparty/login/error/": 401}  # allauth answers a failed sign-in so
SIGNED_IN_PAGES = [
    "/accounts/logout/",
    "/accounts/password/change/",
    "/accounts/email/",
    "/accounts/reauthenticate/",
    "/accounts/3rdparty/",
]
# allauth's own wording, which Plaudit's pages replace.
ALLAUTH_TITLE_CASE = [
    "Remember Me",
    "Change Password",
    "Forgot Password",
    "Sign In",
    "Sign Out",
    "Sign Up",
    "Password Reset",
    "Reset My Password",
    "Current Password",
    "New Password",
    "Email Addresses",
    "Add Email",
    "Make Primary",
    "Bad Token",
    "Set Password",
    "Account Inactive",
    "Confirm Access",
    "Account Connections",
    "Login Cancelled",
    "Third-Party Login Failure",
    "Verify Your Email Address",
]


def _main_texts(page: str) -> list[str]:
    """The text of the page's <main>, one piece per element."""
    main = page[page.index("<main") : page.index("</main>")]
    pieces = (" ".join(unescape(piece).split()) for piece in re.split(r"<[^>]+>", main))
    return [piece for piece in pieces if piece]


def _check(page: str) -> None:
    assert 'class="site-header"' in page  # Plaudit's layout, not allauth's bare one
    assert "· Plaudit</title>" in page
    texts = _main_texts(page)
    for words in ALLAUTH_TITLE_CASE:
        assert not [text for text in texts if words in text], words
    title_case = [re.findall(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+)+\b", text) for text in texts]
    assert [found for found in title_case if found] == []


@pytest.mark.parametrize("path", SIGNED_OUT_PAGES)
def test_each_signed_out_page_is_in_plaudits_layout_and_sentence_case(path):
    response = Client().get(path)

    assert response.status_code == STATUS.get(path, 200), response
    _check(response.content.decode())


@pytest.mark.parametrize("path", SIGNED_IN_PAGES)
def test_each_signed_in_page_is_in_plaudits_layout_and_sentence_case(page_client, employee, path):
    response = page_client(employee).get(path)

    assert response.status_code == 200, response
    _check(response.content.decode())


def test_the_sign_in_page_offers_remember_me_and_a_forgotten_password_link():
    page = Client().get("/accounts/login/").content.decode()

    assert "Remember me" in _main_texts(page)
    assert 'href="/accounts/password/reset/"' in page
