"""``manage.py verify_ledger``: silent agreement on a sound ledger, loud and non-zero otherwise."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from plaudit.ledger.models import Account, Entry, Transaction, TransactionKind
from plaudit.rewards.services import cancel_redemption, redeem_reward
from tests.factories import RewardFactory, UserFactory
from tests.ledger.accounts import balance_account

pytestmark = pytest.mark.django_db


def run_verify_ledger() -> tuple[int, str, str]:
    """(exit status, stdout, stderr) as ``manage.py`` would give them.

    ``manage.py`` turns a ``CommandError`` into ``sys.exit(error.returncode)``.
    """
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_ledger", stdout=out, stderr=err)
    except CommandError as error:
        err.write(str(error))
        return error.returncode, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def busy_ledger() -> Account:
    """Grants, a redemption and a cancelled (refunded) one: every kind of line."""
    person = UserFactory(with_points=500)
    reward = RewardFactory(cost=120, stock=3, per_user_limit=None)
    redeem_reward(user=person, reward_id=reward.pk)
    cancelled = redeem_reward(user=person, reward_id=reward.pk)
    cancel_redemption(redemption_id=cancelled.pk, actor=person)
    return balance_account(person)


def test_a_sound_ledger_passes(busy_ledger: Account) -> None:
    status, out, err = run_verify_ledger()

    assert status == 0
    assert "Ledger OK" in out
    assert err == ""


def test_a_tampered_balance_fails_and_names_the_account(busy_ledger: Account) -> None:
    Account.objects.filter(pk=busy_ledger.pk).update(balance=9_999)

    status, _, err = run_verify_ledger()

    assert status != 0
    assert "Ledger check failed: 1 problem." in err
    assert f"account {busy_ledger.pk} ({busy_ledger})" in err
    assert "balance 9999 but entries sum to 380" in err


def test_a_transaction_that_does_not_sum_to_zero_fails_and_is_named(busy_ledger: Account) -> None:
    lopsided = Transaction.objects.create(kind=TransactionKind.ADJUSTMENT)
    # bulk_create sends no post_save: the balance is not moved, the entry stands alone.
    Entry.objects.bulk_create([Entry(transaction=lopsided, account=busy_ledger, amount=50)])

    status, _, err = run_verify_ledger()

    assert status != 0
    assert f"transaction {lopsided.pk}: entries sum to 50, not 0" in err
    assert f"account {busy_ledger.pk}" in err  # its balance no longer matches its entries
