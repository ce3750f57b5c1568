"""Teams outgoing webhooks sign each request: ``Authorization: HMAC <signature>``, the
base64 of the HMAC-SHA256 of the raw body, keyed with the base64-decoded security token
Teams showed once when the webhook was created. The token is the workspace's signing
secret; each Teams team has its own webhook and token, so the workspace is the one
whose token verifies the request.
"""

import base64
import binascii
import hashlib
import hmac

from ..models import Platform, Workspace


def signature(body: bytes, security_token: str) -> str:
    """What Teams puts after ``HMAC `` for ``body``; raises ValueError for a token that
    is not base64."""
    try:
        key = base64.b64decode(security_token, validate=True)
    except binascii.Error as exc:
        raise ValueError("a Teams security token is base64") from exc
    return base64.b64encode(hmac.new(key, body, hashlib.sha256).digest()).decode()


def signature_matches(body: bytes, authorization: str, security_token: str) -> bool:
    scheme, _sep, provided = authorization.strip().partition(" ")
    if scheme.upper() != "HMAC" or not provided or not security_token:
        return False
    try:
        expected = signature(body, security_token)
    except ValueError:
        return False
    return hmac.compare_digest(provided.strip().encode(), expected.encode())


def workspace_signing(body: bytes, authorization: str) -> Workspace | None:
    """The active Teams workspace whose security token signed ``body``, or None."""
    if not authorization:
        return None
    for workspace in Workspace.objects.active().filter(platform=Platform.TEAMS):
        if signature_matches(body, authorization, workspace.effective_signing_secret()):
            return workspace
    return None
