"""A person's own language and time zone, on their settings page.

The form offers what the people services accept; ``set_preferences`` decides (the
model's validators), so the page refuses what the API refuses, in the same words.
"""

import zoneinfo
from functools import lru_cache
from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from plaudit.people.models import User

# The IANA areas people live in; the rest of the database is aliases kept for old
# systems (US/Eastern, EST5EDT...), still accepted by the API and shown when chosen there.
TIME_ZONE_AREAS = (
    "Africa",
    "America",
    "Antarctica",
    "Arctic",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
)


@lru_cache(maxsize=1)
def time_zone_groups() -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """Every time zone of :data:`TIME_ZONE_AREAS`, grouped by area, each by its place
    ("Europe/Paris" shows as "Paris" under Europe); UTC on its own."""
    groups: dict[str, list[tuple[str, str]]] = {area: [] for area in TIME_ZONE_AREAS}
    for name in sorted(zoneinfo.available_timezones()):
        area, _slash, place = name.partition("/")
        if area in groups and place:
            groups[area].append((name, place.replace("_", " ")))
    return (
        ("UTC", (("UTC", "UTC"),)),
        *((area, tuple(zones)) for area, zones in groups.items() if zones),
    )


class LanguageSelect(forms.Select):
    """Each language named in its own words and marked with its ``lang``, so a screen
    reader says "Deutsch" as German."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option: dict[str, Any] = super().create_option(*args, **kwargs)
        if option["value"]:
            option["attrs"]["lang"] = str(option["value"])
        return option


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        widget=LanguageSelect,
        help_text=_("Pages, emails and notifications reach you in this language."),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        help_text=_("Dates and times are shown in this time zone."),
    )

    def __init__(self, *args: Any, person: User, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"language": person.language, "time_zone": person.time_zone})
        super().__init__(*args, **kwargs)
        # Each language in its own words (Français, Deutsch...), as a reader looks for it.
        cast(forms.ChoiceField, self.fields["language"]).choices = [
            ("", gettext("Your browser's language")),
            *settings.LANGUAGES,
        ]
        zones: list[Any] = [
            ("", gettext("The company's time zone (%(zone)s)") % {"zone": settings.TIME_ZONE}),
            *time_zone_groups(),
        ]
        known = {name for _area, group in time_zone_groups() for name, _place in group}
        if person.time_zone and person.time_zone not in known:
            zones.insert(1, (person.time_zone, person.time_zone))  # an alias set elsewhere
        cast(forms.ChoiceField, self.fields["time_zone"]).choices = zones

    def changes(self) -> dict[str, str]:
        """Keyword arguments for ``people.services.set_preferences``."""
        return {
            "language": self.cleaned_data["language"],
            "time_zone": self.cleaned_data["time_zone"],
        }
