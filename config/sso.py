"""Single sign-on providers from the environment: generic OpenID Connect and SAML 2.0,
through django-allauth's ``openid_connect`` and ``saml`` providers (docs/operations.md).

Nothing here reaches the network: the OpenID Connect discovery document is fetched by
allauth when someone signs in, and the SAML IdP's metadata is read from a URL at sign-in
(cached) or, from a file, here at start-up.
"""

from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

# The ids in Plaudit's URLs: /accounts/oidc/sso/login/callback/ and /accounts/saml/sso/...
OIDC_PROVIDER_ID = "sso"
SAML_ORGANIZATION = "sso"


def oidc_app(
    *,
    name: str,
    discovery_url: str,
    client_id: str,
    secret: str,
    scopes: list[str] | None = None,
    pkce: bool = True,
) -> dict[str, Any]:
    """allauth's ``openid_connect`` app: the button reads "Sign in with <name>". PKCE is on
    (a provider that does not know it ignores it, RFC 7636)."""
    return {
        "provider_id": OIDC_PROVIDER_ID,
        "name": name,
        "client_id": client_id,
        "secret": secret,
        "settings": {
            "server_url": discovery_url,
            "scope": scopes or ["openid", "profile", "email"],
            "oauth_pkce_enabled": pkce,
        },
    }


def saml_idp_from_metadata_file(path: str) -> dict[str, Any]:
    """The IdP's entity id, sign-in URL and signing certificate, from its metadata file."""
    from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser

    try:
        xml = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ImproperlyConfigured(f"SSO_SAML_METADATA_FILE {path!r}: {exc}") from exc
    idp = OneLogin_Saml2_IdPMetadataParser.parse(xml)["idp"]
    certificate = idp.get("x509cert") or (idp.get("x509certMulti") or {}).get("signing", [""])[0]
    return {
        "entity_id": idp["entityId"],
        "sso_url": idp["singleSignOnService"]["url"],
        "x509cert": certificate,
    }


def saml_app(
    *,
    name: str,
    metadata_url: str,
    metadata_file: str,
    entity_id: str,
    sp_entity_id: str,
    attribute_mapping: dict[str, list[str]],
) -> dict[str, Any]:
    """allauth's ``saml`` app. Plaudit's SP metadata is at /accounts/saml/sso/metadata/.

    Assertions must be signed (``want_assertion_signed``): an unsigned or tampered one is
    refused, as is one out of its validity window (python3-saml's strict mode).
    """
    if metadata_url:
        if not entity_id:
            raise ImproperlyConfigured("SSO_SAML_METADATA_URL needs SSO_SAML_IDP_ENTITY_ID too.")
        idp: dict[str, Any] = {"entity_id": entity_id, "metadata_url": metadata_url}
    else:
        idp = saml_idp_from_metadata_file(metadata_file)
    settings: dict[str, Any] = {
        "idp": idp,
        "attribute_mapping": attribute_mapping,
        "advanced": {
            "strict": True,
            "want_assertion_signed": True,
            "reject_deprecated_algorithm": True,
            "want_attribute_statement": False,
        },
    }
    if sp_entity_id:
        settings["sp"] = {"entity_id": sp_entity_id}
    return {
        "name": name,
        "provider_id": idp["entity_id"],
        "client_id": SAML_ORGANIZATION,
        "settings": settings,
    }


# allauth's own SAML attribute mapping (uid, email, names) with Plaudit's defaults; the
# people fields Plaudit reads itself (department, title, ...) are in SSO_CLAIM_* settings.
SAML_ATTRIBUTE_MAPPING = {
    "uid": ["urn:oasis:names:tc:SAML:attribute:subject-id", "uid"],
    "email": [
        "email",
        "mail",
        "urn:oid:0.9.2342.19200300.100.1.3",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
    ],
    "first_name": [
        "given_name",
        "givenName",
        "urn:oid:2.5.4.42",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
    ],
    "last_name": [
        "family_name",
        "sn",
        "urn:oid:2.5.4.4",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
    ],
}

# Which claim (OpenID Connect) or attribute (SAML) carries each of a person's fields: the
# first name present wins. Each is overridden by SSO_CLAIM_<FIELD> (comma-separated names).
DEFAULT_CLAIMS: dict[str, list[str]] = {
    "email": SAML_ATTRIBUTE_MAPPING["email"],
    "first_name": SAML_ATTRIBUTE_MAPPING["first_name"],
    "last_name": SAML_ATTRIBUTE_MAPPING["last_name"],
    "name": [
        "name",
        "displayName",
        "urn:oid:2.16.840.1.113730.3.1.241",
        "http://schemas.microsoft.com/identity/claims/displayname",
    ],
    "department": [
        "department",
        "urn:oid:2.5.4.11",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/department",
    ],
    "title": ["title", "jobTitle", "job_title", "urn:oid:2.5.4.12"],
    "employee_id": [
        "employee_id",
        "employeeNumber",
        "employeeId",
        "urn:oid:2.16.840.1.113730.3.1.3",
        "http://schemas.microsoft.com/identity/claims/employeeid",
    ],
    # The manager's email address or employee id.
    "manager": ["manager", "manager_email", "managerEmail"],
    "groups": [
        "groups",
        "memberOf",
        "urn:oid:1.3.6.1.4.1.5923.1.5.1.1",
        "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups",
    ],
}
