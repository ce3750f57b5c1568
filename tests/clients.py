"""API clients as real callers make them."""

from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from plaudit.people.models import User


def bearer_client(user: User) -> APIClient:
    """A client with a bearer token, as API clients call: the token's authentication
    fetches the view's cached page in its own round trip, so this is the path worth
    testing for cached reads (``force_authenticate`` would skip it)."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
    return client
