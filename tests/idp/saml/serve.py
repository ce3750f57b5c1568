"""A real SAML 2.0 IdP for the single sign-on tests: pysaml2's ``saml2.server.Server`` in a
tiny WSGI app. ``python -m tests.idp.saml.serve PORT DIR``.

``DIR`` holds ``people.json`` ({username: {"password", "claims"}}: the claims become
attributes) and ``options.json``: the SP's metadata (``sp_metadata_url`` or
``sp_metadata_file``), and for the refusal tests ``sign_assertion`` (default true),
``tamper`` (an attribute changed after signing) and ``lifetime_minutes`` (negative: the
assertion has expired already). A key and a self-signed certificate are made at start.

- ``GET /metadata``: the IdP's metadata;
- ``GET /sso/redirect?SAMLRequest=…&RelayState=…``: its sign-in form (HTTP-Redirect);
- ``POST /sso/login``: checks the password, answers the SP with a signed assertion
  (HTTP-POST binding: a page whose form posts itself to the SP's ACS).
"""

import datetime
import html
import json
import shutil
import sys
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, make_server

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import AUTHN_PASSWORD_PROTECTED, NAME_FORMAT_URI, NAMEID_FORMAT_EMAILADDRESS, NameID
from saml2.server import Server
from saml2.sigver import get_xmlsec_binary
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256


def make_key_and_certificate(directory: Path) -> tuple[Path, Path]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test SAML IdP")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_file, cert_file = directory / "idp.key", directory / "idp.crt"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return key_file, cert_file


class IdP:
    def __init__(self, port: int, directory: Path) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.directory = directory
        self.key_file, self.cert_file = make_key_and_certificate(directory)
        self.metadata = create_metadata_string(None, config=self._config(), sign=False)

    @property
    def people(self) -> dict[str, Any]:
        return json.loads((self.directory / "people.json").read_text())  # type: ignore[no-any-return]

    @property
    def options(self) -> dict[str, Any]:
        """Read at every request: a test may change them between two sign-ins."""
        return json.loads((self.directory / "options.json").read_text())  # type: ignore[no-any-return]

    def _config(self, sp_metadata: Path | None = None) -> IdPConfig:
        lifetime = int(self.options.get("lifetime_minutes", 15))
        config = IdPConfig()
        config.load(
            {
                "entityid": f"{self.url}/metadata",
                "xmlsec_binary": get_xmlsec_binary(["/usr/bin", "/usr/local/bin"]),
                "key_file": str(self.key_file),
                "cert_file": str(self.cert_file),
                "metadata": {"local": [str(sp_metadata)]} if sp_metadata else {},
                "service": {
                    "idp": {
                        "endpoints": {
                            "single_sign_on_service": [
                                (f"{self.url}/sso/redirect", BINDING_HTTP_REDIRECT)
                            ]
                        },
                        "policy": {
                            "default": {
                                "lifetime": {"minutes": lifetime},
                                "name_form": NAME_FORMAT_URI,
                            }
                        },
                        "name_id_format": [NAMEID_FORMAT_EMAILADDRESS],
                    }
                },
            }
        )
        return config

    @property
    def server(self) -> Server:
        """Made at each sign-in, with the options of the moment; the SP's metadata names the
        IdP's, so it is read at the first sign-in, not at start."""
        sp_metadata = self.directory / "sp-metadata.xml"
        if not sp_metadata.exists():
            if self.options.get("sp_metadata_url"):
                sp_metadata.write_text(httpx.get(self.options["sp_metadata_url"]).text)
            else:
                shutil.copy(self.options["sp_metadata_file"], sp_metadata)
        return Server(config=self._config(sp_metadata))

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        path = environ["PATH_INFO"]
        if path == "/metadata":
            return self._answer(start_response, self.metadata, "application/samlmetadata+xml")
        if path == "/sso/redirect":
            query = {k: v[0] for k, v in parse_qs(environ["QUERY_STRING"]).items()}
            return self._answer(start_response, self._form(query))
        if path == "/sso/login" and environ["REQUEST_METHOD"] == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            posted = {k: v[0] for k, v in parse_qs(environ["wsgi.input"].read(length)).items()}
            return self._answer(start_response, self._respond(posted))
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    def _answer(
        self, start_response: Any, body: str | bytes, kind: str = "text/html"
    ) -> list[bytes]:
        data = body.encode() if isinstance(body, str) else body
        start_response("200 OK", [("Content-Type", f"{kind}; charset=utf-8")])
        return [data]

    def _form(self, query: dict[str, str]) -> str:
        hidden = "".join(
            f'<input type="hidden" name="{name}" value="{html.escape(query.get(name, ""))}">'
            for name in ("SAMLRequest", "RelayState")
        )
        return (
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            "<title>Test SAML IdP</title></head><body><h1>Test SAML IdP</h1>"
            '<form method="post" action="/sso/login">'
            '<label for="username">Username</label> <input id="username" name="username">'
            '<label for="password">Password</label> '
            '<input id="password" name="password" type="password">'
            f'{hidden}<button type="submit">Log in to the SAML IdP</button></form></body></html>'
        )

    def _respond(self, posted: dict[bytes, bytes]) -> str:
        form = {k.decode(): v.decode() for k, v in posted.items()}
        person = self.people.get(form["username"])
        if person is None or person["password"] != form["password"]:
            return "<!doctype html><title>Refused</title><p>Wrong username or password.</p>"
        server = self.server
        request = server.parse_authn_request(form["SAMLRequest"], BINDING_HTTP_REDIRECT)
        message = request.message
        acs = message.assertion_consumer_service_url
        claims = person["claims"]
        identity = {
            name: value if isinstance(value, list) else [value] for name, value in claims.items()
        }
        signed = bool(self.options.get("sign_assertion", True))
        response = server.create_authn_response(
            identity,
            in_response_to=message.id,
            destination=acs,
            sp_entity_id=message.issuer.text,
            name_id=NameID(format=NAMEID_FORMAT_EMAILADDRESS, text=claims["email"]),
            sign_assertion=signed,
            sign_response=False,
            authn={"class_ref": AUTHN_PASSWORD_PROTECTED, "authn_auth": self.url},
            # Plaudit refuses SHA-1 (python3-saml's reject_deprecated_algorithm).
            sign_alg=SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA256,
        )
        xml = str(response)
        if self.options.get("tamper"):
            old, new = self.options["tamper"]
            assert old in xml, f"{old!r} is not in the assertion"
            xml = xml.replace(old, new)
        binding = server.apply_binding(
            BINDING_HTTP_POST, xml, acs, form.get("RelayState", ""), response=True
        )
        return str(binding["data"])


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        sys.stderr.write(f"saml idp: {format % args}\n")


def main(port: int, directory: Path) -> None:
    idp = IdP(port, directory)
    make_server("127.0.0.1", port, idp, handler_class=QuietHandler).serve_forever()


if __name__ == "__main__":
    main(int(sys.argv[1]), Path(sys.argv[2]))
