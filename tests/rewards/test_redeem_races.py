"""Redemption races, decided by the database: the same answers on both.

On PostgreSQL, row locks taken in one order and check constraints decide them. On
SQLite (the embedded default, a file in WAL mode), each transaction takes the one
writer lock as it begins, so writers queue and every read in a transaction is the
latest; a setting that lets them fail instead makes these tests see 503s.

Real threads, each on its own database connection (Django's connections are per
thread) which it closes when done, released together by a ``threading.Barrier``
so the requests truly overlap. Every request goes through the real HTTP path
(``APIClient`` → view → service → ledger). Run with ``-s`` to see the figures.
"""

import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from django.db import connection
from rest_framework.test import APIClient

from plaudit.ledger.models import Transaction, TransactionKind
from plaudit.ledger.selectors import balance_of, ledger_problems
from plaudit.people.models import User
from plaudit.rewards.models import Redemption, RedemptionStatus, Reward
from plaudit.rewards.services import redeem_reward
from tests.factories import HRAdminFactory, ManagerFactory, RewardFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

T = TypeVar("T")


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    """Dozens of people per test: hashing their passwords slowly proves nothing here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run_together(calls: list[Callable[[], T]]) -> tuple[list[T], float]:
    """Run each call in its own thread, all released at once; answers and wall seconds."""
    released: list[float] = []
    barrier = threading.Barrier(len(calls), action=lambda: released.append(time.perf_counter()))
    results: list[Any] = [None] * len(calls)
    failures: list[BaseException] = []

    def work(index: int, call: Callable[[], T]) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except BaseException as exc:  # reported below, in the test's thread
            failures.append(exc)
        finally:
            connection.close()  # this thread's own connection

    threads = [
        threading.Thread(target=work, args=(index, call), name=f"racer-{index}")
        for index, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    finished = time.perf_counter()
    assert not any(thread.is_alive() for thread in threads), "a racer is stuck"
    assert not failures, failures
    return results, finished - released[0]


def signed_in(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def answer(response: Any) -> tuple[int, str | None]:
    """(status, problem code or None): what a client branches on."""
    body = response.json()
    return response.status_code, body.get("code") if response.status_code >= 400 else None


def report(scenario: str, figures: str, seconds: float) -> None:
    print(f"\n[race] {scenario}: {figures}; wall {seconds * 1000:.0f} ms")


def test_last_item_goes_to_exactly_one_of_fifty_concurrent_redeemers() -> None:
    reward = RewardFactory(cost=100, stock=1)
    people = [UserFactory(with_points=100) for _ in range(50)]
    clients = [signed_in(person) for person in people]

    def redeem(client: APIClient) -> Callable[[], tuple[int, str | None]]:
        return lambda: answer(client.post("/api/v1/redemptions/", {"reward": reward.pk}))

    answers, seconds = run_together([redeem(client) for client in clients])

    tally = Counter(answers)
    report("50 redeemers, 1 in stock", dict(tally).__repr__(), seconds)
    assert tally == {(201, None): 1, (409, "out_of_stock"): 49}
    reward.refresh_from_db()
    assert reward.stock == 0
    winner = Redemption.objects.get(reward=reward).user
    assert balance_of(winner) == 0
    assert all(balance_of(person) == 100 for person in people if person != winner)
    assert ledger_problems() == []


def test_concurrent_redemptions_never_spend_more_than_the_balance() -> None:
    """Four rewards, so the reward locks do not queue everyone: the account lock must hold."""
    person = UserFactory(with_points=750)
    rewards = [RewardFactory(cost=100, stock=None, per_user_limit=None) for _ in range(4)]
    clients = [signed_in(person) for _ in range(20)]

    def redeem(client: APIClient, reward: Reward) -> Callable[[], tuple[int, str | None]]:
        return lambda: answer(client.post("/api/v1/redemptions/", {"reward": reward.pk}))

    answers, seconds = run_together(
        [redeem(client, rewards[index % 4]) for index, client in enumerate(clients)]
    )

    tally = Counter(answers)
    report("20 redemptions of 100 on a balance of 750", dict(tally).__repr__(), seconds)
    successes = tally[(201, None)]
    assert tally == {(201, None): 7, (409, "insufficient_points"): 13}
    spent = -sum(
        entry.amount
        for entry in person.accounts.get(kind="balance").entries.all()
        if entry.transaction.kind == TransactionKind.REDEMPTION
    )
    assert spent == successes * 100
    assert balance_of(person) == 750 - spent == 50
    assert Redemption.objects.filter(user=person).count() == successes
    assert ledger_problems() == []


def test_one_idempotency_key_sent_ten_times_at_once_redeems_once() -> None:
    person = UserFactory(with_points=1000)
    reward = RewardFactory(cost=100, stock=5, per_user_limit=None)
    clients = [signed_in(person) for _ in range(10)]

    def redeem(client: APIClient) -> Callable[[], Any]:
        return lambda: client.post(
            "/api/v1/redemptions/", {"reward": reward.pk}, HTTP_IDEMPOTENCY_KEY="order-42"
        )

    responses, seconds = run_together([redeem(client) for client in clients])

    created = [r for r in responses if r.status_code == 201 and "Idempotent-Replayed" not in r]
    replayed = [r for r in responses if r.status_code == 201 and "Idempotent-Replayed" in r]
    in_use = [r for r in responses if answer(r) == (409, "idempotency_key_in_use")]
    report(
        "10 requests, one Idempotency-Key",
        f"{len(created)} created, {len(replayed)} replayed, {len(in_use)} x 409 in use",
        seconds,
    )
    assert len(created) == 1
    assert len(created) + len(replayed) + len(in_use) == 10
    assert all(r["Idempotent-Replayed"] == "true" for r in replayed)
    assert all(r.json() == created[0].json() for r in replayed)
    assert Redemption.objects.filter(user=person).count() == 1
    assert balance_of(person) == 900
    reward.refresh_from_db()
    assert reward.stock == 4
    assert ledger_problems() == []


def test_exactly_one_of_concurrent_approve_reject_and_cancel_wins_and_refunds_at_most_once() -> (
    None
):
    manager = ManagerFactory()
    hr_admin = HRAdminFactory()
    person = UserFactory(manager=manager, with_points=10_000)
    reward = RewardFactory(cost=100, stock=20, per_user_limit=None)
    rounds = 12
    winners: Counter[str] = Counter()
    total_seconds = 0.0

    for _ in range(rounds):
        redemption = redeem_reward(user=person, reward_id=reward.pk)
        base = f"/api/v1/redemptions/{redemption.pk}"
        moves = {
            "approve by manager": (manager, f"{base}/approve/", {}),
            "approve by hr": (hr_admin, f"{base}/approve/", {}),
            "reject by manager": (manager, f"{base}/reject/", {"reason": "No budget"}),
            "reject by hr": (hr_admin, f"{base}/reject/", {"reason": "Duplicate"}),
            "cancel by redeemer": (person, f"{base}/cancel/", {}),
        }

        def move(actor: User, url: str, body: dict[str, str]) -> Callable[[], Any]:
            client = signed_in(actor)
            return lambda: answer(client.post(url, body))

        answers, seconds = run_together([move(*spec) for spec in moves.values()])
        total_seconds += seconds

        won = [name for name, result in zip(moves, answers, strict=True) if result == (200, None)]
        lost = [result for result in answers if result != (200, None)]
        assert len(won) == 1, answers
        assert lost == [(409, "invalid_transition")] * (len(moves) - 1)
        winners[won[0].split(" by ")[0]] += 1

        redemption.refresh_from_db()
        refunds = Transaction.objects.filter(reference=f"redemption:{redemption.pk}:refund")
        refunded = redemption.status in (RedemptionStatus.REJECTED, RedemptionStatus.CANCELLED)
        assert refunds.count() == (1 if refunded else 0)

    approved = Redemption.objects.filter(user=person, status=RedemptionStatus.APPROVED).count()
    report(
        f"{rounds} rounds of 5 concurrent moves on one pending redemption",
        f"winners {dict(winners)}",
        total_seconds,
    )
    assert approved == winners["approve"]
    assert balance_of(person) == 10_000 - 100 * approved
    reward.refresh_from_db()
    assert reward.stock == 20 - approved
    assert ledger_problems() == []


@pytest.mark.postgres  # SQLite has one writer lock: every writer waits for every other
def test_people_on_different_reserve_shards_do_not_wait_for_each_other():
    """A redemption holds its reserve row until commit. With one reserve row, every other
    redemption in the company waited for it; now only people on the same shard do."""
    from django.db import transaction

    from plaudit.ledger.models import RESERVE_SHARDS
    from tests.ledger.accounts import reserve_balance

    first, second = UserFactory(with_points=100), UserFactory(with_points=100)
    while (second.pk - first.pk) % RESERVE_SHARDS == 0:
        second = UserFactory(with_points=100)
    mug, pen = RewardFactory(cost=30), RewardFactory(cost=20)
    reserve_before = reserve_balance()
    holding = threading.Event()
    release = threading.Event()

    def slow_redemption() -> None:
        with transaction.atomic():
            redeem_reward(user=first, reward_id=mug.pk)
            holding.set()
            release.wait(timeout=30)

    def quick_redemption() -> float:
        holding.wait(timeout=30)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")
        redeem_reward(user=second, reward_id=pen.pk)
        waited = time.perf_counter() - started
        release.set()
        return waited

    (_, waited), _ = run_together([slow_redemption, quick_redemption])

    assert waited < 1.0
    assert (balance_of(first), balance_of(second)) == (70, 80)
    assert reserve_balance() == reserve_before + 50
    assert ledger_problems() == []


def test_redemptions_kudos_and_grants_on_the_same_people_at_once_all_land_exactly() -> None:
    """The three ways balances move, overlapping on the same accounts: a kudos locks the
    giver's allowance and the recipients' balances first (``lock_accounts``); redemptions and
    grants take their row locks as ``post_transaction`` updates the balances. Both paths
    lock in primary-key order and add to the balance in SQL, so nothing deadlocks (a 500)
    and no update is lost (a balance computed in Python from its read loses points here)."""
    hr_admin = HRAdminFactory()
    people = [UserFactory(with_points=300) for _ in range(6)]
    mug = RewardFactory(cost=10, stock=None, per_user_limit=None)
    sticker = RewardFactory(cost=20, stock=100, per_user_limit=None)

    def post(actor: User, url: str, body: dict[str, Any]) -> Callable[[], tuple[int, str | None]]:
        client = signed_in(actor)  # one client per request: a test client is not shared by threads
        return lambda: answer(client.post(url, body, format="json"))

    calls = []
    for index, person in enumerate(people):
        calls += [post(person, "/api/v1/redemptions/", {"reward": mug.pk}) for _ in range(2)]
        calls.append(post(person, "/api/v1/redemptions/", {"reward": sticker.pk}))
        for step in (1, 2):  # each person thanks the next two, and hears from the two before
            colleague = people[(index + step) % len(people)]
            body = {"message": "Thanks", "recipients": [{"user": colleague.pk, "points": 5}]}
            calls.append(post(person, "/api/v1/recognitions/", body))
        grant = {"user": person.pk, "amount": 7, "reason": "Launch week"}
        calls += [post(hr_admin, "/api/v1/points/grants/", grant) for _ in range(2)]

    answers, seconds = run_together(calls)

    report(
        f"{len(calls)} redemptions, kudos and grants on 6 people",
        repr(dict(Counter(answers))),
        seconds,
    )
    assert answers == [(201, None)] * len(calls)
    # 300, less 10 + 10 + 20 redeemed, plus 2 x 5 received and 2 x 7 granted.
    assert [balance_of(person) for person in people] == [300 - 40 + 10 + 14] * len(people)
    sticker.refresh_from_db()
    assert sticker.stock == 100 - len(people)
    assert ledger_problems() == []
