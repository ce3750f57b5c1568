"""The claims of each person, from the file serve.py was given (IDP_PEOPLE)."""

import json
import os
from pathlib import Path
from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator


def people() -> dict[str, Any]:
    return json.loads(Path(os.environ["IDP_PEOPLE"]).read_text())  # type: ignore[no-any-return]


class ClaimsFromFile(OAuth2Validator):
    # Every claim, whatever the scope: the directory's own (groups, department...) too.
    oidc_claim_scope = None

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        # A directory that verifies addresses says so (a person's own claims may say not).
        return {"email_verified": True, **people()[request.user.username]["claims"]}
