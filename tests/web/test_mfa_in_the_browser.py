"""Two-factor authentication in Chromium: an HR admin made to enrol an authenticator app,
and a passkey registered and used to sign in, with a virtual authenticator.

Chromium's DevTools protocol (``WebAuthn.addVirtualAuthenticator``) stands in for a
phone or a security key: the page's own scripts (allauth's webauthn.js, under the CSP)
run the real WebAuthn ceremonies against the real server, which checks them with fido2.

A passkey belongs to a domain: the test server's relying party id is ``localhost`` (the
host of the default PLAUDIT_SITE_URL), so the browser opens it as ``localhost``, one of
the names a browser trusts over plain HTTP.
"""

import time
from collections.abc import Iterator
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.db import connections
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD, HRAdminFactory, UserFactory

from .browser import ConsoleWatch, LiveServer, _application, sign_in

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


@pytest.fixture
def mfa_required_server(
    _other_sessions_ended: None, django_db_blocker: Any, settings: Any
) -> Iterator[LiveServer]:
    """A server of its own that requires MFA of HR admins (set before the fork, so the
    server process has it; the session's shared server keeps the default)."""
    from daphne.testing import DaphneProcess

    settings.PLAUDIT_REQUIRE_MFA_FOR = ["hr_admin"]
    server = DaphneProcess("127.0.0.1", _application)
    with django_db_blocker.unblock():
        connections.close_all()
        server.start()
    if not server.ready.wait(timeout=30):
        server.terminate()
        raise RuntimeError("The test server did not start within 30 seconds.")
    yield LiveServer(url=f"http://127.0.0.1:{server.port.value}")
    server.kill()
    server.join(timeout=10)


def test_an_hr_admin_is_made_to_enrol_an_authenticator_app_then_works(
    mfa_required_server, chromium, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    hr = HRAdminFactory()
    console = ConsoleWatch()
    context = chromium.new_context(base_url=mfa_required_server.url)
    console.watch(context)
    page = context.new_page()
    page.set_default_timeout(15_000)

    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(hr.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url("**/accounts/2fa/")
    expect(page.get_by_role("alert")).to_contain_text("Your role must use two-factor")
    page.goto("/hr/people/")
    page.wait_for_url("**/accounts/2fa/")  # every page sends them back

    page.get_by_role("link", name="Set up an authenticator app").click()
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    secret = page.get_by_label("Or type this key into the app").input_value()
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    page.get_by_label("Code from the app").fill(code)
    page.get_by_role("button", name="Activate").click()

    page.wait_for_url("**/accounts/2fa/recovery-codes/")
    page.goto("/hr/people/")
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    assert Authenticator.objects.filter(user=hr, type=Authenticator.Type.TOTP).exists()
    context.close()
    console.assert_clean()
