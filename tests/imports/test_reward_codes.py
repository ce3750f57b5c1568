"""Reward codes: uploaded by HR, encrypted at rest, one per fulfilment, seen by the redeemer."""

import threading

import pytest
from django.db import connection

from plaudit.rewards import code_stock
from plaudit.rewards import services as reward_services
from plaudit.rewards.models import Redemption, RedemptionStatus, RewardCode
from tests.factories import RewardFactory, UserFactory

from .conftest import csv_text, errors_of

pytestmark = pytest.mark.django_db


def codes_csv(*codes: str) -> str:
    return csv_text([{"code": code} for code in codes], columns=["code"])


def redeem_and_approve(person, reward, hr_admin) -> Redemption:
    redemption = reward_services.redeem_reward(user=person, reward_id=reward.pk)
    return reward_services.approve_redemption(redemption_id=redemption.pk, actor=hr_admin)


def test_uploaded_codes_become_the_rewards_stock(run_import, hr_client):
    reward = RewardFactory(stock=None)

    job = run_import(
        codes_csv("GIFT-AAA", "GIFT-BBB", "GIFT-AAA", "X" * 201), "reward_codes", reward=reward.pk
    )

    assert (job["created"], job["failed"]) == (2, 2)
    reward.refresh_from_db()
    assert reward.stock == 2
    assert [(r, c) for r, c, _ in errors_of(hr_client, job)[1:]] == [("4", "code"), ("5", "code")]


def test_uploading_the_same_codes_again_changes_nothing(run_import):
    reward = RewardFactory(stock=None)
    run_import(codes_csv("A1", "A2"), "reward_codes", reward=reward.pk)

    again = run_import(codes_csv("A1", "A2"), "reward_codes", reward=reward.pk)

    assert again["created"] == 0
    assert RewardCode.objects.count() == 2
    reward.refresh_from_db()
    assert reward.stock == 2


def test_codes_are_not_stored_in_the_clear(run_import):
    reward = RewardFactory(stock=None)
    run_import(codes_csv("SECRET-VOUCHER-123"), "reward_codes", reward=reward.pk)

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM rewards_rewardcode")
        dump = repr(cursor.fetchall())
    assert "SECRET-VOUCHER-123" not in dump


def test_a_codes_import_needs_a_reward(hr_client):
    from .conftest import csv_file

    response = hr_client.post(
        "/api/v1/imports/",
        {"file": csv_file(codes_csv("A")), "kind": "reward_codes"},
        format="multipart",
    )
    assert response.status_code == 400
    assert "reward" in response.json()["errors"]


def test_redemptions_waiting_for_a_code_are_counted_against_the_stock(run_import, hr_admin):
    reward = RewardFactory(stock=None, per_user_limit=None)
    reward_services.redeem_reward(user=UserFactory(with_points=500), reward_id=reward.pk)

    run_import(codes_csv("C1", "C2", "C3"), "reward_codes", reward=reward.pk)

    reward.refresh_from_db()
    assert reward.stock == 2


def test_fulfilling_assigns_one_code_that_only_the_redeemer_sees(run_import, hr_admin, client_for):
    reward = RewardFactory(stock=None, cost=10)
    run_import(codes_csv("ONLY-FOR-YOU"), "reward_codes", reward=reward.pk)
    person = UserFactory(with_points=100)
    redemption = redeem_and_approve(person, reward, hr_admin)

    fulfilled = client_for(hr_admin).post(f"/api/v1/redemptions/{redemption.pk}/fulfil/")

    assert fulfilled.status_code == 200
    assert fulfilled.json()["code"] is None
    mine = client_for(person).get(f"/api/v1/redemptions/{redemption.pk}/").json()
    assert mine["code"] == "ONLY-FOR-YOU"
    listed = client_for(person).get("/api/v1/redemptions/").json()["results"]
    assert listed[0]["code"] == "ONLY-FOR-YOU"
    as_hr = client_for(hr_admin).get(f"/api/v1/redemptions/{redemption.pk}/").json()
    assert as_hr["code"] is None
    code = RewardCode.objects.get()
    assert code.redemption_id == redemption.pk


def test_a_pending_redemption_shows_no_code(run_import, hr_admin, client_for):
    reward = RewardFactory(stock=None, cost=10)
    run_import(codes_csv("NOT-YET"), "reward_codes", reward=reward.pk)
    person = UserFactory(with_points=100)
    redemption = redeem_and_approve(person, reward, hr_admin)

    assert client_for(person).get(f"/api/v1/redemptions/{redemption.pk}/").json()["code"] is None


def test_fulfilling_without_a_code_left_is_refused_and_changes_nothing(
    run_import, hr_admin, client_for
):
    reward = RewardFactory(stock=None, cost=10, per_user_limit=None)
    first = redeem_and_approve(UserFactory(with_points=100), reward, hr_admin)
    second = redeem_and_approve(UserFactory(with_points=100), reward, hr_admin)
    run_import(codes_csv("ONE"), "reward_codes", reward=reward.pk)
    reward_services.fulfil_redemption(redemption_id=first.pk, actor=hr_admin)

    response = client_for(hr_admin).post(f"/api/v1/redemptions/{second.pk}/fulfil/")

    assert response.status_code == 409
    assert response.json()["code"] == "no_code_available"
    second.refresh_from_db()
    assert second.status == RedemptionStatus.APPROVED


@pytest.mark.django_db(transaction=True)
def test_concurrent_fulfilments_never_hand_out_the_same_code(hr_admin):
    from plaudit.rewards.codes import code_digest, encrypt_code

    reward = RewardFactory(stock=None, cost=1, per_user_limit=None)
    code_stock.add_reward_codes(
        reward_id=reward.pk,
        codes=[(code_digest(f"C{i}"), encrypt_code(f"C{i}")) for i in range(8)],
        actor=None,
    )
    redemptions = [
        redeem_and_approve(UserFactory(with_points=10), reward, hr_admin) for _ in range(8)
    ]
    barrier = threading.Barrier(len(redemptions))
    failures: list[Exception] = []

    def fulfil(redemption_id: int) -> None:
        try:
            barrier.wait()
            reward_services.fulfil_redemption(redemption_id=redemption_id, actor=hr_admin)
        except Exception as exc:  # pragma: no cover - reported below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=fulfil, args=(r.pk,)) for r in redemptions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assigned = RewardCode.objects.filter(reward=reward, redemption__isnull=False)
    assert assigned.count() == 8
    assert len(set(assigned.values_list("redemption_id", flat=True))) == 8


def test_codes_survive_a_key_rotation(run_import, settings, capsys):
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    from plaudit.rewards.codes import decrypt_code

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.PLAUDIT = {**settings.PLAUDIT, "CODES_KEYS": [old]}
    run_import(codes_csv("KEEP-ME"), "reward_codes", reward=RewardFactory(stock=None).pk)

    settings.PLAUDIT = {**settings.PLAUDIT, "CODES_KEYS": [new, old]}
    call_command("rotate_reward_codes")
    settings.PLAUDIT = {**settings.PLAUDIT, "CODES_KEYS": [new]}

    assert "Re-encrypted 1 reward code " in capsys.readouterr().out
    assert decrypt_code(RewardCode.objects.get().ciphertext) == "KEEP-ME"
