import pytest

from plaudit.events.models import EventType, OutboxEvent
from plaudit.ledger.selectors import allowance_remaining, balance_of, ledger_problems
from plaudit.recognition.models import AddOn
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def url(recognition):
    return f"/api/v1/recognitions/{recognition.pk}/add-ons/"


def test_an_add_on_gives_its_points_to_each_recipient_from_the_joiners_allowance(client_for, give):
    giver, ana, bo, fan = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    recognition = give(giver, {ana: 10, bo: 10})

    response = client_for(fan).post(url(recognition), {"points": 15})

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["points"], body["recipients"], body["total"]) == (15, 2, 30)
    assert balance_of(ana) == 25
    assert balance_of(bo) == 25
    assert allowance_remaining(fan) == 70
    assert allowance_remaining(giver) == 80
    assert ledger_problems() == []
    assert OutboxEvent.objects.filter(type=EventType.RECOGNITION_ADDED_ON).count() == 1


def test_a_team_can_pile_on_but_each_person_only_once(client_for, give):
    giver, ana = UserFactory(), UserFactory()
    recognition = give(giver, {ana: 5})
    team = UserFactory.create_batch(3)

    statuses = [
        client_for(member).post(url(recognition), {"points": 5}).status_code for member in team
    ]
    again = client_for(team[0]).post(url(recognition), {"points": 5})

    assert statuses == [201, 201, 201]
    assert again.status_code == 409
    assert again.json()["code"] == "already_added_on"
    assert balance_of(ana) == 20
    assert allowance_remaining(team[0]) == 95


def test_the_giver_and_the_recipients_cannot_add_on(client_for, give):
    giver, ana = UserFactory(), UserFactory()
    recognition = give(giver, {ana: 5})

    by_giver = client_for(giver).post(url(recognition), {"points": 5})
    by_recipient = client_for(ana).post(url(recognition), {"points": 5})

    assert (by_giver.status_code, by_recipient.status_code) == (409, 409)
    assert by_giver.json()["code"] == by_recipient.json()["code"] == "own_recognition"
    assert not AddOn.objects.exists()


def test_an_add_on_over_the_remaining_allowance_is_refused_and_changes_nothing(client_for, give):
    giver, ana, bo, fan = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    recognition = give(giver, {ana: 0, bo: 0})

    response = client_for(fan).post(url(recognition), {"points": 51})  # 102 > 100

    assert response.status_code == 409
    assert response.json()["code"] == "insufficient_allowance"
    assert not AddOn.objects.exists()
    assert balance_of(ana) == 0
    assert allowance_remaining(fan) == 100


def test_deactivated_recipients_are_skipped_and_not_charged_for(client_for, give):
    giver, ana, bo, fan = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    recognition = give(giver, {ana: 0, bo: 0})
    bo.is_active = False
    bo.save(update_fields=["is_active"])

    response = client_for(fan).post(url(recognition), {"points": 10})

    assert response.json()["total"] == 10
    assert (balance_of(ana), balance_of(bo)) == (10, 0)


@pytest.mark.parametrize("body", [{}, {"points": 0}, {"points": -3}, {"points": "many"}])
def test_an_add_on_needs_at_least_one_point(client_for, give, body):
    recognition = give(UserFactory(), {UserFactory(): 1})

    response = client_for(UserFactory()).post(url(recognition), body, format="json")

    assert response.status_code == 400
    assert "points" in response.json()["errors"]


def test_adding_on_to_an_unknown_recognition_is_a_404(client_for):
    response = client_for(UserFactory()).post("/api/v1/recognitions/424242/add-ons/", {"points": 1})

    assert response.status_code == 404
