from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from plaudit.events.models import EventType, OutboxEvent
from plaudit.ledger.models import AccountKind, Entry, Transaction, TransactionKind
from plaudit.ledger.selectors import allowance_remaining, balance_of, ledger_problems
from plaudit.recognition.models import Award, Recognition
from tests.factories import CompanyValueFactory, DepartmentFactory, ManagerFactory, UserFactory

from .payloads import kudos

pytestmark = pytest.mark.django_db

URL = "/api/v1/recognitions/"


def _nothing_changed(giver, *people):
    assert not Recognition.objects.exists()
    assert not Award.objects.exists()
    assert not Transaction.objects.filter(kind=TransactionKind.RECOGNITION).exists()
    assert not OutboxEvent.objects.filter(type=EventType.RECOGNITION_CREATED).exists()
    assert allowance_remaining(giver) == 100
    for person in people:
        assert balance_of(person) == 0


def test_kudos_move_points_from_the_givers_allowance_to_each_recipients_balance(client_for):
    giver, ana, bo = UserFactory(), UserFactory(), UserFactory()

    response = client_for(giver).post(URL, kudos([(ana, 30), (bo, 20)], "Great launch!"))

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["giver"]["id"] == giver.pk
    assert [(r["user"]["id"], r["points"]) for r in body["recipients"]] == [
        (ana.pk, 30),
        (bo.pk, 20),
    ]
    assert body["points"] == 50
    assert body["message"] == "Great launch!"
    assert balance_of(ana) == 30
    assert balance_of(bo) == 20
    assert allowance_remaining(giver) == 50
    assert ledger_problems() == []


def test_the_new_kudos_in_the_201_is_the_kudos_a_read_of_it_returns(client_for):
    """The 201 body is built from what was written, not read back: it must not differ."""
    sales, design = DepartmentFactory(name="Sales"), DepartmentFactory(name="Design")
    giver = UserFactory(department=sales)
    ana, bo = UserFactory(department=design), UserFactory(department=None)
    CompanyValueFactory(slug="teamwork", name="Teamwork")
    CompanyValueFactory(slug="craft", name="Craft")
    client = client_for(giver)

    created = client.post(
        URL, kudos([(bo, 0), (ana, 12)], "Shipped it #teamwork #nope", values=["craft"])
    )

    assert created.status_code == 201, created.json()
    read = client.get(f"{URL}{created.json()['id']}/")
    assert created.json() == read.json()
    assert [v["slug"] for v in read.json()["values"]] == ["craft", "teamwork"]
    assert [r["user"]["department"] for r in read.json()["recipients"]] == [None, "Design"]


def test_the_201_of_new_kudos_reads_no_reactions_as_it_can_have_none(client_for):
    client = client_for(UserFactory())

    with CaptureQueriesContext(connection) as queries:
        created = client.post(URL, kudos([(UserFactory(), 5)], "Thanks"))

    assert created.status_code == 201, created.json()
    assert created.json()["reactions"] == []
    assert not [q for q in queries.captured_queries if "recognition_reaction" in q["sql"]]


def test_kudos_are_one_ledger_transaction_that_balances(client_for):
    giver, ana, bo = UserFactory(), UserFactory(), UserFactory()

    client_for(giver).post(URL, kudos([(ana, 30), (bo, 20)]))

    posted = Transaction.objects.get(kind=TransactionKind.RECOGNITION)
    lines = {(e.account.kind, e.account.owner_id): e.amount for e in posted.entries.all()}
    assert lines == {
        (AccountKind.ALLOWANCE, giver.pk): -50,
        (AccountKind.BALANCE, ana.pk): 30,
        (AccountKind.BALANCE, bo.pk): 20,
    }
    assert Recognition.objects.get().transaction == posted


def test_a_zero_point_thank_you_is_allowed_and_moves_no_points(client_for):
    giver, ana = UserFactory(), UserFactory()

    response = client_for(giver).post(URL, kudos([(ana, 0)], "Thanks for the review"))

    assert response.status_code == 201, response.json()
    assert response.json()["points"] == 0
    assert balance_of(ana) == 0
    assert allowance_remaining(giver) == 100
    assert Recognition.objects.get().transaction is None


def test_kudos_record_a_recognition_created_event_in_the_same_transaction(client_for):
    giver, ana = UserFactory(), UserFactory()

    response = client_for(giver).post(URL, kudos([(ana, 5)], "Nice"))

    event = OutboxEvent.objects.get(type=EventType.RECOGNITION_CREATED)
    assert event.data["recognition"] == response.json()["id"]
    assert (event.data["giver"], event.data["giver_name"]) == (giver.pk, str(giver))
    assert event.data["recipients"] == [ana.pk]
    assert event.data["awards"] == [{"user": ana.pk, "user_name": str(ana), "points": 5}]


def test_values_are_taken_from_the_list_and_from_hashtags_in_the_message(client_for):
    giver, ana = UserFactory(), UserFactory()
    CompanyValueFactory(slug="teamwork", name="Teamwork")
    CompanyValueFactory(slug="ownership", name="Ownership")
    CompanyValueFactory(slug="unused", name="Unused")

    response = client_for(giver).post(
        URL,
        kudos([(ana, 1)], "Shipped it together #Teamwork! #notavalue", values=["ownership"]),
    )

    assert response.status_code == 201, response.json()
    assert [v["slug"] for v in response.json()["values"]] == ["ownership", "teamwork"]


def test_total_over_the_remaining_allowance_is_refused_with_409_and_changes_nothing(client_for):
    giver, ana, bo = UserFactory(), UserFactory(), UserFactory()

    response = client_for(giver).post(URL, kudos([(ana, 60), (bo, 41)]))

    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "insufficient_allowance"
    _nothing_changed(giver, ana, bo)


def test_the_allowance_is_what_is_left_after_earlier_kudos_this_month(client_for, give):
    giver, ana = UserFactory(), UserFactory()
    give(giver, {ana: 70})

    refused = client_for(giver).post(URL, kudos([(ana, 31)]))
    accepted = client_for(giver).post(URL, kudos([(ana, 30)]))

    assert refused.status_code == 409
    assert accepted.status_code == 201
    assert allowance_remaining(giver) == 0


def test_what_was_given_last_month_does_not_count_against_this_month(client_for, give):
    """No reset job: the budget is recomputed from the period's ledger lines."""
    giver, ana = UserFactory(), UserFactory()
    give(giver, {ana: 100})
    last_month = timezone.now().replace(day=1) - timedelta(days=1)
    Entry.objects.filter(account__owner=giver).update(created_at=last_month)

    response = client_for(giver).post(URL, kudos([(ana, 100)]))

    assert response.status_code == 201, response.json()
    assert balance_of(ana) == 200


def test_managers_have_a_larger_allowance(client_for, settings):
    settings.PLAUDIT = {**settings.PLAUDIT, "MANAGER_MONTHLY_ALLOWANCE": 250}
    manager, ana = ManagerFactory(), UserFactory()

    response = client_for(manager).post(URL, kudos([(ana, 250)]))

    assert response.status_code == 201, response.json()
    assert balance_of(ana) == 250


def test_the_default_allowance_is_a_setting(client_for, settings):
    settings.PLAUDIT = {**settings.PLAUDIT, "MONTHLY_ALLOWANCE": 10}
    giver, ana = UserFactory(), UserFactory()

    response = client_for(giver).post(URL, kudos([(ana, 11)]))

    assert response.status_code == 409


def test_an_error_points_at_the_exact_recipient(client_for):
    giver, ana, bo, cy = UserFactory(), UserFactory(), UserFactory(), UserFactory()

    response = client_for(giver).post(URL, kudos([(ana, 1), (bo, 2), (cy, -5)]))

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "invalid"
    assert body["errors"]["recipients"][0] == {}
    assert body["errors"]["recipients"][1] == {}
    assert list(body["errors"]["recipients"][2]) == ["points"]
    _nothing_changed(giver, ana, bo, cy)


def test_recognising_yourself_is_refused_at_your_place_in_the_list(client_for):
    giver, ana = UserFactory(), UserFactory()

    response = client_for(giver).post(URL, kudos([(ana, 1), (giver, 5)]))

    assert response.status_code == 400
    errors = response.json()["errors"]["recipients"]
    assert errors[0] == {}
    assert errors[1]["user"] == ["You cannot recognise yourself."]
    _nothing_changed(giver, ana)


def test_a_person_listed_twice_is_refused_at_the_second_mention(client_for):
    giver, ana, bo = UserFactory(), UserFactory(), UserFactory()

    response = client_for(giver).post(URL, kudos([(ana, 1), (bo, 1), (ana, 3)]))

    assert response.status_code == 400
    errors = response.json()["errors"]["recipients"]
    assert errors[:2] == [{}, {}]
    assert "already listed" in errors[2]["user"][0]
    _nothing_changed(giver, ana, bo)


def test_inactive_and_unknown_people_are_refused(client_for):
    giver, gone = UserFactory(), UserFactory(is_active=False)

    response = client_for(giver).post(
        URL,
        {
            "message": "Hi",
            "recipients": [{"user": gone.pk, "points": 1}, {"user": 999999, "points": 1}],
        },
    )

    assert response.status_code == 400
    errors = response.json()["errors"]["recipients"]
    assert "no longer active" in errors[0]["user"][0]
    assert "No person has id 999999" in errors[1]["user"][0]
    _nothing_changed(giver, gone)


def test_unknown_values_are_refused_at_their_index(client_for):
    giver, ana = UserFactory(), UserFactory()
    CompanyValueFactory(slug="teamwork")

    response = client_for(giver).post(URL, kudos([(ana, 1)], values=["teamwork", "nope"]))

    assert response.status_code == 400
    errors = response.json()["errors"]["values"]
    assert errors[0] == []
    assert errors[1] == ["No company value has the slug 'nope'."]
    _nothing_changed(giver, ana)


@pytest.mark.parametrize("count", [0, 21])
def test_a_recognition_needs_one_to_twenty_recipients(client_for, count):
    giver = UserFactory()
    people = UserFactory.create_batch(count) if count else []

    response = client_for(giver).post(URL, kudos([(p, 0) for p in people]))

    assert response.status_code == 400
    assert "recipients" in response.json()["errors"]
    assert not Recognition.objects.exists()


def test_twenty_recipients_are_accepted(client_for):
    giver = UserFactory()
    people = UserFactory.create_batch(20)

    response = client_for(giver).post(URL, kudos([(p, 5) for p in people]))

    assert response.status_code == 201, response.json()
    assert len(response.json()["recipients"]) == 20
    assert allowance_remaining(giver) == 0


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"message": "", "recipients": [{"user": 1, "points": 1}]},
        {"message": "Hi", "recipients": "everyone"},
        {"message": "Hi", "recipients": [5]},
        {"message": "Hi", "recipients": [{"user": "x", "points": 1.5}]},
        {"message": "Hi", "recipients": [{"user": 1, "points": 10**20}]},
        {"message": "Hi", "recipients": [{"user": 10**30, "points": 1}]},
        {"message": ["Hi"], "recipients": [{"user": 1}]},
        {"message": "Hi", "recipients": [{"user": 1, "points": 1}], "values": "teamwork"},
        {"message": "Hi", "recipients": [{"user": 1, "points": 1}], "values": [{"a": 1}]},
        [],
        "text",
    ],
)
def test_malformed_input_is_a_400_problem_never_a_500(client_for, body):
    giver = UserFactory()

    response = client_for(giver).post(URL, body, format="json")

    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert not Recognition.objects.exists()


def test_signed_out_callers_cannot_give_or_read_kudos(api_client):
    assert api_client.get(URL).status_code == 401
    assert api_client.post(URL, {"message": "Hi", "recipients": []}).status_code == 401
