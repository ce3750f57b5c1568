"""Issue 21's proofs outside the browser, on the shipped catalogues: an email for a German
speaker sent from a French speaker's request is in German; a problem document is in the
caller's language (``Accept-Language``, or their own preference, which wins) with the
``code`` it has in English; a reward's French name reaches a French reader.

Expected words are read from the catalogues (``gettext`` under ``translation.override``)
and checked to differ from the English, so a missing ``.mo`` fails rather than passes.
These tests need the compiled catalogues (``make install``).
"""

from typing import Any

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext, ngettext

from plaudit.core.wording import number, points
from plaudit.events.models import Notification
from tests.clients import bearer_client
from tests.factories import RewardFactory, UserFactory

pytestmark = pytest.mark.django_db

KUDOS = "/api/v1/recognitions/"
REDEEM = "/api/v1/redemptions/"


def _in(language: str, msgid: str) -> str:
    """``msgid`` in ``language`` from the shipped catalogue, checked to be a translation."""
    with translation.override(language):
        words = gettext(msgid)
    assert words != msgid, f"{msgid!r} has no {language} translation: is the catalogue compiled?"
    return words


def _kudos(*gifts: tuple[Any, int], message: str = "Merci !") -> dict[str, Any]:
    return {
        "message": message,
        "recipients": [{"user": person.pk, "points": amount} for person, amount in gifts],
    }


# --- An email in its recipient's language ---------------------------------------------------


def test_a_german_recipient_gets_a_german_email_from_a_french_speakers_request(
    django_capture_on_commit_callbacks: Any,
) -> None:
    claire = UserFactory(first_name="Claire", last_name="Martin", language="fr")
    hans = UserFactory(first_name="Hans", last_name="Weber", language="de")

    with django_capture_on_commit_callbacks(execute=True):
        response = bearer_client(claire).post(KUDOS, _kudos((hans, 20)), format="json")

    assert response.status_code == 201, response.json()
    assert response["Content-Language"] == "fr"  # Claire's request spoke French
    [email] = mail.outbox
    assert email.to == [hans.email]
    with translation.override("de"):
        subject = gettext("%(giver)s recognised you with %(points)s") % {
            "giver": str(claire),
            "points": points(20),
        }
    assert subject != f"{claire} recognised you with 20 points"
    assert email.subject == subject == Notification.objects.get(user=hans).title
    assert email.body.startswith(_in("de", "Hello %(name)s,") % {"name": "Hans"})
    assert _in("de", "Say thanks back, or pass it on.") in email.body
    assert _in("de", "Open in %(site_name)s: %(link)s").split("%(site_name)s")[0] in email.body
    for english in ("Hello", "Say thanks back", "Open in", "You get this email", "Bonjour"):
        assert english not in email.body, english
    [(html, _type)] = email.alternatives
    assert '<html lang="de"' in html
    assert _in("de", "Say thanks back, or pass it on.") in html


# --- Problem documents in the caller's language, codes unchanged -----------------------------


def _over_the_allowance(client: Any, *people: Any, language: str) -> Any:
    """60 + 41 points: one more than a month's allowance of 100."""
    gifts = _kudos((people[0], 60), (people[1], 41))
    return client.post(KUDOS, gifts, format="json", HTTP_ACCEPT_LANGUAGE=language)


def _allowance_detail(language: str) -> str:
    with translation.override(language):
        return ngettext(
            "You have %(count)s point left to give this month; this needs %(total)s.",
            "You have %(count)s points left to give this month; this needs %(total)s.",
            100,
        ) % {"count": number(100), "total": number(101)}


def test_over_the_allowance_is_answered_in_spanish_to_accept_language_es_with_the_same_code():
    giver, ana, bo = UserFactory(language=""), UserFactory(), UserFactory()
    client = bearer_client(giver)

    english = _over_the_allowance(client, ana, bo, language="en")
    spanish = _over_the_allowance(client, ana, bo, language="es")

    assert (english.status_code, spanish.status_code) == (409, 409)
    assert spanish["Content-Type"] == "application/problem+json"
    assert spanish["Content-Language"] == "es"
    assert spanish.json()["code"] == english.json()["code"] == "insufficient_allowance"
    assert spanish.json()["type"] == english.json()["type"]
    assert spanish.json()["title"] == _in("es", "Insufficient allowance")
    assert english.json()["title"] == "Insufficient allowance"
    assert spanish.json()["detail"] == _allowance_detail("es") != english.json()["detail"]
    assert english.json()["detail"] == _allowance_detail("en")


def test_insufficient_points_is_answered_in_spanish_with_the_same_code():
    person = UserFactory(language="", with_points=50)
    reward = RewardFactory(cost=1200, stock=3)
    client = bearer_client(person)

    english = client.post(REDEEM, {"reward": reward.pk}, HTTP_ACCEPT_LANGUAGE="en")
    spanish = client.post(REDEEM, {"reward": reward.pk}, HTTP_ACCEPT_LANGUAGE="es")

    assert (english.status_code, spanish.status_code) == (409, 409)
    assert spanish.json()["code"] == english.json()["code"] == "insufficient_points"
    assert spanish.json()["title"] == _in("es", "Insufficient points")
    assert spanish.json()["detail"] != english.json()["detail"]
    with translation.override("es"):
        detail = ngettext(
            "The balance is %(count)s point; %(needed)s are needed.",
            "The balance is %(count)s points; %(needed)s are needed.",
            50,
        ) % {"count": number(50), "needed": number(1200)}
    assert spanish.json()["detail"] == detail


def test_a_validation_error_is_answered_in_spanish_with_the_same_code():
    giver = UserFactory(language="")
    client = bearer_client(giver)
    invalid = {"message": "", "recipients": [{"user": giver.pk, "points": 0}]}

    english = client.post(KUDOS, invalid, format="json", HTTP_ACCEPT_LANGUAGE="en")
    spanish = client.post(KUDOS, invalid, format="json", HTTP_ACCEPT_LANGUAGE="es")

    assert english.status_code == spanish.status_code == 400
    body = spanish.json()
    assert body["code"] == english.json()["code"] == "invalid"
    assert set(body["errors"]) == set(english.json()["errors"])  # field names stay English
    assert body["title"] == _in("es", "Invalid input")
    assert body["errors"] != english.json()["errors"]  # the messages are Spanish
    first = body["detail"].split(": ", 1)[1]
    assert body["detail"] == _in("es", "The request has invalid fields: %(first)s") % {
        "first": first
    }
    assert english.json()["detail"].startswith("The request has invalid fields: ")


def test_a_person_whose_preference_is_german_gets_german_from_the_api_whatever_the_browser():
    giver, ana, bo = UserFactory(language="de"), UserFactory(), UserFactory()

    response = _over_the_allowance(bearer_client(giver), ana, bo, language="es")

    assert response.status_code == 409
    assert response["Content-Language"] == "de"
    body = response.json()
    assert body["code"] == "insufficient_allowance"
    assert body["title"] == _in("de", "Insufficient allowance")
    assert body["detail"] == _allowance_detail("de")


# --- The company's own words in the reader's language ----------------------------------------

CINEMA = {
    "name": "Cinema tickets",
    "description": "Two seats, any film.",
    "translations": {
        "fr": {"name": "Places de cinéma", "description": "Deux places, le film de votre choix."}
    },
}


def test_a_rewards_french_name_reaches_a_french_reader_in_the_api():
    reward = RewardFactory(**CINEMA)
    reader, english_reader = UserFactory(language="fr"), UserFactory(language="en")

    french = bearer_client(reader).get(f"/api/v1/rewards/{reward.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    english = bearer_client(english_reader).get(f"/api/v1/rewards/{reward.pk}/")

    assert french.status_code == 200
    assert french["Content-Language"] == "fr"
    assert (french.json()["name"], french.json()["description"]) == (
        "Places de cinéma",
        "Deux places, le film de votre choix.",
    )
    assert english.json()["name"] == "Cinema tickets"
    listed = bearer_client(reader).get("/api/v1/rewards/").json()["results"]
    assert [item["name"] for item in listed] == ["Places de cinéma"]


def test_a_rewards_french_name_reaches_a_french_reader_on_the_rewards_page(client):
    RewardFactory(**CINEMA)
    client.force_login(UserFactory(language="fr"))

    page = client.get("/rewards/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "<h2>Places de cinéma</h2>" in page
    assert "Deux places, le film de votre choix." in page
    assert "Cinema tickets" not in page
    assert f"<h1>{_in('fr', 'Rewards')}</h1>" in page
