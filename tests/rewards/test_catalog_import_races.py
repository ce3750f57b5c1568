"""The catalog import against redemptions running meanwhile: no stock change is lost.

The import reads the stored rewards, compares them with the file and writes what
changed. A redemption that takes one from stock between that read and that write
must not be undone by it: the import holds the rewards' row locks from its read to
its commit, and never writes the stock of a reward whose stock follows its codes.
"""

import threading
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models import F

from plaudit.ledger.selectors import balance_of, ledger_problems
from plaudit.rewards import services
from plaudit.rewards.models import Redemption, Reward, RewardCode
from tests.factories import HRAdminFactory, RewardFactory, UserFactory

ROW = {
    "name": "Team lunch, now with dessert",
    "description": "Lunch for the team.",
    "category": "Food",
    "cost": 100,
    "stock": 5,
    "per_user_limit": None,
    "available_from": None,
    "expires_at": None,
    "is_active": True,
}


def _pause_before_the_import_writes(monkeypatch: Any, meanwhile: Any) -> None:
    """Run ``meanwhile`` after the import has read the stored rewards, before it writes."""
    manager = type(Reward.all_objects)
    bulk_update = manager.bulk_update

    def paused(self: Any, objs: Any, fields: Any, **kwargs: Any) -> Any:
        meanwhile()
        return bulk_update(self, objs, fields, **kwargs)

    monkeypatch.setattr(manager, "bulk_update", paused)


@pytest.mark.django_db
def test_the_import_never_writes_the_stock_of_a_reward_whose_stock_follows_its_codes(
    monkeypatch,
):
    reward = RewardFactory(sku="GIFT", name="Gift card", cost=100, stock=3)
    RewardCode.objects.bulk_create(
        RewardCode(reward=reward, digest=f"d{n}", ciphertext=f"c{n}") for n in range(3)
    )
    # A code handed out between the import's read and its write (only possible without
    # the lock, or by a door that skips it): the import must leave that stock alone.
    _pause_before_the_import_writes(
        monkeypatch,
        lambda: Reward.all_objects.filter(pk=reward.pk).update(stock=F("stock") - 1),
    )

    created, updated = services.import_rewards(
        [("GIFT", {**ROW, "name": "Gift card (any shop)", "stock": 50})], actor=None
    )

    assert (created, updated) == (0, 1)
    reward.refresh_from_db()
    assert (reward.name, reward.stock) == ("Gift card (any shop)", 2)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_redemption_during_a_catalog_import_keeps_its_stock_decrement(monkeypatch):
    """The redemption waits for the import's row lock, then takes one from what it wrote."""
    HRAdminFactory()
    reward = RewardFactory(sku="LUNCH", name="Team lunch", cost=100, stock=5)
    person = UserFactory(with_points=100)
    import_has_read, redeemed = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def redeem() -> None:
        try:
            assert import_has_read.wait(timeout=30)
            services.redeem_reward(user=person, reward_id=reward.pk)
        except BaseException as exc:  # reported in the test's thread
            failures.append(exc)
        finally:
            redeemed.set()
            connection.close()

    def let_the_redemption_run() -> None:
        import_has_read.set()
        redeemed.wait(timeout=2)  # it finishes at once unless our lock holds it back

    _pause_before_the_import_writes(monkeypatch, let_the_redemption_run)
    redeemer = threading.Thread(target=redeem, name="redeemer")
    redeemer.start()
    with transaction.atomic():
        services.import_rewards([("LUNCH", ROW)], actor=None)
    redeemer.join(timeout=60)

    assert not redeemer.is_alive(), "the redemption is stuck"
    assert not failures, failures
    reward.refresh_from_db()
    assert (reward.name, reward.stock) == (ROW["name"], 4)
    assert Redemption.objects.filter(reward=reward, user=person).count() == 1
    assert balance_of(person) == 0
    assert ledger_problems() == []
