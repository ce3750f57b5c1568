"""Single sign-on without a browser: what the identity provider says becomes true through
the people services, and every answer Plaudit must refuse is refused. The SAML and OpenID
Connect providers are real ones, run as second processes (tests/idp/)."""

import base64
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.test import Client

from config import sso
from plaudit.people.models import GroupRoleMapping, User
from plaudit.people.roles import Role
from tests.factories import UserFactory
from tests.idp.providers import IDP_PASSWORD, free_port, person, start_saml_idp

pytestmark = pytest.mark.django_db
# python3-saml refuses single-label host names ("testserver") in the SP's URLs.
HOST = "127.0.0.1"


def _client() -> Client:
    return Client(HTTP_HOST=HOST)

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
    "carol@example.com": person("carol@example.com", givenName="Carol"),
}


@pytest.fixture
def saml_idp(settings: Any, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Any]:
    """Plaudit configured for the IdP (its metadata URL, as SSO_SAML_METADATA_URL would),
    then the IdP, given Plaudit's SP metadata. ``@pytest.mark.idp(...)``: its options."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
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
    marker = request.node.get_closest_marker("idp")
    options = marker.kwargs if marker else {}
    with start_saml_idp(tmp_path / "saml", port=port, people=SAML_PEOPLE, **options) as idp:
        metadata = _client().get("/accounts/saml/sso/metadata/")
        assert metadata.status_code == 200
        (idp.directory / "sp-given.xml").write_bytes(metadata.content)
        yield idp


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


def test_saml_hires_a_new_person_from_a_signed_assertion(saml_idp: Any):
    GroupRoleMapping.objects.create(group="plaudit-hr", role=Role.HR_ADMIN)
    client = _client()

    response = _saml_sign_in(client, "ada@example.com")

    assert response.status_code == 200, response.content.decode()[:2000]
    ada = User.objects.get(email="ada@example.com")
    assert (ada.first_name, ada.last_name, ada.title, ada.employee_id) == (
        "Ada",
        "Lovelace",
        "Analyst",
        "E-ADA",
    )
    assert ada.role == Role.HR_ADMIN
    assert client.get("/").status_code == 200
