"""What a channel post of a recognition says, read once for every platform's sender.

:func:`recognition_post` loads a recognition's giver, first awards (add-ons are not part
of the headline) and values, and words them with :mod:`.formatting` in the active
language; each platform lays the result out its own way (Mattermost attachments,
Teams Adaptive Cards, Slack blocks).
"""

from dataclasses import dataclass

from django.urls import reverse

from plaudit.core.site import absolute_url, current_site
from plaudit.recognition.models import Recognition

from . import formatting


class NotConfigured(Exception):
    """A workspace with no way to post (no webhook URL, or no server, token and channel):
    a sender raises it and a delivery should not retry until the admin fixes it."""


@dataclass(frozen=True)
class RecognitionPost:
    recognition_id: int
    headline: str
    message: str
    values: list[str]
    url: str


def recognition_post(
    recognition: Recognition | int, name_of: formatting.NameOf = formatting.plain_name
) -> RecognitionPost:
    pk = recognition if isinstance(recognition, int) else recognition.pk
    loaded = Recognition.objects.select_related("giver").get(pk=pk)
    awards = [
        (award.recipient, award.points)
        for award in loaded.awards.filter(add_on__isnull=True)
        .select_related("recipient")
        .order_by("pk")
    ]
    giver_name = name_of(loaded.giver) if loaded.giver else current_site().name
    values = [value.name for value in loaded.values.order_by("name")]
    return RecognitionPost(
        recognition_id=loaded.pk,
        headline=formatting.headline(giver_name, awards, name_of),
        message=loaded.message,
        values=values,
        url=absolute_url(reverse("web:recognition", args=[loaded.pk])),
    )
