"""Two HR admins taking each other's powers away at the same moment: exactly one succeeds,
and the other, no longer an HR admin once it may look, is refused as anyone but HR is.

Real threads on real PostgreSQL, each on its own connection (Django's are per
thread), released together by a barrier. Each request pauses between the check
that another HR admin stays and its write, long enough for the other to check too:
without the row locks on every active HR admin both checks would pass, and the
company would be left with none.
"""

import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from rest_framework.test import APIClient

from plaudit.people import services
from plaudit.people.models import User
from plaudit.people.selectors import active_hr_admins as active_hr_admin_people
from tests.factories import HRAdminFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PAUSE_SECONDS = 0.3


@pytest.fixture(autouse=True)
def _slow_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """Widen the window between the check and the write."""
    check = services.check_keeps_an_hr_admin

    def check_then_pause(*args: Any, **kwargs: Any) -> None:
        check(*args, **kwargs)
        time.sleep(PAUSE_SECONDS)

    monkeypatch.setattr(services, "check_keeps_an_hr_admin", check_then_pause)


def run_together(calls: list[Callable[[], Any]]) -> list[Any]:
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)
    failures: list[BaseException] = []

    def work(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except BaseException as exc:  # reported in the test's thread
            failures.append(exc)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=work, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a request is stuck"
    assert not failures, failures
    return results


def answer(response: Any) -> tuple[int, str | None]:
    return response.status_code, response.json()["code"] if response.status_code >= 400 else None


def active_hr_admins() -> int:
    return active_hr_admin_people().count()


def after(delay: float, call: Callable[[], Any]) -> Callable[[], Any]:
    """``call``, once the other request holds the HR admins' locks."""

    def later() -> Any:
        time.sleep(delay)
        return call()

    return later


def signed_in(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def test_two_hr_admins_demoting_each_other_at_once_leave_one():
    ann, bob = HRAdminFactory(), HRAdminFactory()

    def demote(actor: User, person: User) -> Callable[[], Any]:
        client = signed_in(actor)
        return lambda: answer(client.patch(f"/api/v1/people/{person.pk}/", {"role": "manager"}))

    answers = run_together([demote(ann, bob), demote(bob, ann)])

    # The loser was demoted before it could look: no longer HR, it may not act at all.
    assert Counter(answers) == {(200, None): 1, (403, "permission_denied"): 1}
    assert active_hr_admins() == 1


def test_two_hr_admins_deactivating_each_other_at_once_leave_one():
    ann, bob = HRAdminFactory(), HRAdminFactory()

    def deactivate(actor: User, person: User) -> Callable[[], Any]:
        client = signed_in(actor)
        return lambda: answer_delete(client.delete(f"/api/v1/people/{person.pk}/"))

    answers = run_together([deactivate(ann, bob), deactivate(bob, ann)])

    assert Counter(answers) == {(204, None): 1, (403, "permission_denied"): 1}
    assert active_hr_admins() == 1


def test_one_demotes_while_the_other_deactivates_and_one_is_left():
    ann, bob = HRAdminFactory(), HRAdminFactory()
    ann_client, bob_client = signed_in(ann), signed_in(bob)

    answers = run_together(
        [
            lambda: answer(ann_client.patch(f"/api/v1/people/{bob.pk}/", {"role": "employee"})),
            lambda: answer_delete(bob_client.delete(f"/api/v1/people/{ann.pk}/")),
        ]
    )

    assert sorted(code for _, code in answers if code) == ["permission_denied"]
    assert active_hr_admins() == 1


def test_an_hr_admin_demoted_while_waiting_does_not_demote_a_third():
    """Another HR admin stays either way, so only the actor's own powers can stop it."""
    ann, bob, cay = HRAdminFactory(), HRAdminFactory(), HRAdminFactory()
    ann_client, bob_client = signed_in(ann), signed_in(bob)

    answers = run_together(
        [
            lambda: answer(ann_client.patch(f"/api/v1/people/{bob.pk}/", {"role": "employee"})),
            after(
                PAUSE_SECONDS / 3,
                lambda: answer(bob_client.patch(f"/api/v1/people/{cay.pk}/", {"role": "employee"})),
            ),
        ]
    )

    assert answers == [(200, None), (403, "permission_denied")]
    assert set(active_hr_admin_people()) == {ann, cay}


def test_an_hr_admin_deactivated_while_waiting_does_not_deactivate_a_third():
    ann, bob, cay = HRAdminFactory(), HRAdminFactory(), HRAdminFactory()
    ann_client, bob_client = signed_in(ann), signed_in(bob)

    answers = run_together(
        [
            lambda: answer_delete(ann_client.delete(f"/api/v1/people/{bob.pk}/")),
            after(
                PAUSE_SECONDS / 3,
                lambda: answer_delete(bob_client.delete(f"/api/v1/people/{cay.pk}/")),
            ),
        ]
    )

    assert answers == [(204, None), (403, "permission_denied")]
    assert set(active_hr_admin_people()) == {ann, cay}


def answer_delete(response: Any) -> tuple[int, str | None]:
    """A 204 has no body to read."""
    return (204, None) if response.status_code == 204 else answer(response)
