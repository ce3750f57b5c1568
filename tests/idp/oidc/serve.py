"""Start the test OpenID Connect provider: ``python -m tests.idp.oidc.serve PORT DIR``.

``DIR`` holds ``people.json`` ({username: {"password", "claims"}}) and ``client.json``
({"client_id", "client_secret", "redirect_uri"}); a fresh RS256 key and database are made
there, then the server runs on 127.0.0.1:PORT until killed.
"""

import json
import os
import sys
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def main(port: int, directory: Path) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (directory / "rsa.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    os.environ.update(
        DJANGO_SETTINGS_MODULE="tests.idp.oidc.settings",
        IDP_DATABASE=str(directory / "idp.sqlite3"),
        IDP_RSA_KEY=str(directory / "rsa.pem"),
        IDP_PEOPLE=str(directory / "people.json"),
        # The test runs over http on 127.0.0.1; oauthlib wants https otherwise.
        OAUTHLIB_INSECURE_TRANSPORT="1",
    )
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    for username, person in json.loads((directory / "people.json").read_text()).items():
        User.objects.create_user(username=username, password=person["password"])
    client = json.loads((directory / "client.json").read_text())
    Application.objects.create(
        name="Plaudit",
        client_id=client["client_id"],
        client_secret=client["client_secret"],
        hash_client_secret=False,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=client["redirect_uri"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, use_threading=True)


if __name__ == "__main__":
    main(int(sys.argv[1]), Path(sys.argv[2]))
