"""Whatever Plaudit tells a person is in their language and time zone: never the sender's,
the request's, nor the worker's.

The shipped translations come later, so these tests bring their own tiny catalogue
(:mod:`tests.catalogue`): a German or French sentence proves which language was active.
"""

from typing import Any

import pytest
from django.core import mail
from django.utils import timezone, translation

from plaudit.events import emails, realtime, services, tasks
from plaudit.events.messages import describe
from plaudit.events.models import EventType, Notification, NotificationPreference
from plaudit.events.payloads import AwardData, ImportFinished, RecognitionCreated
from plaudit.recognition.models import RecognitionKind
from tests.catalogue import use_catalogue
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RECOGNISED = "%(giver)s recognised you with %(points)s"
HELLO = "Hello %(name)s,"
THANKS_BACK = "Say thanks back, or pass it on."
DIGEST_SUBJECT = ("%(site)s: %(count)s new notification", "%(site)s: %(count)s new notifications")
DIGEST_HEADING = "What happened since your last digest:"


@pytest.fixture(autouse=True)
def catalogue(settings: Any, tmp_path: Any) -> None:
    use_catalogue(
        settings,
        tmp_path,
        {
            "de": {
                RECOGNISED: "%(giver)s hat dich mit %(points)s gewürdigt",
                HELLO: "Hallo %(name)s,",
                THANKS_BACK: "Bedank dich oder gib es weiter.",
                DIGEST_SUBJECT: (
                    "%(site)s: %(count)s neue Benachrichtigung",
                    "%(site)s: %(count)s neue Benachrichtigungen",
                ),
                DIGEST_HEADING: "Was seit deiner letzten Zusammenfassung geschah:",
            },
            "fr": {
                RECOGNISED: "%(giver)s vous a remercié avec %(points)s",
                HELLO: "Bonjour %(name)s,",
                THANKS_BACK: "Remerciez en retour, ou faites passer.",
                DIGEST_SUBJECT: (
                    "%(site)s : %(count)s nouvelle notification",
                    "%(site)s : %(count)s nouvelles notifications",
                ),
                DIGEST_HEADING: "Ce qui s'est passé depuis votre dernier résumé :",
            },
        },
    )


def recognition(giver: Any, *recipients: Any, points: int = 20) -> RecognitionCreated:
    return RecognitionCreated(
        recognition=7,
        kind=RecognitionKind.PEER,
        giver=giver.pk,
        giver_name=giver.first_name,
        recipients=[person.pk for person in recipients],
        awards=[AwardData(user=p.pk, user_name=p.first_name, points=points) for p in recipients],
        values=[],
        message="Danke für den Launch!",
        created_at=timezone.now(),
    )


def test_the_catalogue_is_in_use() -> None:
    """The premise of the tests below: the test catalogue translates, English stays."""
    with translation.override("de"):
        assert translation.gettext(THANKS_BACK) == "Bedank dich oder gib es weiter."
    with translation.override("en"):
        assert translation.gettext(THANKS_BACK) == THANKS_BACK


def test_a_notification_made_in_a_french_request_for_a_german_speaker_is_stored_in_german(
    publish: Any,
) -> None:
    claire = UserFactory(first_name="Claire", language="fr")
    hans = UserFactory(first_name="Hans", language="de")
    pat = UserFactory(first_name="Pat", language="")  # no choice: the company's, English

    with translation.override("fr"):  # Claire's request, in French
        publish(EventType.RECOGNITION_CREATED, recognition(claire, hans, pat))
        assert translation.get_language() == "fr"  # and it stays hers

    title = Notification.objects.get(user=hans).title
    assert title.startswith("Claire hat dich mit 20 ")
    assert title.endswith(" gewürdigt")
    assert Notification.objects.get(user=pat).title == "Claire recognised you with 20 points"


def test_each_notification_is_described_in_its_recipients_language_and_time_zone(
    publish: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    giver = UserFactory(language="es", time_zone="America/Mexico_City")
    hans = UserFactory(language="de", time_zone="Europe/Berlin")
    amelie = UserFactory(language="fr", time_zone="")  # the company's zone
    seen: dict[int, tuple[str | None, str]] = {}

    def spying(event_type: str, payload: Any, user_id: int) -> Any:
        seen[user_id] = (translation.get_language(), timezone.get_current_timezone_name())
        return describe(event_type, payload, user_id)

    monkeypatch.setattr(services, "describe", spying)
    with translation.override("es"), timezone.override("America/Mexico_City"):
        publish(EventType.RECOGNITION_CREATED, recognition(giver, hans, amelie))

    assert seen == {hans.pk: ("de", "Europe/Berlin"), amelie.pk: ("fr", "UTC")}


def test_a_german_recipient_gets_a_german_email_from_a_french_sender(publish: Any) -> None:
    claire = UserFactory(first_name="Claire", language="fr")
    hans = UserFactory(first_name="Hans", language="de")

    with translation.override("fr"):  # sent (eagerly) inside Claire's French request
        publish(EventType.RECOGNITION_CREATED, recognition(claire, hans))

    [email] = mail.outbox
    assert email.to == [hans.email]
    assert email.subject.startswith("Claire hat dich mit 20 ")
    assert email.body.startswith("Hallo Hans,")
    assert "Bedank dich oder gib es weiter." in email.body
    assert "Bonjour" not in email.body
    [(html, _)] = email.alternatives
    assert '<html lang="de"' in html
    assert "Hallo Hans," in html
    assert "Bedank dich oder gib es weiter." in html


def test_an_email_sent_by_a_worker_with_no_language_active_is_in_the_recipients(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hans = UserFactory(first_name="Hans", language="de", time_zone="Europe/Berlin")
    note = Notification.objects.create(
        user=hans,
        event=EventType.RECOGNITION_CREATED,
        title="Claire hat dich gewürdigt",
        body="Merci !",
        url="/recognitions/7/",
    )
    zones: list[str] = []
    send = emails._send
    monkeypatch.setattr(
        emails,
        "_send",
        lambda **kwargs: (zones.append(timezone.get_current_timezone_name()), send(**kwargs)),
    )

    with translation.override(None):  # a worker: nothing activated
        assert tasks.send_notification_email(note.pk)

    [email] = mail.outbox
    assert email.subject == "Claire hat dich gewürdigt"
    assert email.body.startswith("Hallo Hans,")
    assert "Bedank dich oder gib es weiter." in email.body
    assert zones == ["Europe/Berlin"]


def test_each_daily_digest_is_in_its_own_recipients_language() -> None:
    people = {
        "de": UserFactory(first_name="Hans", language="de"),
        "fr": UserFactory(first_name="Amélie", language="fr"),
        "en": UserFactory(first_name="Pat", language=""),
    }
    for person in people.values():
        NotificationPreference.objects.create(user=person, daily_digest=True)
        for n in range(2):
            Notification.objects.create(
                user=person, event=EventType.POINTS_GRANTED, title=f"#{n}", url="/me/points/"
            )

    with translation.override("es"):  # whatever the beat's process has active
        assert tasks.send_daily_digests() == 3

    digests = {email.to[0]: email for email in mail.outbox}
    german, french, english = (digests[people[code].email] for code in ("de", "fr", "en"))
    assert german.subject == "Plaudit: 2 neue Benachrichtigungen"
    assert german.body.startswith("Hallo Hans,\n\nWas seit deiner letzten Zusammenfassung geschah:")
    assert '<html lang="de"' in german.alternatives[0][0]
    assert french.subject == "Plaudit : 2 nouvelles notifications"
    assert french.body.startswith("Bonjour Amélie,\n\nCe qui s'est passé depuis votre dernier")
    assert english.subject == "Plaudit: 2 new notifications"
    assert english.body.startswith("Hello Pat,\n\nWhat happened since your last digest:")


def test_a_live_notification_reaches_each_open_page_in_its_owners_language(
    publish: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    claire = UserFactory(first_name="Claire", language="fr")
    hans = UserFactory(first_name="Hans", language="de")
    pat = UserFactory(first_name="Pat", language="")
    for person in (hans, pat):
        realtime.socket_opened(person.pk)
    sent: dict[str, dict[str, Any]] = {}
    monkeypatch.setattr(realtime, "_send", lambda group, message: sent.update({group: message}))

    with translation.override("fr"):
        publish(EventType.RECOGNITION_CREATED, recognition(claire, hans, pat))

    assert sent[f"user.{hans.pk}"]["title"].startswith("Claire hat dich mit 20 ")
    assert sent[f"user.{pat.pk}"]["title"] == "Claire recognised you with 20 points"


@pytest.mark.parametrize("kind", ["employees", "rewards", "reward_codes"])
@pytest.mark.parametrize("status", ["succeeded", "failed"])
@pytest.mark.parametrize("dry_run", [False, True])
def test_a_finished_import_is_told_in_one_whole_sentence_that_reads_as_before(
    kind: str, status: str, dry_run: bool
) -> None:
    """One msgid per kind, outcome and dry run; the English is what it always was."""
    payload = ImportFinished(
        id=1,
        kind=kind,
        status=status,
        dry_run=dry_run,
        total_rows=0,
        created=0,
        updated=0,
        failed=0,
        user=None,
    )
    name = {"employees": "employees", "rewards": "reward catalog", "reward_codes": "reward codes"}

    title = describe(EventType.IMPORT_FINISHED, payload, 1).title

    assert title == f"Your {name[kind]} import{' (dry run)' if dry_run else ''} {status}"
