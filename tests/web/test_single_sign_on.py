"""Single sign-on in a browser, through real identity providers run as second processes:
django-oauth-toolkit's OpenID Connect provider and pysaml2's SAML IdP (tests/idp/).

Each test drives the whole redirect flow: Plaudit's sign-in page, the provider's own
sign-in form, and back. A new person is hired with the role their groups map to, an
existing one signs in (and follows their groups), a deactivated one is refused.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from playwright.sync_api import expect

from config import sso
from plaudit.people.models import GroupRoleMapping, User
from plaudit.people.roles import Role
from tests.factories import UserFactory
from tests.idp.providers import (
    IDP_PASSWORD,
    OIDC_CLIENT_ID,
    OIDC_CLIENT_SECRET,
    Provider,
    free_port,
    person,
    start_oidc_provider,
    start_saml_idp,
)

from .browser import LiveServer, _application, _pages

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

# Who the identity providers know. Ada is new to Plaudit; Bob is on the roster already
# (as an employee; his groups make him a manager); Carol has left (deactivated in Plaudit).
PEOPLE = {
    "ada@example.com": person(
        "ada@example.com",
        given_name="Ada",
        family_name="Lovelace",
        department="Research",
        title="Analyst",
        employee_id="E-ADA",
        manager="bob@example.com",
        groups=["plaudit-hr", "everyone"],
    ),
    "bob@example.com": person(
        "bob@example.com",
        given_name="Bob",
        family_name="Builder",
        groups=["plaudit-managers"],
    ),
    "carol@example.com": person("carol@example.com", given_name="Carol", groups=["everyone"]),
}


def _fork_server(django_db_blocker: Any) -> Any:
    from daphne.testing import DaphneProcess

    server = DaphneProcess("127.0.0.1", _application)
    with django_db_blocker.unblock():
        connections.close_all()
        server.start()
    if not server.ready.wait(timeout=30):
        server.terminate()
        raise RuntimeError("The test server did not start within 30 seconds.")
    return server


@pytest.fixture
def roster(transactional_db: None) -> dict[str, User]:
    GroupRoleMapping.objects.create(group="Plaudit-HR", role=Role.HR_ADMIN)
    GroupRoleMapping.objects.create(group="plaudit-managers", role=Role.MANAGER)
    return {
        "bob": UserFactory(email="bob@example.com", first_name="Robert", role=Role.EMPLOYEE),
        "carol": UserFactory(email="carol@example.com", is_active=False),
    }


@pytest.fixture
def oidc_site(
    _other_sessions_ended: None,
    django_db_blocker: Any,
    settings: Any,
    tmp_path: Path,
    roster: dict[str, User],
) -> Iterator[tuple[LiveServer, Provider]]:
    """Plaudit configured for "Acme SSO" (as SSO_OIDC_* would), then the provider. The
    provider is the only way in (SSO_ONLY): single sign-on must not need a password."""
    port = free_port()
    settings.SSO_AUTO_CREATE = True
    settings.SSO_ONLY = True
    settings.SOCIALACCOUNT_PROVIDERS = {
        **settings.SOCIALACCOUNT_PROVIDERS,
        "openid_connect": {
            "VERIFIED_EMAIL": True,
            "APPS": [
                sso.oidc_app(
                    name="Acme SSO",
                    discovery_url=f"http://127.0.0.1:{port}/o",
                    client_id=OIDC_CLIENT_ID,
                    secret=OIDC_CLIENT_SECRET,
                )
            ],
        },
    }
    server = _fork_server(django_db_blocker)
    site = LiveServer(url=f"http://127.0.0.1:{server.port.value}")
    try:
        with start_oidc_provider(
            tmp_path / "oidc",
            port=port,
            redirect_uri=f"{site.url}/accounts/oidc/sso/login/callback/",
            people=PEOPLE,
        ) as provider:
            yield site, provider
    finally:
        server.kill()
        server.join(timeout=10)


@pytest.fixture
def browse_oidc(
    chromium: Any, oidc_site: tuple[LiveServer, Provider], monkeypatch: pytest.MonkeyPatch
) -> Iterator[Any]:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    yield from _pages(chromium, oidc_site[0].url)


def _forget_refusals(open_page: Any) -> None:
    """The refusal page is a 403 on purpose; ConsoleWatch would report it."""
    problems = open_page.console.problems
    problems[:] = [p for p in problems if "HTTP 403" not in p]


def _sign_in_at_the_oidc_provider(page: Any, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Sign in with Acme SSO").click()
    page.get_by_label("Username").fill(email)
    page.get_by_label("Password").fill(IDP_PASSWORD)
    page.get_by_role("button", name="Log in to the IdP").click()


def test_oidc_hires_a_new_person_with_their_groups_role_and_signs_in_the_others(
    oidc_site: tuple[LiveServer, Provider], browse_oidc: Any, roster: dict[str, User]
):
    site, _provider = oidc_site
    open_page = browse_oidc
    page = open_page()
    page.goto("/accounts/login/")
    expect(page.get_by_label("Password")).to_have_count(0)  # SSO_ONLY: no password form
    _sign_in_at_the_oidc_provider(page, "ada@example.com")
    page.wait_for_url(f"{site.url}/")
    ada = User.objects.get(email="ada@example.com")
    assert (ada.first_name, ada.last_name, ada.title) == ("Ada", "Lovelace", "Analyst")
    assert str(ada.department) == "Research"
    assert ada.employee_id == "E-ADA"
    assert ada.manager == roster["bob"]
    assert ada.role == Role.HR_ADMIN  # "plaudit-hr" maps to HR admin, in any case
    assert ada.is_staff  # the admin the role gives (people/access.py)

    page = open_page()
    _sign_in_at_the_oidc_provider(page, "bob@example.com")
    page.wait_for_url(f"{site.url}/")
    bob = User.objects.get(pk=roster["bob"].pk)
    assert bob.role == Role.MANAGER  # his groups, at every sign-in
    assert bob.first_name == "Bob"
    assert User.objects.filter(email__iexact="bob@example.com").count() == 1

    page = open_page()
    _sign_in_at_the_oidc_provider(page, "carol@example.com")
    expect(page.get_by_role("heading", name="Account deactivated")).to_be_visible()
    assert page.url.startswith(f"{site.url}/accounts/oidc/sso/login/callback/")
    page.goto("/")
    assert "/accounts/login/" in page.url  # not signed in
    assert not User.objects.get(pk=roster["carol"].pk).is_active
    _forget_refusals(open_page)


# The same people at the SAML IdP, their claims as directory attributes (mail, givenName...).
SAML_PEOPLE = {
    "ada@example.com": person(
        "ada@example.com",
        givenName="Ada",
        sn="Lovelace",
        department="Research",
        title="Analyst",
        employeeNumber="E-ADA",
        manager="bob@example.com",
        groups=["plaudit-hr"],
    ),
    "bob@example.com": person("bob@example.com", givenName="Bob", groups=["plaudit-managers"]),
    "carol@example.com": person("carol@example.com", givenName="Carol"),
}


@pytest.fixture
def saml_site(
    _other_sessions_ended: None,
    django_db_blocker: Any,
    settings: Any,
    tmp_path: Path,
    roster: dict[str, User],
) -> Iterator[tuple[LiveServer, Provider]]:
    """Plaudit configured for "Acme SAML" by the IdP's metadata URL, then the IdP, which
    reads Plaudit's SP metadata from its stable URL at the first sign-in."""
    port = free_port()
    idp_url = f"http://127.0.0.1:{port}"
    settings.SSO_AUTO_CREATE = True
    settings.SOCIALACCOUNT_PROVIDERS = {
        **settings.SOCIALACCOUNT_PROVIDERS,
        "saml": {
            "VERIFIED_EMAIL": True,
            "APPS": [
                sso.saml_app(
                    name="Acme SAML",
                    metadata_url=f"{idp_url}/metadata",
                    metadata_file="",
                    entity_id=f"{idp_url}/metadata",
                    sp_entity_id="",
                    attribute_mapping=sso.SAML_ATTRIBUTE_MAPPING,
                )
            ],
        },
    }
    server = _fork_server(django_db_blocker)
    site = LiveServer(url=f"http://127.0.0.1:{server.port.value}")
    try:
        with start_saml_idp(
            tmp_path / "saml",
            port=port,
            people=SAML_PEOPLE,
            sp_metadata_url=f"{site.url}/accounts/saml/sso/metadata/",
        ) as provider:
            yield site, provider
    finally:
        server.kill()
        server.join(timeout=10)


@pytest.fixture
def browse_saml(
    chromium: Any, saml_site: tuple[LiveServer, Provider], monkeypatch: pytest.MonkeyPatch
) -> Iterator[Any]:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    yield from _pages(chromium, saml_site[0].url)


def _sign_in_at_the_saml_idp(page: Any, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Sign in with Acme SAML").click()
    page.get_by_label("Username").fill(email)
    page.get_by_label("Password").fill(IDP_PASSWORD)
    page.get_by_role("button", name="Log in to the SAML IdP").click()


def test_saml_hires_a_new_person_with_their_groups_role_and_signs_in_the_others(
    saml_site: tuple[LiveServer, Provider], browse_saml: Any, roster: dict[str, User]
):
    site, _provider = saml_site
    open_page = browse_saml

    page = open_page()
    _sign_in_at_the_saml_idp(page, "ada@example.com")
    page.wait_for_url(f"{site.url}/")
    ada = User.objects.get(email="ada@example.com")
    assert (ada.first_name, ada.last_name, ada.title) == ("Ada", "Lovelace", "Analyst")
    assert str(ada.department) == "Research"
    assert ada.employee_id == "E-ADA"
    assert ada.manager == roster["bob"]
    assert ada.role == Role.HR_ADMIN

    page = open_page()
    _sign_in_at_the_saml_idp(page, "bob@example.com")
    page.wait_for_url(f"{site.url}/")
    assert User.objects.get(pk=roster["bob"].pk).role == Role.MANAGER

    page = open_page()
    _sign_in_at_the_saml_idp(page, "carol@example.com")
    expect(page.get_by_role("heading", name="Account deactivated")).to_be_visible()
    page.goto("/")
    assert "/accounts/login/" in page.url
    _forget_refusals(open_page)
