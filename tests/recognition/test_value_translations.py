"""A company value's name and description in other languages: HR writes them through the
values service at every door; each reader gets their own language, else the company's."""

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.utils import translation

from plaudit.core.errors import InvalidInput
from plaudit.recognition import values
from plaudit.recognition.models import CompanyValue
from plaudit.recognition.selectors import trending
from plaudit.web.forms import GiveKudosForm
from tests.factories import CompanyValueFactory, HRAdminFactory, ManagerFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/values/"
TEAMWORK = {
    "fr": {"name": "Esprit d'équipe"},
    "de": {"name": "Teamgeist", "description": "Gemeinsam"},
}
LOCALE = "django.middleware.locale.LocaleMiddleware"
_COMMON = settings.MIDDLEWARE.index("django.middleware.common.CommonMiddleware")
# Until the project's settings choose the language per request, these tests do.
speaks_languages = override_settings(
    MIDDLEWARE=settings.MIDDLEWARE
    if LOCALE in settings.MIDDLEWARE
    else [*settings.MIDDLEWARE[:_COMMON], LOCALE, *settings.MIDDLEWARE[_COMMON:]]
)


@pytest.fixture(autouse=True)
def _the_company_language_afterwards() -> Iterator[None]:
    """A request's language must not leak into the next test."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _teamwork(**fields):
    return CompanyValueFactory(
        name="Teamwork", slug="teamwork", description="Win together", **fields
    )


def test_hr_admins_write_a_values_translations(client_for):
    client = client_for(HRAdminFactory())

    created = client.post(
        URL,
        {"name": "Teamwork", "slug": "teamwork", "translations": TEAMWORK},
        format="json",
    )
    changed = client.patch(
        f"{URL}{created.json()['id']}/", {"translations": {"es": {"name": "Equipo"}}}, format="json"
    )

    assert created.status_code == 201, created.json()
    assert created.json()["translations"] == TEAMWORK
    assert changed.json()["translations"] == {"es": {"name": "Equipo"}}
    assert CompanyValue.objects.get().name == "Teamwork"


@pytest.mark.parametrize("factory", [UserFactory, ManagerFactory])
def test_other_roles_cannot_write_a_values_translations(client_for, factory):
    value = _teamwork()

    response = client_for(factory()).patch(
        f"{URL}{value.pk}/", {"translations": TEAMWORK}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    value.refresh_from_db()
    assert value.translations == {}


@pytest.mark.parametrize(
    ("translations", "words"),
    [
        ({"klingon": {"name": "x"}}, "“klingon” is not a language Plaudit ships"),
        ({"de": {"name": "T" * 101}}, "de.name: Ensure this value has at most 100 characters"),
        ({"de": {"slug": "teamgeist"}}, "“slug” cannot be translated"),
    ],
)
def test_a_bad_translation_of_a_value_is_a_400_and_nothing_is_saved(
    client_for, translations, words
):
    value = _teamwork()

    response = client_for(HRAdminFactory()).patch(
        f"{URL}{value.pk}/", {"translations": translations, "emoji": "🙌"}, format="json"
    )

    assert response.status_code == 400
    assert words in response.json()["errors"]["translations"][0]
    value.refresh_from_db()
    assert (value.translations, value.emoji) == ({}, "⭐")


def test_the_service_refuses_the_same_for_any_caller():
    value = _teamwork()

    with pytest.raises(InvalidInput) as refused:
        values.update_value(value, actor=None, translations={"de": {"name": "T" * 101}})

    assert refused.value.field == "translations"


@speaks_languages
def test_a_french_caller_reads_values_in_french_falling_back_to_the_company_text(client_for):
    _teamwork(translations=TEAMWORK)
    client = client_for(UserFactory())

    (french,) = client.get(URL, HTTP_ACCEPT_LANGUAGE="fr").json()["results"]
    (german,) = client.get(URL, HTTP_ACCEPT_LANGUAGE="de").json()["results"]

    assert (french["name"], french["description"]) == ("Esprit d'équipe", "Win together")
    assert (german["name"], german["description"]) == ("Teamgeist", "Gemeinsam")


@speaks_languages
def test_the_cached_feed_names_values_in_each_readers_language(client_for, give):
    value = _teamwork(translations=TEAMWORK)
    give(UserFactory(), {UserFactory(): 5}, values=[value])
    client = client_for(UserFactory())

    def named(language):
        feed = client.get("/api/v1/recognitions/", HTTP_ACCEPT_LANGUAGE=language).json()
        return [v["name"] for item in feed["results"] for v in item["values"]]

    assert named("fr") == ["Esprit d'équipe"]
    assert named("de") == ["Teamgeist"]
    assert named("fr") == ["Esprit d'équipe"]
    assert named("es") == ["Teamwork"]


@speaks_languages
def test_the_cached_trends_name_values_in_each_readers_language(client_for, give):
    value = _teamwork(translations=TEAMWORK)
    give(UserFactory(), {UserFactory(): 5}, values=[value])
    client = client_for(UserFactory())

    def named(language):
        trends = client.get("/api/v1/reports/trending/", HTTP_ACCEPT_LANGUAGE=language).json()
        return [v["name"] for v in trends["values"]]

    assert named("fr") == ["Esprit d'équipe"]
    assert named("de") == ["Teamgeist"]


def test_a_renamed_translation_reaches_the_cached_trends(give):
    value = _teamwork(translations=TEAMWORK)
    give(UserFactory(), {UserFactory(): 5}, values=[value])

    with translation.override("fr"):
        before = trending(period="all")["values"][0]["name"]
        values.update_value(value, actor=None, translations={"fr": {"name": "Collectif"}})
        after = trending(period="all")["values"][0]["name"]

    assert (before, after) == ("Esprit d'équipe", "Collectif")


def test_the_give_form_labels_values_in_the_active_language():
    _teamwork(translations=TEAMWORK)

    with translation.override("de"):
        form = GiveKudosForm(giver=UserFactory())
        labels = [label for _value, label in form.fields["values"].choices]

    assert labels == ["Teamgeist"]


def test_the_admin_adds_a_value_with_translations_through_the_service(monkeypatch):
    calls = []
    create = values.create_value
    monkeypatch.setattr(values, "create_value", lambda **kw: calls.append(kw) or create(**kw))
    client = Client()
    client.force_login(HRAdminFactory(is_staff=True, is_superuser=True))

    form = client.get("/admin/recognition/companyvalue/add/").content.decode()
    response = client.post(
        "/admin/recognition/companyvalue/add/",
        {
            "name": "Curiosity",
            "slug": "curiosity",
            "description": "",
            "emoji": "🔎",
            "name_fr": "Curiosité",
            "description_de": "Fragen stellen",
        },
    )

    assert "Translations" in form
    assert 'name="name_de"' in form
    assert response.status_code == 302
    assert calls[0]["translations"] == {
        "fr": {"name": "Curiosité"},
        "de": {"description": "Fragen stellen"},
    }
    assert CompanyValue.objects.get().translations == calls[0]["translations"]
