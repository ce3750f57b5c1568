"""Every notification links to the page of what it is about, and unread ones stand out."""

import re

import pytest

from plaudit.events.models import EventType, Notification
from plaudit.ledger.services import grant_points
from plaudit.recognition.services import Gift, add_comment, add_on, give_recognition, react
from plaudit.rewards import services as rewards
from tests.factories import HRAdminFactory, ManagerFactory, RewardFactory, UserFactory

from .test_notifications_and_imports import _upload

pytestmark = pytest.mark.django_db

# Event types that tell someone in the app (the others only update open pages).
NOTIFIED = set(EventType) - {
    EventType.RECOGNITION_COMMENT_DELETED,
    EventType.RECOGNITION_REACTION_REMOVED,
    EventType.IMPORT_PROGRESSED,
}


def _links(page: str) -> dict[str, str]:
    """``{title: href}`` of the notifications on a page."""
    found = re.findall(r'<h2><a href="([^"]+)"[^>]*>([^<]+)</a></h2>', page)
    return {title: href for href, title in found}


def test_every_kind_of_notification_links_to_a_page_its_recipient_can_open(
    page_client, django_capture_on_commit_callbacks, settings
):
    settings.PLAUDIT = {**settings.PLAUDIT, "LOW_STOCK_THRESHOLD": 1}
    hr = HRAdminFactory()
    maya = ManagerFactory()
    ana = UserFactory(manager=maya, with_points=0)
    ben = UserFactory(manager=maya)
    with django_capture_on_commit_callbacks(execute=True):
        grant_points(user=ana, amount=500, reason="Welcome", granted_by=hr)
        kudos = give_recognition(giver=ben, message="Thanks!", gifts=[Gift(ana, 5)])
        add_on(giver=maya, recognition=kudos, points=5)
        add_comment(author=ben, recognition=kudos, body="Well deserved")
        react(user=maya, recognition=kudos, emoji="🎉")
        mug = RewardFactory(name="Mug", cost=10, stock=3, per_user_limit=None)
        fulfilled, rejected, cancelled = (
            rewards.redeem_reward(user=ana, reward_id=mug.pk) for _ in range(3)
        )  # the second takes the stock down to the threshold
        rewards.approve_redemption(redemption_id=fulfilled.pk, actor=maya)
        rewards.fulfil_redemption(redemption_id=fulfilled.pk, actor=hr)
        rewards.reject_redemption(redemption_id=rejected.pk, actor=maya, reason="Not now")
        rewards.cancel_redemption(redemption_id=cancelled.pk, actor=ana)
    _upload(page_client(hr), django_capture_on_commit_callbacks)

    assert set(Notification.objects.values_list("event", flat=True)) == NOTIFIED
    for person in (ana, maya, ben, hr):
        client = page_client(person)
        page = client.get("/notifications/").content.decode()
        mine = Notification.objects.filter(user=person)
        links = _links(page)
        assert len(links) == len({n.title for n in mine}), page
        for title, href in links.items():
            response = client.get(href.replace("&amp;", "&"), follow=True)
            assert response.status_code == 200, f"{title} -> {href}"
            assert response["Content-Type"].startswith("text/html"), "a page, not the API"


def test_a_reaction_notification_leads_to_the_recognition_with_its_comments(
    page_client, django_capture_on_commit_callbacks
):
    ana, ben = UserFactory(), UserFactory(first_name="Ben")
    with django_capture_on_commit_callbacks(execute=True):
        kudos = give_recognition(giver=ana, message="For the demo", gifts=[Gift(ben, 5)])
        react(user=UserFactory(first_name="Dev"), recognition=kudos, emoji="🎉")
    client = page_client(ben)

    links = _links(client.get("/notifications/").content.decode())
    href = next(href for title, href in links.items() if "reacted" in title)
    page = client.get(href).content.decode()

    assert href == f"/recognitions/{kudos.pk}/"
    assert "For the demo" in page
    assert f'hx-get="/recognitions/{kudos.pk}/comments/" hx-trigger="load"' in page


def test_unread_notifications_look_different_and_say_so(page_client, employee):
    Notification.objects.create(user=employee, event="points.granted", title="Fresh", url="/")
    seen = Notification.objects.create(user=employee, event="points.granted", title="Seen")
    seen.read_at = seen.created_at
    seen.save(update_fields=["read_at"])

    page = page_client(employee).get("/notifications/").content.decode()
    fresh_item = page[page.index("Fresh") - 400 : page.index("Fresh")]
    seen_item = page[page.index("Seen") - 400 : page.index("Seen")]

    assert 'class="card queue-item notification unread"' in fresh_item
    assert ">Unread<" in fresh_item
    assert "unread" not in seen_item
    assert ">Unread<" not in seen_item


def test_notifications_from_before_link_to_pages_after_the_migration():
    from importlib import import_module

    page_for = import_module("plaudit.events.migrations.0007_notification_links_to_pages").page_for

    assert page_for("recognition.reacted", "/api/v1/recognitions/7/") == "/recognitions/7/"
    assert page_for("redemption.created", "/api/v1/redemptions/3/") == "/approvals/#redemption-3"
    assert (
        page_for("redemption.approved", "/api/v1/redemptions/3/") == "/me/redemptions/#redemption-3"
    )
    assert page_for("points.granted", "/api/v1/points/entries/") == "/me/points/"
    assert page_for("import.finished", "/api/v1/imports/4/") == "/hr/imports/4/"
    assert page_for("reward.low_stock", "/api/v1/rewards/9/") == "/hr/rewards/9/edit/"


def test_a_recognition_page_needs_a_sign_in_and_an_existing_recognition(page_client, employee):
    assert page_client(None).get("/recognitions/1/").status_code == 302
    assert page_client(employee).get("/recognitions/424242/").status_code == 404


@pytest.mark.browser
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_following_an_unread_notification_in_the_browser_marks_it_read(browse):
    from playwright.sync_api import expect

    person = UserFactory()
    kudos = give_recognition(giver=UserFactory(), message="For the demo", gifts=[Gift(person, 5)])
    note = Notification.objects.create(
        user=person,
        event="recognition.reacted",
        title="Dev reacted",
        url=f"/recognitions/{kudos.pk}/",
    )
    page = browse(person)
    page.goto("/notifications/")

    page.get_by_role("link", name="Dev reacted").click()

    expect(page.get_by_text("For the demo")).to_be_visible()
    page.goto("/notifications/")
    expect(page.get_by_role("link", name="Dev reacted")).to_be_visible()
    item = page.locator(".notification", has_text="Dev reacted")
    expect(item).not_to_have_class(re.compile("unread"))
    note.refresh_from_db()
    assert note.read_at is not None
