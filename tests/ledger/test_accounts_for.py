"""A use case's accounts are found in one query, in the order asked, and made if new."""

import pytest

from plaudit.ledger.models import RESERVE_SHARDS, Account, AccountKind
from plaudit.ledger.services import (
    accounts_for,
    balance_and_reserve,
    grant_points,
    key_of,
    reserve_key,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_existing_accounts_come_back_in_the_order_asked_from_one_query(
    django_assert_num_queries,
):
    giver, ana, bo = UserFactory(), UserFactory(), UserFactory()
    keys = [
        key_of(giver, AccountKind.ALLOWANCE),
        key_of(bo, AccountKind.BALANCE),
        key_of(ana, AccountKind.BALANCE),
        reserve_key(ana),
    ]
    first = accounts_for(keys)

    with django_assert_num_queries(1):
        again = accounts_for(keys)

    assert again == first
    assert [(a.owner_id, a.kind) for a in again[:3]] == [
        (giver.pk, AccountKind.ALLOWANCE),
        (bo.pk, AccountKind.BALANCE),
        (ana.pk, AccountKind.BALANCE),
    ]
    assert (again[3].owner_id, again[3].shard) == (None, ana.pk % RESERVE_SHARDS)


def test_missing_accounts_are_created_once_and_a_persons_two_kinds_stay_apart():
    ana = UserFactory()

    allowance, balance = accounts_for(
        [key_of(ana, AccountKind.ALLOWANCE), key_of(ana, AccountKind.BALANCE)]
    )
    accounts_for([key_of(ana, AccountKind.BALANCE)])

    assert allowance.kind == AccountKind.ALLOWANCE
    assert balance.kind == AccountKind.BALANCE
    assert Account.objects.filter(owner=ana).count() == 2


def test_a_grant_lands_on_the_balance_and_the_reserve_shard_of_that_person():
    ana = UserFactory()

    grant_points(user=ana, amount=40, reason="Welcome", granted_by=None)

    balance, reserve = balance_and_reserve(ana)
    assert balance.balance == 40
    assert reserve.shard == ana.pk % RESERVE_SHARDS
    assert reserve.balance == -40
