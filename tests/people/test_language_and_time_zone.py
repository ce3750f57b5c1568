"""Which language and time zone a request is answered in, and PATCH /me/ that sets them.

The person's own choice beats the browser's Accept-Language, which beats the company's
LANGUAGE_CODE, at both doors: a session (middleware) and an API token (the JWT
authentication, inside DRF). The words checked are Django's and DRF's own
translations, so these tests do not wait for Plaudit's.
"""

from typing import Any

import pytest
from django.test import RequestFactory
from django.utils import timezone, translation
from rest_framework.test import APIClient

from plaudit.core.cache import VersionedPages
from plaudit.people.localisation import PersonLocaleMiddleware, impersonal
from plaudit.people.models import User
from plaudit.people.services import set_preferences
from plaudit.recognition.services import Gift, give_recognition
from tests.clients import bearer_client
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REQUIRED = {
    "en": "This field is required.",
    "fr": "Ce champ est obligatoire.",
    "de": "Dieses Feld ist zwingend erforderlich.",
    "es": "Este campo es requerido.",
}


def _refused_kudos(client: Any, **headers: str) -> Any:
    """A kudos with no message: a problem document whose field error is DRF's own words."""
    return client.post("/api/v1/recognitions/", {}, format="json", **headers)


def _required(response: Any) -> str:
    problem = _problem(response)
    assert problem["code"] == "invalid"
    message: str = problem["errors"]["message"][0]
    return message


def _problem(response: Any) -> dict[str, Any]:
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    return body


# --- The API, with a token -------------------------------------------------------------


def test_a_problem_is_in_the_persons_own_language_whatever_the_browser_asks():
    person = UserFactory(language="de")

    response = _refused_kudos(bearer_client(person), HTTP_ACCEPT_LANGUAGE="es")

    assert response.status_code == 400
    assert _required(response) == REQUIRED["de"]
    assert response["Content-Language"] == "de"
    assert "Accept-Language" in response["Vary"]


def test_without_a_choice_of_their_own_the_problem_follows_accept_language():
    person = UserFactory(language="")

    response = _refused_kudos(bearer_client(person), HTTP_ACCEPT_LANGUAGE="es")

    assert _required(response) == REQUIRED["es"]
    assert response["Content-Language"] == "es"


def test_with_neither_the_company_language_answers(settings):
    settings.LANGUAGE_CODE = "fr"
    person = UserFactory(language="")

    response = _refused_kudos(bearer_client(person))

    assert _required(response) == REQUIRED["fr"]
    assert response["Content-Language"] == "fr"


def test_an_anonymous_caller_is_answered_in_accept_language():
    response = APIClient().get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9,en;q=0.5")

    assert response.status_code == 401
    assert _problem(response)["detail"] == "Informations d'authentification non fournies."
    assert response["Content-Language"] == "fr"


def test_an_unshipped_language_falls_back_to_the_company_default():
    response = APIClient().get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="ja")

    assert _problem(response)["detail"] == "Authentication credentials were not provided."
    assert response["Content-Language"] == "en"


def test_times_in_the_api_are_in_the_persons_time_zone():
    person = UserFactory(time_zone="Asia/Tokyo")
    UserFactory(time_zone="")
    give_recognition(giver=UserFactory(), message="Thanks", gifts=[Gift(person, 1)])

    created_at = (
        bearer_client(person).get("/api/v1/recognitions/").json()["results"][0]["created_at"]
    )

    assert created_at.endswith("+09:00")


def test_a_shared_cached_page_is_kept_apart_per_time_zone(settings):
    settings.TIME_ZONE = "UTC"
    tokyo = UserFactory(time_zone="Asia/Tokyo")
    company = UserFactory(time_zone="")
    give_recognition(giver=UserFactory(), message="Thanks", gifts=[Gift(tokyo, 1)])

    first = bearer_client(tokyo).get("/api/v1/recognitions/").json()["results"][0]
    second = bearer_client(company).get("/api/v1/recognitions/").json()["results"][0]

    assert first["created_at"].endswith("+09:00")
    assert second["created_at"].endswith("Z")


def test_cached_pages_are_keyed_by_language_and_time_zone():
    pages = VersionedPages("example")

    with translation.override("en"):
        english = pages.keys("page")
    with translation.override("de"):
        german = pages.keys("page")
    with timezone.override("Europe/Berlin"), translation.override("en"):
        berlin = pages.keys("page")

    assert english[0] == german[0] == berlin[0]  # one version for the listing
    assert len({english[1], german[1], berlin[1]}) == 3


def test_after_a_request_the_thread_is_back_on_the_company_defaults(settings):
    settings.TIME_ZONE = "UTC"
    person = UserFactory(language="fr", time_zone="Asia/Tokyo")

    _refused_kudos(bearer_client(person))

    assert translation.get_language() == "en"
    assert timezone.get_current_timezone_name() == "UTC"


def test_a_request_inside_translation_override_leaves_the_override_as_it_was():
    person = UserFactory(language="fr", time_zone="Asia/Tokyo")

    with translation.override("de"), timezone.override("Europe/Berlin"):
        _refused_kudos(bearer_client(person))

        assert translation.get_language() == "de"
        assert timezone.get_current_timezone_name() == "Europe/Berlin"


# --- The middleware, for sessions --------------------------------------------------------


def _seen_by_the_view(user: Any, *, impersonal_view: bool = False) -> tuple[str, str]:
    seen: dict[str, str] = {}

    def view(request: Any) -> Any:
        seen["language"] = translation.get_language()
        seen["zone"] = timezone.get_current_timezone_name()
        return None

    if impersonal_view:
        view = impersonal(view)

    def handler(request: Any) -> Any:  # Django's handler: process_view, then the view
        middleware.process_view(request, view, (), {})
        return view(request)

    middleware = PersonLocaleMiddleware(handler)
    request = RequestFactory().get("/")
    request.user = user
    translation.activate("es")  # as LocaleMiddleware would from Accept-Language
    try:
        middleware(request)
    finally:
        translation.deactivate()
        timezone.deactivate()
    return seen["language"], seen["zone"]


def test_the_middleware_activates_the_signed_in_persons_language_and_zone(settings):
    settings.TIME_ZONE = "Europe/Paris"
    person = UserFactory(language="de", time_zone="America/New_York")

    assert _seen_by_the_view(person) == ("de", "America/New_York")


def test_an_impersonal_view_is_answered_without_looking_the_person_up(settings):
    settings.TIME_ZONE = "Europe/Paris"
    person = UserFactory(language="de", time_zone="America/New_York")

    assert _seen_by_the_view(person, impersonal_view=True) == ("es", "Europe/Paris")


def test_the_middleware_keeps_the_browsers_language_and_the_company_zone_without_a_choice(
    settings,
):
    settings.TIME_ZONE = "Europe/Paris"
    person = UserFactory(language="", time_zone="")

    assert _seen_by_the_view(person) == ("es", "Europe/Paris")


def test_the_middleware_leaves_anonymous_requests_to_locale_middleware(settings):
    from django.contrib.auth.models import AnonymousUser

    settings.TIME_ZONE = "Europe/Paris"

    assert _seen_by_the_view(AnonymousUser()) == ("es", "Europe/Paris")


def test_a_session_api_call_is_answered_in_the_persons_language(client):
    person = UserFactory(language="fr")
    client.force_login(person)

    response = client.post(
        "/api/v1/recognitions/",
        "{}",
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="de",
    )

    assert _required(response) == REQUIRED["fr"]
    assert response["Content-Language"] == "fr"


# --- PATCH /me/ ----------------------------------------------------------------------------


def test_me_shows_the_persons_language_and_time_zone():
    person = UserFactory(language="es", time_zone="Europe/Madrid")

    body = bearer_client(person).get("/api/v1/me/").json()

    assert (body["language"], body["time_zone"]) == ("es", "Europe/Madrid")


def test_patch_me_sets_both_and_answers_in_the_new_language():
    person = UserFactory()
    client = bearer_client(person)
    client.get("/api/v1/me/")  # cached as it was

    response = client.patch(
        "/api/v1/me/", {"language": "fr", "time_zone": "Europe/Paris"}, format="json"
    )

    assert response.status_code == 200
    assert response["Content-Language"] == "fr"
    assert (response.json()["language"], response.json()["time_zone"]) == ("fr", "Europe/Paris")
    person.refresh_from_db()
    assert (person.language, person.time_zone) == ("fr", "Europe/Paris")
    again = client.get("/api/v1/me/")
    assert again.json()["language"] == "fr"  # the cached page was forgotten
    assert again["Content-Language"] == "fr"


def test_patch_me_with_blanks_goes_back_to_the_browser_and_the_company():
    person = UserFactory(language="de", time_zone="Europe/Berlin")

    response = bearer_client(person).patch(
        "/api/v1/me/", {"language": "", "time_zone": ""}, format="json"
    )

    assert response.status_code == 200
    person.refresh_from_db()
    assert (person.language, person.time_zone) == ("", "")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("language", "pt"),
        ("language", "english"),
        ("time_zone", "Mars/Olympus_Mons"),
        ("time_zone", "x" * 200),
    ],
)
def test_patch_me_refuses_a_value_it_does_not_know_naming_the_field(field, value):
    person = UserFactory(language="de", time_zone="Europe/Berlin")

    response = bearer_client(person).patch(
        "/api/v1/me/", {"language": "fr", field: value}, format="json"
    )

    assert response.status_code == 400
    problem = _problem(response)
    assert problem["code"] == "invalid"
    assert list(problem["errors"]) == [field]
    assert problem["errors"][field][0]
    person.refresh_from_db()
    assert (person.language, person.time_zone) == ("de", "Europe/Berlin")


def test_patch_me_refuses_any_other_field_by_name():
    person = UserFactory(first_name="Ada")

    response = bearer_client(person).patch(
        "/api/v1/me/", {"first_name": "Grace", "language": "fr"}, format="json"
    )

    assert response.status_code == 400
    assert list(_problem(response)["errors"]) == ["first_name"]
    person.refresh_from_db()
    assert (person.first_name, person.language) == ("Ada", "")


def test_patch_me_refusals_are_in_the_callers_language():
    person = UserFactory(language="de")

    response = bearer_client(person).patch("/api/v1/me/", ["fr"], format="json")

    assert response.status_code == 400
    assert response["Content-Language"] == "de"


def test_patch_me_needs_a_signed_in_caller():
    assert APIClient().patch("/api/v1/me/", {"language": "fr"}, format="json").status_code == 401


# --- The service ------------------------------------------------------------------------------


def test_someone_else_may_not_set_a_persons_preferences():
    from plaudit.core.errors import NotAllowed

    person = UserFactory()

    with pytest.raises(NotAllowed):
        set_preferences(actor=UserFactory(), person=person, language="fr")


def test_an_hr_admin_and_the_operator_may(hr_admin):
    person = UserFactory()

    set_preferences(actor=hr_admin, person=person, language="fr")
    set_preferences(actor=None, person=person, time_zone="Europe/Paris")

    person.refresh_from_db()
    assert (person.language, person.time_zone) == ("fr", "Europe/Paris")


def test_a_person_whose_stored_zone_is_unknown_reads_the_company_zone(settings):
    from plaudit.people.locales import time_zone_of

    settings.TIME_ZONE = "Europe/Paris"

    assert str(time_zone_of(User(time_zone="Gone/Away"))) == "Europe/Paris"


def test_speaking_to_a_person_uses_their_language_and_zone_else_the_companys(settings):
    from plaudit.people.locales import speaking_to

    settings.LANGUAGE_CODE = "es"
    settings.TIME_ZONE = "Europe/Madrid"

    with speaking_to(User(language="de", time_zone="Asia/Tokyo")):
        assert translation.gettext("This field is required.") == REQUIRED["de"]
        assert timezone.get_current_timezone_name() == "Asia/Tokyo"
    with speaking_to(User(language="", time_zone="")):
        assert translation.get_language() == "es"
        assert timezone.get_current_timezone_name() == "Europe/Madrid"
