"""Notifications link to the web page of what they are about, no longer to its API
resource (a JSON document is no place to send a person from the app or an email).

The rewrite is the one ``messages.describe`` now makes; paths are written out here, as
a migration must not depend on today's URLconf.
"""

import re

from django.db import migrations

TO_APPROVERS = {"redemption.created", "redemption.cancelled"}
PAGES = [
    (re.compile(r"^/api/v1/recognitions/(\d+)/$"), r"/recognitions/\1/"),
    (re.compile(r"^/api/v1/points/entries/$"), "/me/points/"),
    (re.compile(r"^/api/v1/imports/(\d+)/$"), r"/hr/imports/\1/"),
    (re.compile(r"^/api/v1/rewards/(\d+)/$"), r"/hr/rewards/\1/edit/"),
]
REDEMPTION = re.compile(r"^/api/v1/redemptions/(\d+)/$")


def page_for(event: str, url: str) -> str:
    if match := REDEMPTION.match(url):
        page = "/approvals/" if event in TO_APPROVERS else "/me/redemptions/"
        return f"{page}#redemption-{match.group(1)}"
    for pattern, page in PAGES:
        if pattern.match(url):
            return pattern.sub(page, url)
    return url


def link_pages(apps, schema_editor):
    Notification = apps.get_model("events", "Notification")
    rows = Notification.objects.filter(url__startswith="/api/v1/").only("pk", "event", "url")
    changed = []
    for notification in rows.iterator(chunk_size=2000):
        notification.url = page_for(notification.event, notification.url)
        changed.append(notification)
        if len(changed) == 2000:
            Notification.objects.bulk_update(changed, ["url"])
            changed = []
    Notification.objects.bulk_update(changed, ["url"])


class Migration(migrations.Migration):
    dependencies = [("events", "0006_import_progressed_event_type")]

    operations = [migrations.RunPython(link_pages, migrations.RunPython.noop)]
