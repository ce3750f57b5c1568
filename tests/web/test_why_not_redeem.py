"""The catalog says why a reward cannot be redeemed, and its Redeem button is disabled."""

import re

import pytest

from plaudit.rewards.services import redeem_reward
from tests.factories import RewardFactory, UserFactory

pytestmark = pytest.mark.django_db


def _card(page: str, reward) -> str:
    start = page.index(f'id="reward-{reward.pk}"')
    return page[start : page.index("</li>", start)]


def _redeem_button(card: str) -> str:
    return re.search(r"<button[^>]*>Redeem</button>", card).group(0)


def test_a_reward_i_cannot_afford_says_how_many_points_i_need_and_cannot_be_clicked(
    page_client,
):
    person = UserFactory(with_points=50)
    day_off = RewardFactory(name="Day off", cost=1_120)

    card = _card(page_client(person).get("/rewards/").content.decode(), day_off)

    assert "You need 1,070 points more" in card
    assert " disabled" in _redeem_button(card)
    assert f"/rewards/{day_off.pk}/redeem/" not in card


def test_a_reward_whose_limit_i_used_up_says_so_and_cannot_be_clicked(page_client):
    person = UserFactory(with_points=500)
    mug = RewardFactory(name="Mug", cost=10, per_user_limit=2)
    redeem_reward(user=person, reward_id=mug.pk)
    redeem_reward(user=person, reward_id=mug.pk)

    card = _card(page_client(person).get("/rewards/").content.decode(), mug)

    assert "You have redeemed this the maximum 2 times" in card
    assert " disabled" in _redeem_button(card)


def test_a_once_per_person_reward_says_i_already_had_it(page_client):
    person = UserFactory(with_points=500)
    hoodie = RewardFactory(name="Hoodie", cost=10, per_user_limit=1)
    redeem_reward(user=person, reward_id=hoodie.pk)

    card = _card(page_client(person).get("/rewards/").content.decode(), hoodie)

    assert "You have already redeemed this (once per person)" in card


def test_an_out_of_stock_reward_says_so_and_cannot_be_clicked(page_client):
    person = UserFactory(with_points=500)
    tickets = RewardFactory(name="Concert tickets", cost=10, stock=0)

    card = _card(page_client(person).get("/rewards/").content.decode(), tickets)

    assert "Out of stock" in card
    assert " disabled" in _redeem_button(card)


def test_a_reward_i_can_redeem_has_a_working_button_and_no_reason(page_client):
    person = UserFactory(with_points=500)
    mug = RewardFactory(name="Mug", cost=10, per_user_limit=2)
    redeem_reward(user=person, reward_id=mug.pk)  # one of two used: still allowed

    card = _card(page_client(person).get("/rewards/").content.decode(), mug)

    assert "why-not" not in card
    assert " disabled" not in _redeem_button(card)
    assert f'hx-post="/rewards/{mug.pk}/redeem/"' in card


def test_the_catalog_reads_the_reasons_in_a_fixed_number_of_queries(
    page_client, django_assert_max_num_queries
):
    person = UserFactory(with_points=5)
    client = page_client(person)
    RewardFactory(cost=10, per_user_limit=1)
    client.get("/rewards/")
    with django_assert_max_num_queries(30) as few:
        client.get("/rewards/")
    RewardFactory.create_batch(8, cost=10, per_user_limit=1)

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/rewards/")
