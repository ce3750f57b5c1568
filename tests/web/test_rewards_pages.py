"""The catalog page, redeeming from it, and my redemptions and points history."""

import io
import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from plaudit.ledger.selectors import balance_of
from plaudit.rewards.models import Redemption, RedemptionStatus, Reward
from tests.factories import RewardFactory, UserFactory

from .conftest import HTMX

pytestmark = pytest.mark.django_db


def _redeem(client, reward, key=None, **extra):
    data = {"idempotency_key": str(key or uuid.uuid4())}
    return client.post(f"/rewards/{reward.pk}/redeem/", data, **extra)


def test_home_shows_my_balance_and_what_i_can_still_give(page_client):
    person = UserFactory(with_points=1234)

    page = page_client(person).get("/").content.decode()

    assert "1,234 points" in page
    assert "100 points" in page  # the default monthly allowance, none given yet


def test_the_catalog_lists_available_rewards_and_searches_them(page_client, employee):
    RewardFactory(name="Coffee mug", category="Swag")
    RewardFactory(name="Day off", category="Time")
    RewardFactory(name="Old hoodie", is_active=False)
    client = page_client(employee)

    everything = client.get("/rewards/").content.decode()
    searched = client.get("/rewards/", {"q": "mug"}).content.decode()
    by_category = client.get("/rewards/", {"category": "Time"}).content.decode()

    assert "Coffee mug" in everything
    assert "Day off" in everything
    assert "Old hoodie" not in everything
    assert "Coffee mug" in searched
    assert "Day off" not in searched
    assert "Day off" in by_category
    assert "Coffee mug" not in by_category


def test_a_filter_change_from_htmx_gets_only_the_list(page_client, employee):
    RewardFactory(name="Coffee mug")

    response = page_client(employee).get(
        "/rewards/", {"q": "mug"}, **HTMX, HTTP_HX_TARGET="reward-list"
    )

    assert b"Coffee mug" in response.content
    assert b"<html" not in response.content


def test_the_catalog_escapes_what_hr_typed(page_client, employee):
    RewardFactory(name="<script>alert(1)</script>", description="<b>bold</b>")

    page = page_client(employee).get("/rewards/").content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page


def test_redeeming_from_the_page_spends_points_and_answers_with_a_fragment(page_client):
    person = UserFactory(with_points=500)
    reward = RewardFactory(cost=120, name="Coffee mug")

    response = _redeem(page_client(person), reward, **HTMX)

    assert response.status_code == 201
    body = response.content.decode()
    assert "Redeemed!" in body
    assert "<html" not in body
    assert 'id="my-balance" hx-swap-oob="true">380 points' in body
    assert balance_of(person) == 380
    assert Redemption.objects.get(user=person).status == RedemptionStatus.PENDING


def test_submitting_the_same_redeem_form_twice_redeems_once(page_client):
    person = UserFactory(with_points=500)
    reward = RewardFactory(cost=100, per_user_limit=None)
    client = page_client(person)
    key = uuid.uuid4()

    first = _redeem(client, reward, key, **HTMX)
    second = _redeem(client, reward, key, **HTMX)

    assert first.status_code == second.status_code == 201
    assert Redemption.objects.filter(user=person).count() == 1
    assert balance_of(person) == 400


def test_a_replayed_redeem_says_it_was_already_done_not_redeemed_again(page_client):
    person = UserFactory(with_points=500)
    reward = RewardFactory(name="Mug", cost=100, per_user_limit=None)
    client = page_client(person)
    key = uuid.uuid4()

    first = _redeem(client, reward, key, **HTMX).content.decode()
    second = _redeem(client, reward, key, **HTMX).content.decode()

    assert "Redeemed!" in first
    assert "Already redeemed" not in first
    assert "Redeemed!" not in second
    assert "Already redeemed: Mug was redeemed once" in second
    assert Redemption.objects.filter(user=person).count() == 1


def test_a_replayed_redeem_without_htmx_says_it_was_already_done(page_client):
    person = UserFactory(with_points=500)
    reward = RewardFactory(name="Mug", cost=100, per_user_limit=None)
    client = page_client(person)
    key = uuid.uuid4()

    first = client.get(_redeem(client, reward, key).url).content.decode()
    second = client.get(_redeem(client, reward, key).url).content.decode()

    assert "You redeemed Mug" in first

    assert "You had already redeemed Mug; it counts once." in second
    assert "You redeemed Mug" not in second


def test_a_refused_redemption_says_why_beside_the_button_and_changes_nothing(page_client):
    person = UserFactory(with_points=50)
    reward = RewardFactory(cost=120)

    response = _redeem(page_client(person), reward, **HTMX)

    assert response.status_code == 409
    assert "120 are needed" in response.content.decode()
    assert balance_of(person) == 50
    assert not Redemption.objects.exists()


def test_redeeming_without_htmx_redirects_to_my_redemptions(page_client):
    person = UserFactory(with_points=500)
    reward = RewardFactory(cost=100)

    response = _redeem(page_client(person), reward)

    assert response.status_code == 302
    assert response["Location"] == "/me/redemptions/"


def test_a_redeem_form_without_its_key_is_refused(page_client):
    person = UserFactory(with_points=500)
    reward = RewardFactory(cost=100)

    response = page_client(person).post(f"/rewards/{reward.pk}/redeem/", {}, **HTMX)

    assert response.status_code == 400
    assert not Redemption.objects.exists()


def test_a_reward_that_is_not_available_cannot_be_redeemed_from_the_page(page_client):
    person = UserFactory(with_points=500)
    reward = RewardFactory(cost=100, is_active=False)

    response = _redeem(page_client(person), reward, **HTMX)

    assert response.status_code == 404
    assert balance_of(person) == 500


def test_redeem_refuses_a_post_without_the_csrf_token(employee):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(employee)
    reward = RewardFactory()

    response = _redeem(client, reward)

    assert response.status_code == 403
    assert not Redemption.objects.exists()


def test_my_redemptions_lists_mine_and_lets_me_cancel_a_pending_one(page_client):
    person = UserFactory(with_points=500)
    other = UserFactory(with_points=500)
    mine = RewardFactory(name="Mine", cost=100)
    theirs = RewardFactory(name="Theirs", cost=100)
    client = page_client(person)
    _redeem(client, mine)
    _redeem(page_client(other), theirs)

    page = client.get("/me/redemptions/").content.decode()
    redemption = Redemption.objects.get(user=person)
    cancelled = client.post(f"/me/redemptions/{redemption.pk}/cancel/")

    assert "Mine" in page
    assert "Theirs" not in page
    assert cancelled.status_code == 302
    redemption.refresh_from_db()
    assert redemption.status == RedemptionStatus.CANCELLED
    assert balance_of(person) == 500


def test_points_history_shows_each_ledger_line_signed(page_client):
    person = UserFactory(with_points=300)
    reward = RewardFactory(cost=120, name="Mug")
    client = page_client(person)
    _redeem(client, reward)

    page = client.get("/me/points/").content.decode()

    assert "+300 points" in page
    assert "\u2212120 points" in page
    assert "Redeemed Mug" in page


def _png(name="mug.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _reward_form(**overrides):
    data = {
        "name": "Team lunch",
        "description": "Lunch for your team.",
        "category": "Food",
        "cost": "300",
        "stock": "5",
        "per_user_limit": "1",
        "available_from": "",
        "expires_at": "",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_hr_adds_a_reward_with_an_image(page_client, hr_admin, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    response = page_client(hr_admin).post("/hr/rewards/new/", {**_reward_form(), "image": _png()})

    assert response.status_code == 302
    assert response["Location"] == "/rewards/"  # the view's success_url, reversed lazily
    reward = Reward.objects.get(name="Team lunch")
    assert reward.cost == 300
    assert reward.image.name.startswith("rewards/")
    assert (tmp_path / reward.image.name).exists()


def test_a_file_that_is_not_an_image_is_refused_beside_the_image_field(page_client, hr_admin):
    fake = SimpleUploadedFile("mug.png", b"not an image", content_type="image/png")

    response = page_client(hr_admin).post("/hr/rewards/new/", {**_reward_form(), "image": fake})

    assert response.status_code == 200
    assert not Reward.objects.exists()
    assert response.context["form"].errors["image"]
    page = response.content.decode()
    # Beside the field, and named by it, so a screen reader reads it with the field.
    assert 'id="id_image_error"' in page
    assert re.search(
        r'<input[^>]*aria-describedby="[^"]*\bid_image_error\b[^>]*id="id_image"', page
    )


def test_a_reward_must_expire_after_it_opens(page_client, hr_admin):
    data = _reward_form(available_from="2026-05-02T10:00", expires_at="2026-05-01T10:00")

    response = page_client(hr_admin).post("/hr/rewards/new/", data)

    assert response.status_code == 200
    assert "must expire after it becomes available" in response.content.decode()
    assert not Reward.objects.exists()


def test_hr_edits_a_reward_through_the_prefilled_form(page_client, hr_admin):
    reward = RewardFactory(name="Mug", cost=100)
    client = page_client(hr_admin)

    form_page = client.get(f"/hr/rewards/{reward.pk}/edit/").content.decode()
    response = client.post(
        f"/hr/rewards/{reward.pk}/edit/", _reward_form(name="Big mug", cost="150")
    )

    assert 'value="Mug"' in form_page
    assert response.status_code == 302
    reward.refresh_from_db()
    assert (reward.name, reward.cost) == ("Big mug", 150)


def test_hr_removes_a_reward_from_the_catalog(page_client, hr_admin):
    reward = RewardFactory(name="Mug")

    response = page_client(hr_admin).post(f"/hr/rewards/{reward.pk}/delete/")

    assert response.status_code == 302
    assert not Reward.objects.filter(pk=reward.pk).exists()
    assert Reward.all_objects.get(pk=reward.pk).deleted_at is not None
