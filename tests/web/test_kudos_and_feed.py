"""Home: the give-kudos form (errors beside the fields), the feed and its infinite scroll."""

import re

import pytest

from plaudit.ledger.selectors import allowance_remaining, balance_of
from plaudit.recognition import services as recognition_services
from plaudit.recognition.models import CompanyValue, Recognition
from plaudit.recognition.services import Gift, add_on, give_recognition
from tests.factories import UserFactory

from .conftest import HTMX

pytestmark = pytest.mark.django_db


def _kudos(client, **data):
    return client.post("/kudos/", data, **HTMX)


def test_giving_kudos_moves_points_and_shows_the_new_item_in_the_feed(page_client, employee):
    colleague = UserFactory(first_name="Ana", last_name="Silva")
    teamwork = CompanyValue.objects.create(name="Teamwork", slug="teamwork")

    response = _kudos(
        page_client(employee),
        recipients=[colleague.pk],
        points=30,
        values=[teamwork.pk],
        message="Thanks for the <b>review</b>!",
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "Thank you sent!" in body
    assert 'hx-swap-oob="afterbegin:#feed"' in body
    assert "Ana Silva" in body
    assert "&lt;b&gt;review&lt;/b&gt;" in body
    assert "70 points" in body  # allowance left, swapped out of band
    assert balance_of(colleague) == 30
    assert list(Recognition.objects.get().values.all()) == [teamwork]


def test_more_points_than_the_allowance_left_is_an_error_beside_points(page_client, employee):
    colleague = UserFactory()

    response = _kudos(page_client(employee), recipients=[colleague.pk], points=101, message="Hi")

    assert response.status_code == 422
    form = response.context["kudos_form"]
    assert form.errors["points"] == ["You have 100 points left to give this month; this needs 101."]
    assert not Recognition.objects.exists()
    assert allowance_remaining(employee) == 100


def test_the_forms_allowance_refusal_is_the_recognition_services_own(
    page_client, employee, monkeypatch
):
    """The form keeps no copy of the allowance rule: what the service says is left is what
    the form says, beside the points, before anything is written."""
    monkeypatch.setattr(recognition_services, "allowance_remaining", lambda giver: 5)

    response = _kudos(page_client(employee), recipients=[UserFactory().pk], points=10, message="Hi")

    assert response.status_code == 422
    form = response.context["kudos_form"]
    assert form.errors["points"] == ["You have 5 points left to give this month; this needs 10."]
    assert not Recognition.objects.exists()


def test_the_allowance_counts_every_recipient(page_client, employee):
    people = UserFactory.create_batch(3)

    response = _kudos(
        page_client(employee), recipients=[p.pk for p in people], points=40, message="Team!"
    )

    assert response.status_code == 422
    assert "this needs 120" in response.content.decode()


def test_thanking_yourself_is_an_error_beside_the_people_field(page_client, employee):
    response = _kudos(page_client(employee), recipients=[employee.pk], points=5, message="Me!")

    assert response.status_code == 422
    assert response.context["kudos_form"].errors["recipients"] == ["You cannot recognise yourself."]
    assert 'id="recipient-errors"' in response.content.decode()


def test_a_message_and_a_person_are_required(page_client, employee):
    response = _kudos(page_client(employee), points=5, message="")

    errors = response.context["kudos_form"].errors
    assert response.status_code == 422
    assert errors["recipients"] == ["Choose 1 to 20 people to thank."]
    assert errors["message"] == ["Say what they did: a thank-you needs a message."]


def test_the_people_search_finds_colleagues_but_not_me(page_client, employee):
    UserFactory(first_name="Ana", last_name="Silvestre")
    employee.first_name = "Ana"
    employee.save()

    page = page_client(employee).get("/people/search/", {"q": "ana"}).content.decode()

    assert "Ana Silvestre" in page
    assert f"/people/{employee.pk}/chip/" not in page


def test_the_feed_scrolls_in_pages_of_ten(page_client, employee):
    giver = UserFactory()
    receiver = UserFactory()
    for n in range(12):
        give_recognition(giver=giver, message=f"Thanks number {n}", gifts=[Gift(receiver, 1)])
    client = page_client(employee)

    home = client.get("/").content.decode()
    more = client.get("/feed/", {"page": 2}).content.decode()

    assert "Thanks number 11" in home
    assert "Thanks number 1<" not in home
    assert "Thanks number 2" in home
    assert 'hx-get="/feed/?page=2" hx-trigger="revealed"' in home
    assert "Thanks number 1<" in more
    assert "Thanks number 0" in more
    assert "hx-trigger" not in more


def test_screen_readers_hear_feed_news_once_not_every_change_in_the_feed(page_client, employee):
    """Counts pushed live and pages loaded by scrolling change the feed; announcing the feed
    itself would read every one out of context. News goes through the announcer instead."""
    home = page_client(employee).get("/").content.decode()

    feed = re.search(r'<ol class="feed" id="feed"[^>]*>', home)
    assert feed is not None
    assert "aria-live" not in feed.group(0)
    assert 'id="live-announcer" role="status" aria-live="polite"' in home


def test_the_home_page_runs_a_fixed_number_of_queries(
    page_client, employee, django_assert_max_num_queries
):
    giver = UserFactory()
    for n in range(10):
        give_recognition(
            giver=giver, message=f"#{n}", gifts=[Gift(UserFactory(), 1), Gift(UserFactory(), 1)]
        )
    client = page_client(employee)

    with django_assert_max_num_queries(20):
        assert client.get("/").status_code == 200


def _feed_line(page: str, recognition: Recognition) -> str:
    start = page.index(f'id="recognition-{recognition.pk}"')
    who = page.index('class="feed-who"', start)
    return " ".join(page[who : page.index("</p>", who)].split())


def test_the_feed_says_the_points_are_each_when_several_people_are_thanked(page_client, employee):
    ben, chloe = UserFactory(first_name="Ben"), UserFactory(first_name="Chloe")
    thanks = give_recognition(
        giver=UserFactory(), message="Both!", gifts=[Gift(ben, 10), Gift(chloe, 10)]
    )

    line = _feed_line(page_client(employee).get("/").content.decode(), thanks)

    assert "10 points each" in line
    assert "20 points" not in line


def test_the_feed_names_each_persons_points_when_they_differ_and_the_total_with_add_ons(
    page_client, employee
):
    ben, chloe = UserFactory(first_name="Ben"), UserFactory(first_name="Chloe")
    thanks = give_recognition(
        giver=UserFactory(), message="Both!", gifts=[Gift(ben, 10), Gift(chloe, 25)]
    )
    add_on(giver=UserFactory(), recognition=thanks, points=5)

    line = _feed_line(page_client(employee).get("/").content.decode(), thanks)

    assert f"{ben.get_full_name()}</strong> (10 points)" in line
    assert f"{chloe.get_full_name()}</strong> (25 points)" in line
    assert "45 points in all, with add-ons" in line
