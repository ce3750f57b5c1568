"""A reward's name and description in other languages: HR writes them through the rewards
services at every door; each reader gets their own language, else the company's text."""

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.utils import translation

from plaudit.events.messages import describe
from plaudit.events.models import EventType
from plaudit.events.payloads import RedemptionChanged, RewardLowStock
from plaudit.rewards import services
from plaudit.rewards.models import RedemptionStatus, Reward
from tests.factories import HRAdminFactory, ManagerFactory, RewardFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/rewards/"
MUG = {"fr": {"name": "Tasse", "description": "Une belle tasse."}, "de": {"name": "Becher"}}
# Until the project's settings choose the language per request, these tests do.
WITH_LOCALE = [
    *settings.MIDDLEWARE[: settings.MIDDLEWARE.index("django.middleware.common.CommonMiddleware")],
    "django.middleware.locale.LocaleMiddleware",
    *settings.MIDDLEWARE[settings.MIDDLEWARE.index("django.middleware.common.CommonMiddleware") :],
]
speaks_languages = override_settings(
    MIDDLEWARE=settings.MIDDLEWARE
    if "django.middleware.locale.LocaleMiddleware" in settings.MIDDLEWARE
    else WITH_LOCALE
)


@pytest.fixture(autouse=True)
def _the_company_language_afterwards() -> Iterator[None]:
    """A request's language must not leak into the next test."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _mug(**fields):
    return RewardFactory(name="Mug", description="A nice mug.", cost=100, **fields)


# --- Writing ------------------------------------------------------------------------------


def test_hr_admins_write_translations_that_replace_the_stored_ones_whole(client_for):
    client = client_for(HRAdminFactory())

    created = client.post(
        URL,
        {"name": "Mug", "description": "A nice mug.", "cost": 100, "translations": MUG},
        format="json",
    )
    changed = client.patch(
        f"{URL}{created.json()['id']}/",
        {"translations": {"es": {"name": " Taza ", "description": ""}}},
        format="json",
    )

    assert created.status_code == 201, created.json()
    assert created.json()["translations"] == MUG
    assert changed.status_code == 200, changed.json()
    # Trimmed; a blank text is no translation; the other languages went with the PATCH.
    assert Reward.objects.get().translations == {"es": {"name": "Taza"}}
    assert Reward.objects.get().name == "Mug"


@pytest.mark.parametrize("factory", [UserFactory, ManagerFactory])
def test_other_roles_cannot_write_translations(client_for, factory):
    mug = _mug()

    response = client_for(factory()).patch(f"{URL}{mug.pk}/", {"translations": MUG}, format="json")

    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "permission_denied"
    mug.refresh_from_db()
    assert mug.translations == {}


@pytest.mark.parametrize(
    ("translations", "words"),
    [
        ({"xx": {"name": "Mug"}}, "“xx” is not a language Plaudit ships"),
        ({"fr": {"name": "T" * 201}}, "fr.name: Ensure this value has at most 200 characters"),
        ({"fr": {"description": "d" * 10_001}}, "fr.description: Ensure this value has at most"),
        ({"fr": {"category": "Cuisine"}}, "“category” cannot be translated"),
        ({"fr": {"name": 7}}, "fr.name: Write it as text."),
        ({"fr": "Tasse"}, "Write each language's texts as an object"),
        (["fr", "Tasse"], "Write the translations as an object"),
    ],
)
def test_a_bad_translation_is_a_400_naming_the_field_and_nothing_is_saved(
    client_for, translations, words
):
    mug = _mug(translations={"de": {"name": "Becher"}})

    response = client_for(HRAdminFactory()).patch(
        f"{URL}{mug.pk}/", {"translations": translations, "cost": 5}, format="json"
    )

    assert response.status_code == 400
    problem = response.json()
    assert problem["code"] == "invalid"
    assert list(problem["errors"]) == ["translations"]
    assert words in problem["errors"]["translations"][0]
    mug.refresh_from_db()
    assert (mug.translations, mug.cost) == ({"de": {"name": "Becher"}}, 100)


def test_the_schema_documents_the_translations_by_language_and_their_bounds(client_for):
    schema = Client().get("/api/schema/", {"format": "json"}).json()

    translations = schema["components"]["schemas"]["Reward"]["properties"]["translations"]
    assert set(translations["properties"]) == {code for code, _name in settings.LANGUAGES}
    french = translations["properties"]["fr"]["properties"]
    assert french["name"]["maxLength"] == 200
    assert french["description"]["maxLength"] == 10_000


# --- Reading -------------------------------------------------------------------------------


@speaks_languages
def test_a_french_caller_reads_the_french_text_and_the_company_text_where_there_is_none(
    client_for,
):
    mug = _mug(translations=MUG)
    client = client_for(UserFactory())

    french = client.get(f"{URL}{mug.pk}/", HTTP_ACCEPT_LANGUAGE="fr").json()
    german = client.get(f"{URL}{mug.pk}/", HTTP_ACCEPT_LANGUAGE="de").json()
    english = client.get(f"{URL}{mug.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()

    assert (french["name"], french["description"]) == ("Tasse", "Une belle tasse.")
    assert (german["name"], german["description"]) == ("Becher", "A nice mug.")
    assert (english["name"], english["description"]) == ("Mug", "A nice mug.")
    assert french["translations"] == MUG


@speaks_languages
def test_the_cached_catalog_is_cached_per_language(client_for):
    _mug(translations=MUG)
    client = client_for(UserFactory())

    def names(language):
        body = client.get(URL, HTTP_ACCEPT_LANGUAGE=language).json()
        return [reward["name"] for reward in body["results"]]

    assert names("fr") == ["Tasse"]
    assert names("de") == ["Becher"]
    assert names("fr") == ["Tasse"]
    assert names("es") == ["Mug"]


@speaks_languages
def test_redemptions_name_the_reward_in_the_callers_language(client_for):
    mug = _mug(translations=MUG)
    person = UserFactory(with_points=300)
    services.redeem_reward(user=person, reward_id=mug.pk)

    listed = client_for(person).get("/api/v1/redemptions/", HTTP_ACCEPT_LANGUAGE="fr").json()

    assert [r["reward_name"] for r in listed["results"]] == ["Tasse"]


@speaks_languages
def test_the_catalog_page_shows_the_readers_language(client):
    _mug(translations=MUG)
    client.force_login(UserFactory(with_points=300))

    page = client.get("/rewards/", HTTP_ACCEPT_LANGUAGE="de").content.decode()

    assert "Becher" in page
    assert "A nice mug." in page  # no German description: the company's


def test_a_notification_names_the_reward_in_the_active_language():
    mug = _mug(translations=MUG)
    approved = RedemptionChanged(
        redemption=1,
        reward=mug.pk,
        reward_name="Mug",
        cost=100,
        status=RedemptionStatus.APPROVED,
        reason="",
        user=2,
        user_name="Ana",
        actor=3,
        recipients=[2],
    )
    low = RewardLowStock(reward=mug.pk, reward_name="Mug", stock=1, threshold=2, recipients=[3])

    with translation.override("fr"):
        french = describe(EventType.REDEMPTION_APPROVED, approved, 2)
        low_in_french = describe(EventType.REWARD_LOW_STOCK, low, 3)
    with translation.override("es"):
        spanish = describe(EventType.REDEMPTION_APPROVED, approved, 2)

    assert "Tasse" in french.title
    assert "Tasse" in low_in_french.title
    assert "Mug" in spanish.title


# --- The other doors -------------------------------------------------------------------------


def _admin_form(reward: Reward, **inputs: str) -> dict[str, str]:
    data = {
        "sku": reward.sku or "",
        "name": reward.name,
        "description": reward.description,
        "category": reward.category,
        "cost": str(reward.cost),
        "stock": "",
        "per_user_limit": str(reward.per_user_limit or ""),
        "available_from_0": "",
        "available_from_1": "",
        "expires_at_0": "",
        "expires_at_1": "",
        "is_active": "on",
    }
    return {**data, **inputs}


def test_the_admin_has_an_input_per_language_and_saves_through_the_service(monkeypatch):
    hr = HRAdminFactory(is_staff=True, is_superuser=True)
    mug = _mug(translations={"de": {"name": "Becher"}})
    calls = []
    update = services.update_reward
    monkeypatch.setattr(
        services, "update_reward", lambda *a, **kw: calls.append(kw) or update(*a, **kw)
    )
    client = Client()
    client.force_login(hr)

    form = client.get(f"/admin/rewards/reward/{mug.pk}/change/").content.decode()
    saved = client.post(
        f"/admin/rewards/reward/{mug.pk}/change/",
        _admin_form(mug, name_fr="Tasse", name_de="", description_fr="Une tasse."),
    )

    assert 'name="name_fr"' in form
    assert 'name="description_es"' in form
    assert "Name (Français)" in form
    assert 'value="Becher"' in form  # the stored translation, ready to edit
    assert saved.status_code == 302
    assert calls == [
        {"actor": hr, "translations": {"fr": {"name": "Tasse", "description": "Une tasse."}}}
    ]
    mug.refresh_from_db()
    assert mug.translations == {"fr": {"name": "Tasse", "description": "Une tasse."}}


def test_the_admin_shows_a_too_long_translation_beside_its_input_and_saves_nothing():
    mug = _mug()
    client = Client()
    client.force_login(HRAdminFactory(is_staff=True, is_superuser=True))

    response = client.post(
        f"/admin/rewards/reward/{mug.pk}/change/", _admin_form(mug, name_fr="T" * 201)
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["name_fr"] == ["Ensure this value has at most 200 characters (it has 201)."]
    mug.refresh_from_db()
    assert mug.translations == {}


def test_hrs_reward_editor_saves_translations(client):
    mug = _mug()
    client.force_login(HRAdminFactory())
    data = {
        "name": "Mug",
        "description": "A nice mug.",
        "category": "Swag",
        "cost": "100",
        "per_user_limit": "1",
        "is_active": "on",
        "name_es": "Taza",
    }

    response = client.post(f"/hr/rewards/{mug.pk}/edit/", data)

    assert response.status_code == 302, response.context["form"].errors
    mug.refresh_from_db()
    assert mug.translations == {"es": {"name": "Taza"}}


def test_a_catalog_import_leaves_the_translations_as_they_are():
    mug = _mug(sku="MUG", translations=MUG)
    row = {
        "name": "Big mug",
        "description": "A nice mug.",
        "category": "Swag",
        "cost": 120,
        "stock": None,
        "per_user_limit": 1,
        "available_from": None,
        "expires_at": None,
        "is_active": True,
    }

    services.import_rewards([("MUG", row)], actor=HRAdminFactory())

    mug.refresh_from_db()
    assert (mug.name, mug.translations) == ("Big mug", MUG)
