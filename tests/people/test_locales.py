"""The language and time zone a person is told things in: theirs, else the company's."""

from django.utils import timezone, translation

from plaudit.people.locales import language_of, speaking_to, time_zone_of
from plaudit.people.models import User


def test_a_person_without_a_choice_reads_the_companys_language_and_time_zone(settings):
    settings.LANGUAGE_CODE = "es"
    settings.TIME_ZONE = "Europe/Madrid"
    person = User(language="", time_zone="")

    assert language_of(person) == "es"
    assert str(time_zone_of(person)) == "Europe/Madrid"


def test_a_persons_own_choice_wins():
    person = User(language="de", time_zone="Asia/Tokyo")

    assert language_of(person) == "de"
    assert str(time_zone_of(person)) == "Asia/Tokyo"


def test_a_language_no_longer_shipped_falls_back_to_the_companys(settings):
    settings.LANGUAGE_CODE = "fr"
    settings.LANGUAGES = [("en", "English"), ("fr", "Français")]

    assert language_of(User(language="de")) == "fr"


def test_a_time_zone_the_system_no_longer_knows_falls_back_to_the_companys(settings):
    settings.TIME_ZONE = "Europe/Paris"

    assert str(time_zone_of(User(time_zone="Mars/Olympus_Mons"))) == "Europe/Paris"


def test_speaking_to_someone_switches_both_and_then_restores_the_callers():
    with translation.override("fr"), timezone.override("America/New_York"):
        with speaking_to(User(language="de", time_zone="Europe/Berlin")):
            assert translation.get_language() == "de"
            assert timezone.get_current_timezone_name() == "Europe/Berlin"
        assert translation.get_language() == "fr"
        assert timezone.get_current_timezone_name() == "America/New_York"
