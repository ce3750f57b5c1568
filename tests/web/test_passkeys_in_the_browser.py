"""A passkey registered and used to sign in, in Chromium, with a virtual authenticator.

Chromium's DevTools protocol (``WebAuthn.addVirtualAuthenticator``) stands in for a
phone or a security key: the page's own scripts (allauth's webauthn.js, under the CSP)
run the real WebAuthn ceremonies against the real server, which checks them with fido2.

A passkey belongs to a domain: the test server's relying party id is ``localhost`` (the
host of the default PLAUDIT_SITE_URL), so the browser opens it as ``localhost``, one of
the names a browser trusts over plain HTTP.
"""

from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD, UserFactory

from .browser import ConsoleWatch, LiveServer, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def passkey_page(
    chromium: Any, asgi_live_server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> Any:
    """A page on ``http://localhost:<port>`` with a virtual platform authenticator."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    console = ConsoleWatch()
    context = chromium.new_context(base_url=asgi_live_server.url.replace("127.0.0.1", "localhost"))
    console.watch(context)
    page = context.new_page()
    page.set_default_timeout(15_000)
    devtools = context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    page.console = console
    yield page
    context.close()
    console.assert_clean()


def test_a_passkey_is_added_then_signs_in_on_its_own(passkey_page):
    person = UserFactory()
    page = passkey_page
    sign_in(page, person.email)

    page.goto("/accounts/2fa/")
    page.get_by_role("link", name="Add a passkey").click()
    # allauth asks for the password again before an authenticator is added.
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Add a passkey")).to_be_visible()
    page.get_by_label("Name").fill("Laptop")
    page.get_by_label("Also sign in with this key alone, without a password").check()
    page.get_by_role("button", name="Add", exact=True).click()

    page.wait_for_url("**/accounts/2fa/**")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Add a passkey")
    key = Authenticator.objects.get(user=person, type=Authenticator.Type.WEBAUTHN)
    assert key.wrap().name == "Laptop"
    assert key.wrap().is_passwordless is True

    page.locator(".account-menu summary").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Sign in with a passkey").click()

    page.wait_for_url("**/")
    expect(page.locator(".account-menu summary")).to_be_visible()
    key.refresh_from_db()
    assert key.last_used_at is not None
