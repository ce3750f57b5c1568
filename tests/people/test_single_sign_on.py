"""Single sign-on without a browser: what the identity provider says becomes true through
the people services, and every answer Plaudit must refuse is refused. The SAML and OpenID
Connect providers are real ones, run as second processes (tests/idp/)."""

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.test import Client

from config import sso
from plaudit.people.models import GroupRoleMapping, User
from plaudit.people.roles import Role
from tests.factories import UserFactory
from tests.idp.providers import (
    IDP_PASSWORD,
    Provider,
    free_port,
    person,
    set_saml_options,
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
