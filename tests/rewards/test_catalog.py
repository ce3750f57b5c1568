"""The reward catalog: HR keeps it (create, patch, soft delete, image); everyone browses it."""

import datetime
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from plaudit.rewards.models import Redemption, Reward
from tests.factories import RewardFactory, UserFactory

pytestmark = pytest.mark.django_db

REWARDS_URL = "/api/v1/rewards/"


def _ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.json()
    return [reward["id"] for reward in response.json()["results"]]


def _in(days: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


def _png(size: tuple[int, int] = (4, 4)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "purple").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def media_root(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


# --- Creating ---------------------------------------------------------------


def test_hr_creates_a_reward_and_gets_its_id_and_availability(client_for, hr_admin):
    response = client_for(hr_admin).post(
        REWARDS_URL,
        {
            "name": "Hoodie",
            "description": "Warm.",
            "cost": 300,
            "stock": 10,
            "per_user_limit": 2,
            "available_from": None,
            "expires_at": None,
            "category": "Swag",
        },
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert isinstance(body["id"], int)
    assert body["is_available"] is True
    assert (body["cost"], body["stock"], body["per_user_limit"]) == (300, 10, 2)
    assert Reward.objects.get(pk=body["id"]).name == "Hoodie"


def test_a_new_reward_defaults_to_unlimited_stock_and_one_per_person(client_for, hr_admin):
    body = client_for(hr_admin).post(REWARDS_URL, {"name": "Sticker", "cost": 5}).json()

    assert body["stock"] is None
    assert body["per_user_limit"] == 1


def test_per_user_limit_may_be_null_for_unlimited(client_for, hr_admin):
    response = client_for(hr_admin).post(
        REWARDS_URL, {"name": "Coffee", "cost": 5, "per_user_limit": None}
    )

    assert response.status_code == 201
    assert response.json()["per_user_limit"] is None


def test_a_reward_whose_window_is_already_over_is_created_unavailable(client_for, hr_admin):
    response = client_for(hr_admin).post(
        REWARDS_URL,
        {
            "name": "Last year's gala",
            "cost": 50,
            "available_from": _in(-30).isoformat(),
            "expires_at": _in(-1).isoformat(),
        },
    )

    assert response.status_code == 201, response.json()
    assert response.json()["is_available"] is False


def test_a_reward_that_opens_later_is_created_unavailable(client_for, hr_admin):
    response = client_for(hr_admin).post(
        REWARDS_URL, {"name": "Summer trip", "cost": 50, "available_from": _in(10).isoformat()}
    )

    assert response.json()["is_available"] is False


def test_an_inactive_reward_is_not_available(client_for, hr_admin):
    response = client_for(hr_admin).post(
        REWARDS_URL, {"name": "Paused", "cost": 50, "is_active": False}
    )

    assert response.json()["is_available"] is False


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("cost", 0),
        ("cost", -5),
        ("cost", "100"),
        ("cost", 9.5),
        ("cost", 10**30),
        ("stock", -1),
        ("stock", "lots"),
        ("per_user_limit", 0),
        ("available_from", "soon"),
        ("name", ""),
    ],
)
def test_invalid_reward_fields_are_refused_and_nothing_is_created(
    client_for, hr_admin, field, value
):
    body = {"name": "Thing", "cost": 10, field: value}

    response = client_for(hr_admin).post(REWARDS_URL, body)

    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"]
    assert not Reward.all_objects.exists()


def test_a_reward_must_expire_after_it_opens(client_for, hr_admin):
    response = client_for(hr_admin).post(
        REWARDS_URL,
        {
            "name": "Backwards",
            "cost": 10,
            "available_from": _in(5).isoformat(),
            "expires_at": _in(1).isoformat(),
        },
    )

    assert response.status_code == 400
    assert "expires_at" in response.json()["errors"]


@pytest.mark.parametrize("role", ["employee", "manager"])
def test_only_hr_may_create_rewards(client_for, role):
    response = client_for(UserFactory(role=role)).post(REWARDS_URL, {"name": "Mine", "cost": 1})

    assert response.status_code == 403
    assert not Reward.all_objects.exists()


# --- Changing ---------------------------------------------------------------


def test_hr_patches_a_reward(client_for, hr_admin):
    reward = RewardFactory(cost=100, stock=5)

    response = client_for(hr_admin).patch(f"{REWARDS_URL}{reward.pk}/", {"cost": 150})

    assert response.status_code == 200, response.json()
    assert response.json()["cost"] == 150
    reward.refresh_from_db()
    assert (reward.cost, reward.stock) == (150, 5)


def test_patching_a_reward_inactive_makes_it_unavailable(client_for, hr_admin):
    reward = RewardFactory()

    response = client_for(hr_admin).patch(f"{REWARDS_URL}{reward.pk}/", {"is_active": False})

    assert response.json()["is_available"] is False


def test_a_patch_that_closes_the_window_before_it_opens_is_refused(client_for, hr_admin):
    reward = RewardFactory(available_from=_in(5))

    response = client_for(hr_admin).patch(
        f"{REWARDS_URL}{reward.pk}/", {"expires_at": _in(1).isoformat()}
    )

    assert response.status_code == 400
    assert "expires_at" in response.json()["errors"]
    reward.refresh_from_db()
    assert reward.expires_at is None


def test_a_patch_keeps_the_per_user_limit_it_does_not_name(client_for, hr_admin):
    reward = RewardFactory(per_user_limit=3)

    client_for(hr_admin).patch(f"{REWARDS_URL}{reward.pk}/", {"name": "Renamed"})

    reward.refresh_from_db()
    assert reward.per_user_limit == 3


@pytest.mark.parametrize("role", ["employee", "manager"])
def test_only_hr_may_change_rewards(client_for, role):
    reward = RewardFactory(cost=100)

    response = client_for(UserFactory(role=role)).patch(f"{REWARDS_URL}{reward.pk}/", {"cost": 1})

    assert response.status_code == 403
    reward.refresh_from_db()
    assert reward.cost == 100


def test_put_is_not_allowed_on_rewards(client_for, hr_admin):
    reward = RewardFactory()

    response = client_for(hr_admin).put(f"{REWARDS_URL}{reward.pk}/", {"name": "X", "cost": 1})

    assert response.status_code == 405


# --- Soft delete -------------------------------------------------------------


def test_hr_deletes_a_reward_softly_with_a_204(client_for, hr_admin):
    reward = RewardFactory()

    response = client_for(hr_admin).delete(f"{REWARDS_URL}{reward.pk}/")

    assert response.status_code == 204
    assert Reward.all_objects.filter(pk=reward.pk).exists()


def test_a_deleted_reward_is_gone_from_every_list(
    client_for, hr_admin, employee, django_capture_on_commit_callbacks
):
    kept = RewardFactory()
    deleted = RewardFactory()
    assert deleted.pk in _ids(client_for(employee).get(REWARDS_URL))  # now cached

    with django_capture_on_commit_callbacks(execute=True):
        client_for(hr_admin).delete(f"{REWARDS_URL}{deleted.pk}/")

    assert _ids(client_for(employee).get(REWARDS_URL)) == [kept.pk]
    assert _ids(client_for(hr_admin).get(REWARDS_URL)) == [kept.pk]
    assert client_for(hr_admin).get(f"{REWARDS_URL}{deleted.pk}/").status_code == 404


def test_hr_may_ask_for_deleted_rewards_too(client_for, hr_admin):
    kept = RewardFactory()
    deleted = RewardFactory()
    client_for(hr_admin).delete(f"{REWARDS_URL}{deleted.pk}/")

    listed = client_for(hr_admin).get(f"{REWARDS_URL}?include_deleted=true").json()["results"]

    assert {reward["id"] for reward in listed} == {kept.pk, deleted.pk}
    assert {reward["id"]: reward["is_deleted"] for reward in listed} == {
        kept.pk: False,
        deleted.pk: True,
    }


def test_include_deleted_shows_nothing_deleted_to_others(client_for, hr_admin, employee):
    deleted = RewardFactory()
    client_for(hr_admin).delete(f"{REWARDS_URL}{deleted.pk}/")

    listed = _ids(client_for(employee).get(f"{REWARDS_URL}?include_deleted=true"))

    assert deleted.pk not in listed


def test_a_deleted_reward_cannot_be_redeemed(client_for, hr_admin):
    person = UserFactory(with_points=500)
    reward = RewardFactory(cost=100)
    client_for(hr_admin).delete(f"{REWARDS_URL}{reward.pk}/")

    response = client_for(person).post("/api/v1/redemptions/", {"reward": reward.pk})

    assert response.status_code == 409
    assert response.json()["code"] == "reward_unavailable"
    assert client_for(person).get("/api/v1/me/").json()["points"]["balance"] == 500


def test_deleting_a_reward_leaves_its_redemptions_untouched(client_for, hr_admin):
    person = UserFactory(with_points=500)
    reward = RewardFactory(cost=100)
    redemption = client_for(person).post("/api/v1/redemptions/", {"reward": reward.pk}).json()

    client_for(hr_admin).delete(f"{REWARDS_URL}{reward.pk}/")

    assert Redemption.objects.get(pk=redemption["id"]).status == "pending"
    mine = client_for(person).get(f"/api/v1/redemptions/{redemption['id']}/")
    assert mine.status_code == 200
    assert mine.json()["reward"] == reward.pk


@pytest.mark.parametrize("role", ["employee", "manager"])
def test_only_hr_may_delete_rewards(client_for, role):
    reward = RewardFactory()

    response = client_for(UserFactory(role=role)).delete(f"{REWARDS_URL}{reward.pk}/")

    assert response.status_code == 403
    reward.refresh_from_db()
    assert reward.deleted_at is None


# --- Browsing ----------------------------------------------------------------


def test_people_see_only_rewards_available_now(client_for, employee):
    available = RewardFactory()
    RewardFactory(is_active=False)
    RewardFactory(expires_at=_in(-1))
    RewardFactory(available_from=_in(1))
    RewardFactory(deleted_at=timezone.now())

    assert _ids(client_for(employee).get(REWARDS_URL)) == [available.pk]


def test_hr_sees_every_reward_that_is_not_deleted(client_for, hr_admin):
    rewards = [
        RewardFactory(),
        RewardFactory(is_active=False),
        RewardFactory(expires_at=_in(-1)),
        RewardFactory(available_from=_in(1)),
    ]
    RewardFactory(deleted_at=timezone.now())

    assert sorted(_ids(client_for(hr_admin).get(REWARDS_URL))) == sorted(r.pk for r in rewards)


def test_people_cannot_open_an_unavailable_reward(client_for, employee):
    hidden = RewardFactory(available_from=_in(1))

    assert client_for(employee).get(f"{REWARDS_URL}{hidden.pk}/").status_code == 404


def test_is_available_is_computed_for_each_reward(client_for, hr_admin):
    open_now = RewardFactory(available_from=_in(-1), expires_at=_in(1))
    closed = RewardFactory(expires_at=_in(-1))

    listed = client_for(hr_admin).get(REWARDS_URL).json()["results"]

    assert {reward["id"]: reward["is_available"] for reward in listed} == {
        open_now.pk: True,
        closed.pk: False,
    }


def test_the_catalog_filters_by_category(client_for, employee):
    swag = RewardFactory(category="Swag")
    RewardFactory(category="Travel")

    assert _ids(client_for(employee).get(f"{REWARDS_URL}?category=Swag")) == [swag.pk]
    assert _ids(client_for(employee).get(f"{REWARDS_URL}?category=swag")) == [swag.pk]


def test_the_catalog_filters_by_cost_range(client_for, employee):
    RewardFactory(cost=10)
    middle = RewardFactory(cost=50)
    RewardFactory(cost=90)

    response = client_for(employee).get(f"{REWARDS_URL}?min_cost=50&max_cost=50")
    assert _ids(response) == [middle.pk]
    assert len(_ids(client_for(employee).get(f"{REWARDS_URL}?min_cost=20"))) == 2
    assert len(_ids(client_for(employee).get(f"{REWARDS_URL}?max_cost=60"))) == 2


@pytest.mark.parametrize("query", ["min_cost=cheap", "max_cost=NaN", "max_cost=Infinity"])
def test_a_malformed_cost_filter_is_a_400(client_for, employee, query):
    response = client_for(employee).get(f"{REWARDS_URL}?{query}")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_a_huge_cost_filter_simply_finds_nothing(client_for, employee):
    RewardFactory(cost=10)

    assert _ids(client_for(employee).get(f"{REWARDS_URL}?min_cost={10**30}")) == []


def test_the_catalog_searches_name_and_description(client_for, employee):
    by_name = RewardFactory(name="Espresso machine", description="Coffee")
    by_description = RewardFactory(name="Gadget", description="Makes espresso")
    RewardFactory(name="Tent", description="Camping")

    found = _ids(client_for(employee).get(f"{REWARDS_URL}?search=espresso"))

    assert sorted(found) == sorted([by_name.pk, by_description.pk])


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("cost", ["B", "C", "A"]),
        ("-cost", ["A", "C", "B"]),
        ("name", ["A", "B", "C"]),
        ("-name", ["C", "B", "A"]),
        ("created_at", ["A", "B", "C"]),
        ("-created_at", ["C", "B", "A"]),
    ],
)
def test_the_catalog_orders_by_cost_name_and_creation(client_for, employee, ordering, expected):
    for days_ago, (name, cost) in enumerate((("C", 200), ("B", 100), ("A", 300))):
        reward = RewardFactory(name=name, cost=cost)
        Reward.all_objects.filter(pk=reward.pk).update(created_at=_in(-days_ago))

    listed = client_for(employee).get(f"{REWARDS_URL}?ordering={ordering}").json()["results"]

    assert [reward["name"] for reward in listed] == expected


def test_the_catalog_needs_a_signed_in_caller(client_for):
    assert client_for(None).get(REWARDS_URL).status_code == 401


# --- Images -------------------------------------------------------------------


def test_hr_uploads_a_png_and_gets_its_url(client_for, hr_admin, media_root):
    reward = RewardFactory()
    upload = SimpleUploadedFile("mug.png", _png(), content_type="image/png")

    response = client_for(hr_admin).post(
        f"{REWARDS_URL}{reward.pk}/image/", {"image": upload}, format="multipart"
    )

    assert response.status_code == 200, response.json()
    url = response.json()["image"]
    assert url.endswith(".png")
    reward.refresh_from_db()
    assert reward.image.name
    assert (media_root / reward.image.name).read_bytes() == _png()


@pytest.mark.parametrize(
    ("name", "image_format", "extension"),
    [("page.html", "PNG", ".png"), ("photo.png", "JPEG", ".jpg"), ("noext", "GIF", ".gif")],
)
def test_an_image_is_stored_under_the_extension_of_its_real_format(
    client_for, hr_admin, media_root, name, image_format, extension
):
    """A PNG named page.html must not be served back as a web page."""
    reward = RewardFactory()
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "purple").save(buffer, format=image_format)
    upload = SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")

    response = client_for(hr_admin).post(
        f"{REWARDS_URL}{reward.pk}/image/", {"image": upload}, format="multipart"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["image"].endswith(extension)
    reward.refresh_from_db()
    assert reward.image.name.endswith(extension)


def test_a_text_file_named_png_is_refused(client_for, hr_admin, media_root):
    reward = RewardFactory()
    upload = SimpleUploadedFile("evil.png", b"<?php echo 'hi'; ?>", content_type="image/png")

    response = client_for(hr_admin).post(
        f"{REWARDS_URL}{reward.pk}/image/", {"image": upload}, format="multipart"
    )

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    reward.refresh_from_db()
    assert not reward.image
    assert not list(media_root.rglob("*.png"))


def test_an_image_over_the_size_limit_is_a_413(client_for, hr_admin, media_root, settings):
    settings.PLAUDIT = {**settings.PLAUDIT, "REWARD_IMAGE_MAX_BYTES": 100}
    reward = RewardFactory()
    upload = SimpleUploadedFile("big.png", _png((200, 200)), content_type="image/png")
    assert upload.size > 100

    response = client_for(hr_admin).post(
        f"{REWARDS_URL}{reward.pk}/image/", {"image": upload}, format="multipart"
    )

    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    reward.refresh_from_db()
    assert not reward.image


def test_an_image_upload_without_a_file_is_a_400(client_for, hr_admin, media_root):
    reward = RewardFactory()

    response = client_for(hr_admin).post(f"{REWARDS_URL}{reward.pk}/image/", {}, format="multipart")

    assert response.status_code == 400
    assert "image" in response.json()["errors"]


def test_an_image_sent_as_json_is_a_415(client_for, hr_admin, media_root):
    reward = RewardFactory()

    response = client_for(hr_admin).post(f"{REWARDS_URL}{reward.pk}/image/", {"image": "x"})

    assert response.status_code == 415
    assert response["Content-Type"] == "application/problem+json"


def test_only_hr_may_upload_images(client_for, employee, media_root):
    reward = RewardFactory()
    upload = SimpleUploadedFile("mug.png", _png(), content_type="image/png")

    response = client_for(employee).post(
        f"{REWARDS_URL}{reward.pk}/image/", {"image": upload}, format="multipart"
    )

    assert response.status_code == 403
    reward.refresh_from_db()
    assert not reward.image
