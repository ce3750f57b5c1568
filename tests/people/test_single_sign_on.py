"""Single sign-on without a browser: what the identity provider says becomes true through
the people services, and every answer Plaudit must refuse is refused. The SAML and OpenID
Connect providers are real ones, run as second processes (tests/idp/)."""

import base64
import hashlib
import re
import secrets
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from allauth.socialaccount.adapter import get_adapter
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory
from rest_framework.test import APIClient

from config import sso
from config.sso import OIDC_PROVIDER_ID
from plaudit.people.models import GroupRoleMapping, User
from plaudit.people.roles import Role
from plaudit.people.services import create_person, deactivate_person
from tests.factories import TEST_PASSWORD, UserFactory
from tests.idp.providers import (
    IDP_PASSWORD,
    OIDC_CLIENT_ID,
    OIDC_CLIENT_SECRET,
    Provider,
    free_port,
    person,
    set_saml_options,
    start_oidc_provider,
    start_saml_idp,
)

pytestmark = pytest.mark.django_db
# python3-saml refuses single-label host names ("testserver") in the SP's URLs.
HOST = "127.0.0.1"

SAML_PEOPLE = {
    "ada@example.com": person(
        "ada@example.com",
        givenName="Ada",
        sn="Lovelace",
        title="Analyst",
        department="Research",
        employeeNumber="E-ADA",
        groups=["plaudit-hr"],
    ),
    "bob@example.com": person("bob@example.com", givenName="Bob", groups=["plaudit-managers"]),
    "carol@example.com": person("carol@example.com", givenName="Carol"),
}


def _client() -> Client:
    return Client(HTTP_HOST=HOST)


@pytest.fixture(scope="module")
def saml_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    """One IdP for the module; each test sets its options (set_saml_options)."""
    with start_saml_idp(
        tmp_path_factory.mktemp("saml"), port=free_port(), people=SAML_PEOPLE
    ) as idp:
        yield idp


@pytest.fixture
def saml_idp(settings: Any, saml_process: Provider) -> Provider:
    """Plaudit configured for the IdP (its metadata URL, as SSO_SAML_METADATA_URL would);
    the IdP given Plaudit's SP metadata; the IdP's options back to a signed assertion."""
    url = saml_process.url
    settings.SSO_AUTO_CREATE = True
    settings.SOCIALACCOUNT_PROVIDERS = {
        **settings.SOCIALACCOUNT_PROVIDERS,
        "saml": {
            "VERIFIED_EMAIL": True,
            "APPS": [
                sso.saml_app(
                    name="Acme SAML",
                    metadata_url=f"{url}/metadata",
                    metadata_file="",
                    entity_id=f"{url}/metadata",
                    sp_entity_id="",
                    attribute_mapping=sso.SAML_ATTRIBUTE_MAPPING,
                )
            ],
        },
    }
    GroupRoleMapping.objects.create(group="plaudit-hr", role=Role.HR_ADMIN)
    GroupRoleMapping.objects.create(group="plaudit-managers", role=Role.MANAGER)
    metadata = _client().get("/accounts/saml/sso/metadata/")
    assert metadata.status_code == 200
    (saml_process.directory / "sp-given.xml").write_bytes(metadata.content)
    set_saml_options(saml_process)
    return saml_process


def _saml_sign_in(client: Client, username: str) -> Any:
    """The whole round trip: Plaudit → the IdP's form → the assertion posted to the ACS."""
    start = client.post("/accounts/saml/sso/login/")
    assert start.status_code == 302, start.content
    location = start["Location"]
    query = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
    base = location.split("/sso/")[0]
    answer = httpx.post(
        f"{base}/sso/login",
        data={"username": username, "password": IDP_PASSWORD, **query},
        timeout=30,
    )
    fields = dict(re.findall(r'name="(SAMLResponse|RelayState)" value="([^"]*)"', answer.text))
    assert "SAMLResponse" in fields, answer.text
    acs = re.search(r'action="([^"]+)"', answer.text)
    assert acs is not None
    assert urlsplit(acs.group(1)).path == "/accounts/saml/sso/acs/"
    return client.post("/accounts/saml/sso/acs/", fields, follow=True)


def _signed_in(client: Client) -> bool:
    return client.get("/").status_code == 200


def test_the_sp_metadata_is_at_a_stable_url_and_asks_for_signed_assertions(saml_idp: Provider):
    metadata = _client().get("/accounts/saml/sso/metadata/").content.decode()

    assert 'entityID="http://127.0.0.1/accounts/saml/sso/metadata/"' in metadata
    assert 'WantAssertionsSigned="true"' in metadata
    assert "http://127.0.0.1/accounts/saml/sso/acs/" in metadata


def test_saml_hires_a_new_person_from_a_signed_assertion(saml_idp: Provider):
    client = _client()

    response = _saml_sign_in(client, "ada@example.com")

    assert response.status_code == 200
    ada = User.objects.get(email="ada@example.com")
    assert (ada.first_name, ada.last_name, ada.title, ada.employee_id) == (
        "Ada",
        "Lovelace",
        "Analyst",
        "E-ADA",
    )
    assert str(ada.department) == "Research"
    assert ada.role == Role.HR_ADMIN
    assert _signed_in(client)


def test_saml_signs_in_someone_on_the_roster_and_their_role_follows_their_groups(
    saml_idp: Provider,
):
    bob = UserFactory(email="Bob@Example.com", role=Role.EMPLOYEE)
    client = _client()

    _saml_sign_in(client, "bob@example.com")

    assert _signed_in(client)
    bob.refresh_from_db()
    assert bob.role == Role.MANAGER
    assert User.objects.filter(email__iexact="bob@example.com").count() == 1


def test_a_deactivated_person_cannot_sign_in_through_saml(saml_idp: Provider):
    carol = UserFactory(email="carol@example.com", is_active=False, first_name="C")
    client = _client()

    response = _saml_sign_in(client, "carol@example.com")

    assert response.status_code == 403
    assert "Account deactivated" in response.content.decode()
    assert not _signed_in(client)
    carol.refresh_from_db()
    assert (carol.is_active, carol.first_name) == (False, "C")


def test_someone_unknown_is_refused_when_auto_create_is_off(saml_idp: Provider, settings: Any):
    settings.SSO_AUTO_CREATE = False
    client = _client()

    response = _saml_sign_in(client, "ada@example.com")

    assert response.status_code == 403
    assert "Not on the roster" in response.content.decode()
    assert not User.objects.filter(email="ada@example.com").exists()


@pytest.mark.parametrize(
    "options",
    [
        pytest.param({"tamper": ["Analyst", "Admin"]}, id="tampered"),
        pytest.param({"lifetime_minutes": -30}, id="expired"),
        pytest.param({"sign_assertion": False}, id="unsigned"),
    ],
)
def test_a_tampered_expired_or_unsigned_assertion_is_refused(
    saml_idp: Provider, options: dict[str, Any]
):
    set_saml_options(saml_idp, **options)
    client = _client()

    response = _saml_sign_in(client, "ada@example.com")

    assert "Sign-in did not work" in response.content.decode()
    assert not _signed_in(client)
    assert not User.objects.filter(email="ada@example.com").exists()


def test_the_saml_idp_can_be_configured_from_its_metadata_file(
    saml_process: Provider, tmp_path: Path
):
    metadata = tmp_path / "idp-metadata.xml"
    metadata.write_text(httpx.get(saml_process.metadata_url).text)

    idp = sso.saml_idp_from_metadata_file(str(metadata))

    assert idp["entity_id"] == saml_process.metadata_url
    assert idp["sso_url"] == f"{saml_process.url}/sso/redirect"
    assert idp["x509cert"]


# --- OpenID Connect: the ID token must be the provider's, for Plaudit --------------------


@pytest.fixture(scope="module")
def oidc_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    people = {"ada@example.com": person("ada@example.com", given_name="Ada")}
    with start_oidc_provider(
        tmp_path_factory.mktemp("oidc"),
        port=free_port(),
        redirect_uri=CALLBACK,
        people=people,
    ) as provider:
        yield provider


CALLBACK = "http://127.0.0.1/accounts/oidc/sso/login/callback/"


def _configure_oidc(settings: Any, provider: Provider, *, client_id: str = OIDC_CLIENT_ID) -> None:
    settings.SOCIALACCOUNT_PROVIDERS = {
        **settings.SOCIALACCOUNT_PROVIDERS,
        "openid_connect": {
            "VERIFIED_EMAIL": True,
            "APPS": [
                sso.oidc_app(
                    name="Acme SSO",
                    discovery_url=f"{provider.url}/o",
                    client_id=client_id,
                    secret=OIDC_CLIENT_SECRET,
                )
            ],
        },
    }


def _id_token(provider: Provider) -> str:
    """An ID token the provider issues to Plaudit, through the authorization code flow."""
    verifier = secrets.token_urlsafe(48)
    challenge = (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )
    with httpx.Client(base_url=provider.url, timeout=30) as browser:
        form = browser.get("/login/")
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        assert csrf is not None
        browser.post(
            "/login/",
            data={
                "username": "ada@example.com",
                "password": IDP_PASSWORD,
                "csrfmiddlewaretoken": csrf.group(1),
            },
        )
        authorize = browser.get(
            "/o/authorize/",
            params={
                "response_type": "code",
                "client_id": OIDC_CLIENT_ID,
                "redirect_uri": CALLBACK,
                "scope": "openid profile email",
                "state": "s",
                "nonce": "n",
                "code_challenge": challenge,
                "code_challenge_method": "S256",
            },
        )
        assert authorize.status_code == 302, authorize.text
        code = parse_qs(urlsplit(authorize.headers["location"]).query)["code"][0]
        token = browser.post(
            "/o/token/",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": CALLBACK,
                "client_id": OIDC_CLIENT_ID,
                "client_secret": OIDC_CLIENT_SECRET,
                "code_verifier": verifier,
            },
        )
        assert token.status_code == 200, token.text
        return str(token.json()["id_token"])


def _verify(id_token: str) -> Any:
    """allauth's check of an ID token against the provider's keys (jwks_uri), issuer and
    audience: what it does to any token it did not fetch itself over TLS."""
    request = RequestFactory().get("/", HTTP_HOST=HOST)
    provider = get_adapter().get_provider(request, OIDC_PROVIDER_ID)
    return provider.verify_token(request, {"id_token": id_token})


def test_an_id_token_from_the_provider_for_plaudit_is_accepted(
    oidc_process: Provider, settings: Any
):
    _configure_oidc(settings, oidc_process)

    login = _verify(_id_token(oidc_process))

    assert login.user.email == "ada@example.com"


def test_an_id_token_with_a_bad_signature_is_refused(oidc_process: Provider, settings: Any):
    _configure_oidc(settings, oidc_process)
    header, payload, signature = _id_token(oidc_process).split(".")
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]

    with pytest.raises(ValidationError):
        _verify(f"{header}.{payload}.{flipped}")


def test_an_id_token_for_another_client_is_refused(oidc_process: Provider, settings: Any):
    _configure_oidc(settings, oidc_process, client_id="another-application")

    with pytest.raises(ValidationError):
        _verify(_id_token(oidc_process))


# --- The sign-in page --------------------------------------------------------------------


def test_the_sign_in_page_offers_the_provider_by_name_and_fetches_nothing(
    settings: Any, monkeypatch: pytest.MonkeyPatch
):
    settings.SOCIALACCOUNT_PROVIDERS = {
        **settings.SOCIALACCOUNT_PROVIDERS,
        "openid_connect": {
            "APPS": [
                sso.oidc_app(
                    name="Acme SSO",
                    discovery_url="https://sso.acme.example/realms/acme",
                    client_id="plaudit",
                    secret="s",
                )
            ]
        },
        "saml": {
            "APPS": [
                sso.saml_app(
                    name="Acme SAML",
                    metadata_url="https://sso.acme.example/saml/metadata",
                    metadata_file="",
                    entity_id="https://sso.acme.example/saml/metadata",
                    sp_entity_id="",
                    attribute_mapping=sso.SAML_ATTRIBUTE_MAPPING,
                )
            ]
        },
    }

    def no_network(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("The sign-in page reached for the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    page = Client().get("/accounts/login/")

    assert page.status_code == 200
    text = page.content.decode()
    assert "Sign in with Acme SSO" in text
    assert "Sign in with Acme SAML" in text
    assert "form-action 'self' https://sso.acme.example" in page["Content-Security-Policy"]


# --- SSO_ONLY: the provider is the only way in, but for a break-glass superuser ----------


def test_with_sso_only_password_sign_in_is_refused_but_to_a_superuser(settings: Any):
    settings.SSO_ONLY = True
    employee = UserFactory()
    root = User.objects.create_superuser(email="root@example.com", password=TEST_PASSWORD)
    client = Client()

    refused = client.post("/accounts/login/", {"login": employee.email, "password": TEST_PASSWORD})
    api = APIClient().post(
        "/api/v1/auth/token/", {"email": employee.email, "password": TEST_PASSWORD}, format="json"
    )
    let_in = Client().post("/accounts/login/", {"login": root.email, "password": TEST_PASSWORD})

    assert refused.status_code == 200  # the form again, not signed in
    assert not _signed_in(client)
    assert api.status_code == 401
    assert let_in.status_code == 302


def _pre_login(user: User, sociallogin: Any = None) -> Any:
    """allauth's last word before anyone is signed in, whichever way they came."""
    from allauth.account.adapter import get_adapter as get_account_adapter
    from django.contrib.sessions.backends.db import SessionStore

    request = RequestFactory().get("/accounts/login/")
    request.session = SessionStore()
    request.user = AnonymousUser()
    return get_account_adapter(request).pre_login(
        request,
        user,
        email_verification="none",
        signal_kwargs=None if sociallogin is None else {"sociallogin": sociallogin},
        email=None,
        signup=False,
        redirect_url=None,
    )


def test_with_sso_only_no_other_way_signs_in_anyone_but_a_superuser(settings: Any):
    """A passkey, Google or GitHub, a code by email: only the company's provider, under
    SSO_ONLY (the break-glass superuser excepted)."""
    from types import SimpleNamespace

    settings.SSO_ONLY = True
    employee = UserFactory()
    root = User.objects.create_superuser(email="root@example.com", password=TEST_PASSWORD)
    google = SimpleNamespace(provider=SimpleNamespace(id="google"))
    company = SimpleNamespace(provider=SimpleNamespace(id="openid_connect"))

    passkey = _pre_login(employee)
    social = _pre_login(employee, google)

    assert passkey is not None
    assert passkey.status_code == 403
    assert "Single sign-on only" in passkey.content.decode()
    assert social is not None
    assert social.status_code == 403
    assert _pre_login(employee, company) is None
    assert _pre_login(root) is None
    settings.SSO_ONLY = False
    assert _pre_login(employee) is None


def test_with_sso_only_the_sign_in_page_shows_the_password_form_only_when_asked(settings: Any):
    settings.SSO_ONLY = True

    page = Client().get("/accounts/login/").content.decode()
    break_glass = Client().get("/accounts/login/?password").content.decode()

    assert 'name="password"' not in page
    assert "Your company signs you in" in page
    assert 'name="password"' in break_glass


def test_someone_deactivated_after_their_first_sign_in_is_refused_at_the_next(
    saml_idp: Provider,
):
    hr = create_person(actor=None, email="hana@example.com", role=Role.HR_ADMIN)
    _saml_sign_in(_client(), "bob@example.com")  # hired, and linked to the IdP account
    bob = User.objects.get(email="bob@example.com")
    deactivate_person(bob, actor=hr)
    client = _client()

    response = _saml_sign_in(client, "bob@example.com")

    assert response.status_code == 403
    assert "Account deactivated" in response.content.decode()
    assert not _signed_in(client)
    assert not User.objects.get(pk=bob.pk).is_active


def test_google_or_github_never_find_a_superuser_by_email():
    from types import SimpleNamespace

    User.objects.create_superuser(email="root@example.com", password=TEST_PASSWORD)
    UserFactory(email="ada@example.com")
    provider = SimpleNamespace(id="google", app=None, get_settings=dict)
    google = SimpleNamespace(provider=provider)

    assert not get_adapter().can_authenticate_by_email(google, "ROOT@example.com")
    assert get_adapter().can_authenticate_by_email(google, "ada@example.com")
