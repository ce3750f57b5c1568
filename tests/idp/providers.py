"""Real identity providers as second processes, for the single sign-on tests.

- :func:`start_oidc_provider`: django-oauth-toolkit's OpenID Connect provider, in the
  small Django project under tests/idp/oidc/, with an RS256 key made at its start;
- :func:`start_saml_idp`: pysaml2's IdP (``saml2.server.Server``) in the WSGI app under
  tests/idp/saml/, which signs with a key and certificate made at its start. pysaml2 needs
  the ``xmlsec1`` program (``apt-get install xmlsec1``): without it the tests that need the
  IdP skip, or fail when PLAUDIT_REQUIRE_SERVICES is set (CI).

Each runs on a free port of 127.0.0.1 and is stopped when its ``with`` block ends.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
REQUIRE_SERVICES = bool(os.environ.get("PLAUDIT_REQUIRE_SERVICES"))
OIDC_CLIENT_ID = "plaudit"
OIDC_CLIENT_SECRET = "plaudit-test-secret"
IDP_PASSWORD = "idp-password"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def needs_xmlsec1() -> None:
    if shutil.which("xmlsec1") is None:
        message = "needs the xmlsec1 program for pysaml2's IdP (apt-get install xmlsec1)"
        if REQUIRE_SERVICES:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


@contextmanager
def _process(command: list[str], *, ready_url: str, log: Path) -> Iterator[None]:
    environ = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    environ["PYTHONUNBUFFERED"] = "1"
    with log.open("w") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=environ, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{command} did not start:\n{log.read_text()}")
            try:
                if httpx.get(ready_url, timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@dataclass(frozen=True)
class Provider:
    url: str
    directory: Path

    @property
    def discovery_url(self) -> str:
        return f"{self.url}/o/.well-known/openid-configuration"

    @property
    def metadata_url(self) -> str:
        return f"{self.url}/metadata"

    def log(self) -> str:
        return "\n".join(p.read_text() for p in self.directory.glob("*.log"))


def person(email: str, **claims: Any) -> dict[str, Any]:
    """A person at the IdP, signing in with their email as username and IDP_PASSWORD."""
    return {"password": IDP_PASSWORD, "claims": {"email": email, **claims}}


@contextmanager
def start_oidc_provider(
    directory: Path, *, port: int, redirect_uri: str, people: dict[str, Any]
) -> Iterator[Provider]:
    """django-oauth-toolkit's provider on ``port``; Plaudit is its client ``plaudit``."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "people.json").write_text(json.dumps(people))
    client = {
        "client_id": OIDC_CLIENT_ID,
        "client_secret": OIDC_CLIENT_SECRET,
        "redirect_uri": redirect_uri,
    }
    (directory / "client.json").write_text(json.dumps(client))
    provider = Provider(url=f"http://127.0.0.1:{port}", directory=directory)
    command = [sys.executable, "-m", "tests.idp.oidc.serve", str(port), str(directory)]
    with _process(command, ready_url=provider.discovery_url, log=directory / "oidc.log"):
        yield provider


@contextmanager
def start_saml_idp(
    directory: Path,
    *,
    port: int,
    people: dict[str, Any],
    sp_metadata_url: str = "",
    **options: Any,
) -> Iterator[Provider]:
    """pysaml2's IdP on ``port``, trusting the SP whose metadata is at ``sp_metadata_url``,
    or else written to ``directory / "sp-given.xml"`` before the first sign-in (the SP's
    metadata page reads the IdP's, so the IdP reads the SP's only at its first sign-in).

    ``options`` (for the refusal tests): ``sign_assertion`` (default true),
    ``tamper`` (change an attribute after signing), ``lifetime_minutes`` (negative: the
    assertion has expired when it arrives).
    """
    needs_xmlsec1()
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "people.json").write_text(json.dumps(people))
    config = {
        "sp_metadata_url": sp_metadata_url,
        "sp_metadata_file": str(directory / "sp-given.xml"),
        **options,
    }
    (directory / "options.json").write_text(json.dumps(config))
    provider = Provider(url=f"http://127.0.0.1:{port}", directory=directory)
    command = [sys.executable, "-m", "tests.idp.saml.serve", str(port), str(directory)]
    with _process(command, ready_url=provider.metadata_url, log=directory / "saml.log"):
        yield provider


def set_saml_options(provider: Provider, **options: Any) -> None:
    """Change how the running IdP answers from its next sign-in on (see start_saml_idp)."""
    path = provider.directory / "options.json"
    kept = {k: v for k, v in json.loads(path.read_text()).items() if k.startswith("sp_")}
    path.write_text(json.dumps({**kept, **options}))
