"""The ledger's invariants, under random sequences of every operation that moves points.

A hypothesis state machine grants points, redeems, approves, rejects, cancels and
fulfils (and reprices, restocks and deletes rewards) through the services, keeps a
plain-Python model of what should have happened, and after every step checks that
the database agrees with the model and with itself.
"""

from typing import Any

import hypothesis
import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    multiple,
    rule,
    run_state_machine_as_test,
)

from plaudit.core.errors import DomainError
from plaudit.ledger.errors import InsufficientPoints
from plaudit.ledger.models import (
    Account,
    AccountKind,
    AppendOnlyError,
    Entry,
    Transaction,
    TransactionKind,
)
from plaudit.ledger.selectors import balance_of, ledger_problems
from plaudit.ledger.services import grant_points, post_transaction
from plaudit.rewards import services as reward_services
from plaudit.rewards.models import COUNTED_STATUSES, Redemption, RedemptionStatus, Reward
from tests.factories import HRAdminFactory, RewardFactory, UserFactory
from tests.ledger.accounts import balance_account, reserve_account

pytestmark = pytest.mark.django_db

REFUNDED = {RedemptionStatus.REJECTED, RedemptionStatus.CANCELLED}
MOVES = {
    # service name: (from, to)
    "approve": (RedemptionStatus.PENDING, RedemptionStatus.APPROVED),
    "fulfil": (RedemptionStatus.APPROVED, RedemptionStatus.FULFILLED),
    "reject": (RedemptionStatus.PENDING, RedemptionStatus.REJECTED),
    "cancel": (RedemptionStatus.PENDING, RedemptionStatus.CANCELLED),
}


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class PointsEconomy(RuleBasedStateMachine):
    """Three people, four rewards, and a model of balances, stock and redemption states."""

    redemptions = Bundle("redemptions")

    def __init__(self) -> None:
        super().__init__()
        # Each example runs in its own savepoint, rolled back in teardown().
        self._example = transaction.atomic()
        self._example.__enter__()
        self.hr = HRAdminFactory()
        self.people = [UserFactory(with_points=300) for _ in range(3)]
        self.rewards = [
            RewardFactory(cost=50, stock=2, per_user_limit=1),
            RewardFactory(cost=120, stock=None, per_user_limit=None),
            RewardFactory(cost=300, stock=1, per_user_limit=2),
            RewardFactory(cost=10, stock=5, is_active=False),
        ]
        self.balance = {person.pk: 300 for person in self.people}
        self.stock = {reward.pk: reward.stock for reward in self.rewards}
        self.cost = {reward.pk: reward.cost for reward in self.rewards}
        self.available = {reward.pk: reward.is_active for reward in self.rewards}
        self.status: dict[int, RedemptionStatus] = {}
        self.paid: dict[int, int] = {}
        self.owner: dict[int, tuple[int, int]] = {}  # redemption → (person, reward)

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._example.__exit__(None, None, None)

    # --- what the model expects -------------------------------------------------

    def expected_refusal(self, person_id: int, reward: Reward) -> str | None:
        """The first rule a redemption breaks, in the order the service checks them."""
        if not self.available[reward.pk]:
            return "reward_unavailable"
        used = sum(
            1
            for pk, (who, what) in self.owner.items()
            if (who, what) == (person_id, reward.pk) and self.status[pk] in COUNTED_STATUSES
        )
        if reward.per_user_limit is not None and used >= reward.per_user_limit:
            return "already_redeemed"
        stock = self.stock[reward.pk]
        if stock is not None and stock < 1:
            return "out_of_stock"
        if self.balance[person_id] < self.cost[reward.pk]:
            return "insufficient_points"
        return None

    # --- operations --------------------------------------------------------------

    @rule(person=st.integers(0, 2), amount=st.integers(1, 400))
    def grant(self, person: int, amount: int) -> None:
        grant_points(user=self.people[person], amount=amount, reason="prop", granted_by=self.hr)
        self.balance[self.people[person].pk] += amount

    @rule(target=redemptions, person=st.integers(0, 2), reward=st.integers(0, 3))
    def redeem(self, person: int, reward: int) -> Any:
        who, what = self.people[person], self.rewards[reward]
        expected = self.expected_refusal(who.pk, what)
        if expected is not None:
            with pytest.raises(DomainError) as refusal:
                reward_services.redeem_reward(user=who, reward_id=what.pk)
            assert refusal.value.code == expected
            return multiple()
        redemption = reward_services.redeem_reward(user=who, reward_id=what.pk)
        assert redemption.cost == self.cost[what.pk]
        self.balance[who.pk] -= redemption.cost
        if self.stock[what.pk] is not None:
            self.stock[what.pk] -= 1
        self.status[redemption.pk] = RedemptionStatus.PENDING
        self.paid[redemption.pk] = redemption.cost
        self.owner[redemption.pk] = (who.pk, what.pk)
        return redemption.pk

    @rule(redemption=redemptions, move=st.sampled_from(sorted(MOVES)))
    def transition(self, redemption: int, move: str) -> None:
        allowed_from, to = MOVES[move]
        # HR decides and fulfils; only the redeemer may cancel.
        redeemer = next(p for p in self.people if p.pk == self.owner[redemption][0])
        actor = redeemer if move == "cancel" else self.hr
        arguments: dict[str, Any] = {"redemption_id": redemption, "actor": actor}
        if move == "reject":
            arguments["reason"] = "prop"
        service = getattr(reward_services, f"{move}_redemption")
        if self.status[redemption] != allowed_from:
            with pytest.raises(DomainError) as refusal:
                service(**arguments)
            assert refusal.value.code == "invalid_transition"
            return
        service(**arguments)
        self.status[redemption] = to
        if to in REFUNDED:
            person_id, reward_id = self.owner[redemption]
            self.balance[person_id] += self.paid[redemption]  # what was paid, not today's price
            if self.stock[reward_id] is not None:
                self.stock[reward_id] += 1

    @rule(reward=st.integers(0, 2), cost=st.integers(1, 400))
    def reprice(self, reward: int, cost: int) -> None:
        reward_services.update_reward(self.rewards[reward], actor=None, cost=cost)
        self.cost[self.rewards[reward].pk] = cost

    @rule(reward=st.sampled_from([0, 2]), stock=st.integers(0, 3))
    def restock(self, reward: int, stock: int) -> None:
        target = Reward.all_objects.get(pk=self.rewards[reward].pk)
        reward_services.update_reward(target, actor=None, stock=stock)
        self.stock[target.pk] = stock

    @rule(reward=st.integers(0, 2))
    def delete(self, reward: int) -> None:
        target = Reward.all_objects.get(pk=self.rewards[reward].pk)
        reward_services.delete_reward(target, actor=None)
        self.available[target.pk] = False

    # --- invariants, checked after every step --------------------------------------

    @invariant()
    def every_transaction_sums_to_zero(self) -> None:
        sums = Transaction.objects.annotate(total=Sum("entries__amount")).values_list("pk", "total")
        assert [(pk, total) for pk, total in sums if total != 0] == []

    @invariant()
    def every_balance_is_the_sum_of_its_entries(self) -> None:
        sums = dict(
            Entry.objects.values("account")
            .annotate(total=Sum("amount"))
            .values_list("account", "total")
        )
        for account in Account.objects.all():
            assert account.balance == sums.get(account.pk, 0), account

    @invariant()
    def points_are_neither_created_nor_destroyed(self) -> None:
        assert (Account.objects.aggregate(total=Sum("balance"))["total"] or 0) == 0

    @invariant()
    def no_balance_or_stock_is_negative(self) -> None:
        assert not Account.objects.filter(kind=AccountKind.BALANCE, balance__lt=0).exists()
        assert not Reward.all_objects.filter(stock__lt=0).exists()

    @invariant()
    def the_database_matches_the_model(self) -> None:
        assert {person.pk: balance_of(person) for person in self.people} == self.balance
        stock = dict(Reward.all_objects.filter(pk__in=self.stock).values_list("pk", "stock"))
        assert stock == self.stock
        statuses = dict(Redemption.objects.values_list("pk", "status"))
        assert statuses == self.status


def test_random_sequences_of_points_operations_keep_the_ledger_sound() -> None:
    run_state_machine_as_test(
        PointsEconomy,
        settings=hypothesis.settings(
            max_examples=25,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[hypothesis.HealthCheck.too_slow],
        ),
    )


# --- the guards, one at a time ------------------------------------------------------


def test_post_transaction_refuses_legs_that_do_not_sum_to_zero() -> None:
    person = UserFactory()
    before = Transaction.objects.count()

    with pytest.raises(ValueError, match="Unbalanced"):
        post_transaction(
            kind=TransactionKind.ADJUSTMENT,
            legs=[(reserve_account(), -100), (balance_account(person), 99)],
        )

    assert Transaction.objects.count() == before
    assert balance_of(person) == 0


def test_post_transaction_refuses_to_take_a_balance_below_zero() -> None:
    person = UserFactory(with_points=40)

    # Posted, as every use case posts, in a transaction of the caller's, which a refusal
    # rolls back.
    with pytest.raises(InsufficientPoints), transaction.atomic():
        post_transaction(
            kind=TransactionKind.ADJUSTMENT,
            legs=[(balance_account(person), -41), (reserve_account(), 41)],
        )

    assert balance_of(person) == 40


def test_posting_takes_no_savepoint_and_a_refusal_undoes_the_callers_work() -> None:
    person = UserFactory(with_points=40)
    balance, reserve = balance_account(person), reserve_account()

    def use_case(points: int) -> None:
        with transaction.atomic():
            Transaction.objects.create(kind=TransactionKind.ADJUSTMENT, description="caller's own")
            post_transaction(
                kind=TransactionKind.ADJUSTMENT, legs=[(balance, -points), (reserve, points)]
            )

    with CaptureQueriesContext(connection) as queries:
        use_case(10)
    # The one savepoint is the use case's own (nested in the test's transaction).
    assert len([q for q in queries.captured_queries if q["sql"].startswith("SAVEPOINT")]) == 1

    with pytest.raises(InsufficientPoints):
        use_case(31)
    assert balance_of(person) == 30
    assert Transaction.objects.filter(description="caller's own").count() == 1


def test_a_posted_transaction_and_its_entries_cannot_be_changed_or_deleted() -> None:
    posted = grant_points(user=UserFactory(), amount=10, reason="Welcome", granted_by=None)
    entry = posted.entries.first()
    assert entry is not None

    posted.description = "Rewritten history"
    with pytest.raises(AppendOnlyError):
        posted.save()
    with pytest.raises(AppendOnlyError):
        posted.delete()
    entry.amount = 1_000
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


def test_ledger_rows_cannot_be_deleted_in_bulk_either() -> None:
    person = UserFactory(with_points=10)
    entries = Entry.objects.filter(account__owner=person)

    with pytest.raises(AppendOnlyError):
        entries.delete()
    with pytest.raises(AppendOnlyError):
        Transaction.objects.all().delete()

    assert balance_of(person) == 10
    assert entries.get().amount == 10


def test_the_database_refuses_a_negative_balance_even_when_python_checks_are_skipped() -> None:
    person = UserFactory(with_points=40)
    account = balance_account(person)

    with pytest.raises(IntegrityError, match="balance_account_not_negative"), transaction.atomic():
        Account.objects.filter(pk=account.pk).update(balance=-1)

    assert balance_of(person) == 40


def test_post_transaction_still_refuses_an_overdraft_its_callers_read_did_not_see() -> None:
    """The caller's read is stale (a concurrent spend, here faked): the constraint decides."""
    person = UserFactory(with_points=40)
    balance = balance_account(person)
    balance.balance = 10**9
    before = Transaction.objects.count(), Entry.objects.count()

    with pytest.raises(InsufficientPoints), transaction.atomic():
        post_transaction(
            kind=TransactionKind.ADJUSTMENT, legs=[(balance, -41), (reserve_account(), 41)]
        )

    assert balance_of(person) == 40
    assert (Transaction.objects.count(), Entry.objects.count()) == before


def test_entries_written_around_post_transaction_leave_balances_alone() -> None:
    """Only post_transaction moves a balance: an entry inserted by hand does not, and
    verify_ledger names the mismatch rather than the balance silently following."""
    person = UserFactory(with_points=40)
    account = balance_account(person)
    stray = Transaction.objects.create(kind=TransactionKind.ADJUSTMENT)

    Entry.objects.create(transaction=stray, account=account, amount=-41)

    assert balance_of(person) == 40
    problems = {(problem.subject, problem.detail) for problem in ledger_problems()}
    assert (f"account {account.pk} ({account})", "balance 40 but entries sum to -1") in problems
