"""A JWT request finds its person in the cache, and any change to them applies at once."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient
from rest_framework_simplejwt import tokens
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import AccessToken
from rest_framework_simplejwt.utils import aware_utcnow

from plaudit.people import authentication
from plaudit.people.authentication import CachedUserJWTAuthentication
from plaudit.people.cache import forget_cached_people
from plaudit.people.models import User
from plaudit.people.roles import Role
from plaudit.people.services import deactivate_person, update_person
from tests.factories import RewardFactory, UserFactory

pytestmark = pytest.mark.django_db


def _settled(person: User) -> User:
    """As if the person's last change were older than the tombstone it left."""
    cache.delete(f"auth:user:{person.pk}")
    return person


def _bearer(person: User) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(person)}")
    return client


def test_a_cached_catalog_read_with_a_token_makes_no_database_query(employee):
    RewardFactory(name="Mug")
    client = _bearer(_settled(employee))
    assert client.get("/api/v1/rewards/").status_code == 200

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/rewards/")

    assert response.status_code == 200
    assert [reward["name"] for reward in response.json()["results"]] == ["Mug"]
    assert len(queries) == 0, [query["sql"] for query in queries]


def test_deactivation_refuses_the_very_next_request_of_a_cached_person(employee):
    client = _bearer(_settled(employee))
    assert client.get("/api/v1/me/").status_code == 200

    deactivate_person(employee, actor=None)

    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_a_new_role_applies_to_the_very_next_request(employee):
    client = _bearer(_settled(employee))
    payload = {"name": "Desk plant", "cost": 50, "stock": 3}
    assert client.post("/api/v1/rewards/", payload).status_code == 403

    update_person(employee, actor=None, role=Role.HR_ADMIN)

    assert client.post("/api/v1/rewards/", payload).status_code == 201


def test_a_copy_read_before_a_change_is_never_stored_over_it(employee):
    """A request that read the person just before they changed must not cache that copy."""
    authentication = CachedUserJWTAuthentication()
    token = AccessToken.for_user(employee)
    stale = User.objects.get(pk=employee.pk)

    deactivate_person(employee, actor=None)  # leaves a tombstone in the cache
    cache.add(f"auth:user:{employee.pk}", stale, 300)  # what the slow request tries

    with pytest.raises(Exception, match="inactive"):
        authentication.get_user(authentication.get_validated_token(str(token).encode()))


def test_forgetting_nobody_is_harmless(employee):
    forget_cached_people([])
    assert _bearer(employee).get("/api/v1/me/").status_code == 200


def test_a_deleted_person_is_not_served_from_the_cache(employee):
    other = _settled(UserFactory())
    client = _bearer(other)
    assert client.get("/api/v1/me/").status_code == 200

    other.delete()

    assert client.get("/api/v1/me/").status_code == 401


def test_a_token_accepted_before_is_refused_once_it_expires(employee, monkeypatch):
    """Each process remembers tokens it has verified, but checks their expiry every time."""
    client = _bearer(employee)
    assert client.get("/api/v1/me/").status_code == 200

    later = aware_utcnow() + api_settings.ACCESS_TOKEN_LIFETIME + timedelta(seconds=1)
    monkeypatch.setattr(authentication, "aware_utcnow", lambda: later)
    monkeypatch.setattr(tokens, "aware_utcnow", lambda: later)

    refused = client.get("/api/v1/me/")
    assert refused.status_code == 401
    assert refused.json()["code"] == "token_not_valid"


def test_a_token_with_a_forged_signature_is_refused_even_after_the_real_one(employee):
    token = str(AccessToken.for_user(employee))
    assert _bearer_raw(token).get("/api/v1/me/").status_code == 200
    header, payload, signature = token.split(".")
    forged = f"{header}.{payload}.{signature[:-4]}AAAA"

    assert _bearer_raw(forged).get("/api/v1/me/").status_code == 401


def _bearer_raw(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def test_a_department_rename_shows_on_the_very_next_request(employee):
    client = _bearer(_settled(employee))
    assert client.get("/api/v1/me/").json()["department"] == "Engineering"

    department = employee.department
    department.name = "Platform Engineering"
    department.save()

    assert client.get("/api/v1/me/").json()["department"] == "Platform Engineering"
