"""A grant's rules live in ``grant_points``: the API, HR's page and every script get the
same answer.

The API's serializer parses the grant and names the ledger's bounds; the service
decides who may grant and checks the bounds itself, so a management command, a
seed script or a future door is refused in the same words, and nothing moves.
"""

import uuid
from typing import Any

import pytest
from rest_framework.test import APIClient

from plaudit.core.errors import InvalidInput, NotAllowed
from plaudit.ledger.models import Transaction
from plaudit.ledger.selectors import balance_of
from plaudit.ledger.services import grant_points
from plaudit.people.models import User
from tests.doors import form_errors, page_session
from tests.factories import HRAdminFactory, ManagerFactory, UserFactory

pytestmark = pytest.mark.django_db
AT_MOST_A_MILLION = "Ensure this value is less than or equal to 1,000,000."

Errors = dict[str, list[str]]


def _through_api(hr: User, person: User, amount: Any, reason: Any) -> Errors:
    client = APIClient()
    client.force_authenticate(user=hr)
    response = client.post(
        "/api/v1/points/grants/",
        {"user": person.pk, "amount": amount, "reason": reason},
        format="json",
    )
    assert response.status_code == 400, response.json()
    return dict(response.json()["errors"])


def _through_the_page(hr: User, person: User, amount: Any, reason: Any) -> Errors:
    response = page_session(hr).post(
        "/hr/points/grant/",
        {
            "recipients": [person.pk],
            "amount": amount,
            "reason": reason,
            "idempotency_key": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 422
    return form_errors(response.context["form"])


def _through_the_service(hr: User, person: User, amount: Any, reason: Any) -> Errors:
    with pytest.raises(InvalidInput) as refused:
        grant_points(user=person, amount=amount, reason=reason, granted_by=hr)
    return {str(refused.value.field): [refused.value.detail]}


@pytest.mark.parametrize(
    "door", [_through_api, _through_the_page, _through_the_service], ids=["api", "page", "service"]
)
@pytest.mark.parametrize(
    ("amount", "reason", "refusal"),
    [
        (0, "Thanks", {"amount": ["Ensure this value is greater than or equal to 1."]}),
        (1_000_001, "Thanks", {"amount": [AT_MOST_A_MILLION]}),
        (10, "", {"reason": ["Say why: the person sees it in their points history."]}),
        (10, "  ", {"reason": ["Say why: the person sees it in their points history."]}),
        (10, "x" * 501, {"reason": ["Ensure this value has at most 500 characters (it has 501)."]}),
    ],
    ids=["0-points", "over-a-million", "no-reason", "blank-reason", "501-characters"],
)
def test_a_grant_out_of_bounds_is_refused_alike_at_every_door(door, amount, reason, refusal):
    hr, person = HRAdminFactory(), UserFactory()

    assert door(hr, person, amount, reason) == refusal

    assert balance_of(person) == 0
    assert not Transaction.objects.exists()


def test_only_hr_admins_grant_and_plaudit_itself_may_seed():
    person = UserFactory()

    for someone in (person, UserFactory(), ManagerFactory()):
        with pytest.raises(NotAllowed):
            grant_points(user=person, amount=10, reason="Thanks", granted_by=someone)
    assert balance_of(person) == 0

    grant_points(user=person, amount=10, reason="  Welcome  ", granted_by=None)
    assert balance_of(person) == 10
    assert Transaction.objects.get().description == "Welcome"


@pytest.mark.parametrize("door", [_through_api, _through_the_service], ids=["api", "service"])
def test_a_grant_to_someone_who_has_left_is_refused_alike_by_the_api_and_the_service(door):
    hr, person = HRAdminFactory(), UserFactory(first_name="Ada", last_name="Gone")
    person.is_active = False
    person.save(update_fields=["is_active"])

    refusal = door(hr, person, 10, "Thanks")

    assert refusal == {"user": [f"{person} is no longer active; grant points to someone here."]}
    assert balance_of(person) == 0
    assert not Transaction.objects.exists()


def test_plaudit_itself_cannot_grant_to_someone_who_has_left_either():
    """A command or a seed script is refused as HR is."""
    person = UserFactory(is_active=False)

    with pytest.raises(InvalidInput) as refused:
        grant_points(user=person, amount=10, reason="Welcome", granted_by=None)

    assert refused.value.field == "user"
    assert not Transaction.objects.exists()
