"""Numbers people read are grouped ("2,500") wherever they appear; JSON keeps numbers."""

import pytest
from django.core import mail
from django.template import Context, Template

from plaudit.events.models import EventType, Notification
from tests.factories import ManagerFactory, RewardFactory, UserFactory
from tests.recognition.payloads import kudos

pytestmark = pytest.mark.django_db


def test_a_refused_redemption_says_the_balance_and_the_cost_with_thousands_separators(
    client_for,
):
    person = UserFactory(with_points=1150)
    reward = RewardFactory(cost=2500)
    client = client_for(person)

    response = client.post("/api/v1/redemptions/", {"reward": reward.pk})

    assert response.status_code == 409
    assert response.json()["detail"] == "The balance is 1,150 points; 2,500 are needed."
    assert client.get(f"/api/v1/rewards/{reward.pk}/").json()["cost"] == 2500


def test_the_allowance_refusal_groups_its_numbers(client_for, settings):
    settings.PLAUDIT = {**settings.PLAUDIT, "MONTHLY_ALLOWANCE": 5000}
    giver, ana, bo = UserFactory(), UserFactory(), UserFactory()

    response = client_for(giver).post("/api/v1/recognitions/", kudos([(ana, 3000), (bo, 3000)]))

    assert response.status_code == 409
    assert response.json()["detail"] == (
        "You have 5,000 points left to give this month; this needs 6,000."
    )


def test_a_grant_is_notified_and_mailed_with_grouped_points(
    client_for, hr_admin, django_capture_on_commit_callbacks
):
    person = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(hr_admin).post(
            "/api/v1/points/grants/", {"user": person.pk, "amount": 1150, "reason": "Launch"}
        )

    assert response.status_code == 201, response.json()
    notification = Notification.objects.get(user=person, event=EventType.POINTS_GRANTED)
    assert notification.title == "You received 1,150 points"
    [email] = [message for message in mail.outbox if person.email in message.to]
    assert email.subject == "You received 1,150 points"
    listed = client_for(person).get("/api/v1/notifications/").json()["results"][0]
    assert listed["title"] == "You received 1,150 points"


def test_a_manager_is_asked_to_approve_a_redemption_of_grouped_points(
    client_for, django_capture_on_commit_callbacks
):
    manager = ManagerFactory()
    person = UserFactory(with_points=3000, manager=manager)
    reward = RewardFactory(cost=2500)

    with django_capture_on_commit_callbacks(execute=True):
        client_for(person).post("/api/v1/redemptions/", {"reward": reward.pk})

    notification = Notification.objects.get(user=manager, event=EventType.REDEMPTION_CREATED)
    assert notification.body == "2,500 points; waiting for approval."


def test_the_catalog_page_groups_cost_and_stock(client):
    person = UserFactory()
    RewardFactory(name="Sticker", cost=1500, stock=12000)
    client.force_login(person)

    page = client.get("/rewards/").content.decode()

    assert "1,500 points" in page
    assert "12,000 left" in page


def test_the_number_filter_groups_thousands():
    rendered = Template("{% load plaudit %}{{ n|number }}").render(Context({"n": 1234567}))

    assert rendered == "1,234,567"
