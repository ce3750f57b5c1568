import pytest
from rest_framework import serializers

from plaudit.recognition.selectors import reaction_summaries, recognitions_for_feed
from plaudit.recognition.serializers import RecognitionSerializer
from plaudit.recognition.services import add_comment, add_on, react, remove_reaction
from tests.factories import CompanyValueFactory, DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/recognitions/"


def test_the_feed_is_newest_first(client_for, give):
    giver, ana = UserFactory(), UserFactory()
    first = give(giver, {ana: 1}, "first")
    second = give(giver, {ana: 1}, "second")

    body = client_for(ana).get(URL).json()

    assert [item["id"] for item in body["results"]] == [second.pk, first.pk]


def test_the_feed_pages_with_a_stable_cursor(client_for, give):
    giver, ana = UserFactory(), UserFactory()
    made = [give(giver, {ana: 0}, f"kudos {n}") for n in range(5)]
    client = client_for(ana)

    first_page = client.get(URL, {"page_size": 2}).json()
    give(giver, {ana: 0}, "arrives while scrolling")
    second_page = client.get(first_page["next"]).json()

    assert set(first_page) == {"next", "previous", "results"}
    assert [i["id"] for i in first_page["results"]] == [made[4].pk, made[3].pk]
    assert [i["id"] for i in second_page["results"]] == [made[2].pk, made[1].pk]


def test_a_feed_item_shows_giver_recipients_points_values_and_counts(client_for, give):
    giver, ana, bo, fan = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    value = CompanyValueFactory(slug="craft", name="Craft", emoji="🛠")
    recognition = give(giver, {ana: 10, bo: 5}, "Lovely work", values=[value])
    add_comment(author=fan, recognition=recognition, body="Well deserved")
    react(user=fan, recognition=recognition, emoji="🎉")
    react(user=ana, recognition=recognition, emoji="🎉")
    react(user=fan, recognition=recognition, emoji="👏")
    add_on(giver=fan, recognition=recognition, points=2)

    item = client_for(fan).get(URL).json()["results"][0]

    assert item["giver"] == {"id": giver.pk, "name": str(giver), "department": "Engineering"}
    assert [(r["user"]["id"], r["points"]) for r in item["recipients"]] == [
        (ana.pk, 10),
        (bo.pk, 5),
    ]
    assert item["points"] == 19  # 15 given + 2 each from the add-on
    assert item["values"] == [{"slug": "craft", "name": "Craft", "emoji": "🛠"}]
    assert item["comments_count"] == 1
    assert item["reactions_count"] == 3
    assert item["add_ons_count"] == 1
    assert item["reactions"] == [
        {"emoji": "🎉", "count": 2, "mine": True},
        {"emoji": "👏", "count": 1, "mine": True},
    ]
    assert item["kind"] == "peer"


def test_a_feed_item_renders_exactly_as_drf_would_field_by_field(give):
    giver, ana, bo, fan = UserFactory(), UserFactory(department=None), UserFactory(), UserFactory()
    value = CompanyValueFactory(slug="craft", name="Craft", emoji="🛠")
    recognition = give(giver, {ana: 10, bo: 0}, "Lovely work", values=[value])
    add_comment(author=fan, recognition=recognition, body="Well deserved")
    react(user=fan, recognition=recognition, emoji="🎉")
    react(user=ana, recognition=recognition, emoji="👏")
    add_on(giver=fan, recognition=recognition, points=2)
    peer = recognitions_for_feed().get(pk=recognition.pk)
    from_the_company = recognitions_for_feed().get(pk=recognition.pk)
    from_the_company.giver = None
    serializer = RecognitionSerializer(
        context={"reactions": reaction_summaries([recognition.pk], fan)}
    )

    for row in (peer, from_the_company):
        fast = serializer.to_representation(row)
        generic = serializers.Serializer.to_representation(serializer, row)
        assert fast == generic
        assert list(fast) == list(generic)


def test_the_feed_filters_by_person_given_or_received(client_for, give):
    ana, bo, cy = UserFactory(), UserFactory(), UserFactory()
    to_ana = give(bo, {ana: 1})
    from_ana = give(ana, {cy: 1})
    give(bo, {cy: 1})

    body = client_for(cy).get(URL, {"person": ana.pk}).json()

    assert [item["id"] for item in body["results"]] == [from_ana.pk, to_ana.pk]


def test_the_feed_filters_by_department_of_giver_or_recipient(client_for, give):
    sales = DepartmentFactory(name="Sales")
    seller, engineer, other = UserFactory(department=sales), UserFactory(), UserFactory()
    given_by_sales = give(seller, {engineer: 1})
    received_by_sales = give(engineer, {seller: 1})
    give(engineer, {other: 1})

    body = client_for(other).get(URL, {"department": "sales"}).json()

    assert [i["id"] for i in body["results"]] == [received_by_sales.pk, given_by_sales.pk]


def test_the_feed_filters_by_value(client_for, give):
    giver, ana = UserFactory(), UserFactory()
    teamwork = CompanyValueFactory(slug="teamwork")
    tagged = give(giver, {ana: 1}, "Together #teamwork")
    give(giver, {ana: 1}, "No value here")
    give(giver, {ana: 1}, "Other", values=[CompanyValueFactory()])

    body = client_for(ana).get(URL, {"value": teamwork.slug}).json()

    assert [i["id"] for i in body["results"]] == [tagged.pk]


@pytest.mark.parametrize("query", [{"person": "abc"}, {"person": "0"}, {"value": "not a slug"}])
def test_bad_feed_filters_are_a_400_problem(client_for, query):
    response = client_for(UserFactory()).get(URL, query)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert list(response.json()["errors"]) == list(query)


def test_a_forged_cursor_is_a_404_problem(client_for):
    response = client_for(UserFactory()).get(URL, {"cursor": "bz14"})

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_a_recognition_is_readable_on_its_own(client_for, give):
    giver, ana = UserFactory(), UserFactory()
    recognition = give(giver, {ana: 3}, "Solo")

    response = client_for(UserFactory()).get(f"{URL}{recognition.pk}/")

    assert response.status_code == 200
    assert response.json()["message"] == "Solo"
    assert client_for(ana).get(f"{URL}999999/").status_code == 404


@pytest.mark.parametrize("path", ["abc/", "null,null/add-ons/", "1.5/comments/", "x/reactions/"])
def test_a_malformed_recognition_id_is_a_404_not_a_500(client_for, path):
    client = client_for(UserFactory())

    response = client.post(f"{URL}{path}", {"points": 1, "body": "x", "emoji": "🎉"})

    assert response.status_code in {404, 405}
    assert response["Content-Type"] == "application/problem+json"


def _busy_feed(give, size):
    fan = UserFactory()
    people = UserFactory.create_batch(3)
    value = CompanyValueFactory()
    for n in range(size):
        recognition = give(people[0], {people[1]: 1, people[2]: 1}, f"n{n}", values=[value])
        add_comment(author=fan, recognition=recognition, body="+1")
        react(user=fan, recognition=recognition, emoji="🎉")
    return fan


def test_the_feed_runs_the_same_number_of_queries_for_2_or_20_items(
    client_for, give, django_assert_num_queries, settings
):
    settings.PLAUDIT = {**settings.PLAUDIT, "MONTHLY_ALLOWANCE": 1000}
    fan = _busy_feed(give, 2)
    client = client_for(fan)
    # A first read renders the shared page (rows, recipients, values, reaction counts),
    # then marks the caller's own reactions.
    with django_assert_num_queries(5) as small:
        assert len(client.get(URL).json()["results"]) == 2
    _busy_feed(give, 18)
    with django_assert_num_queries(5):
        assert len(client.get(URL).json()["results"]) == 20
    assert len(small.captured_queries) == 5


# --- The cached feed: one page for everyone, each caller's own reactions on top --------


def test_a_repeated_feed_read_without_reactions_runs_no_query(
    client_for, give, django_assert_num_queries
):
    giver, ana, bo = UserFactory(), UserFactory(), UserFactory()
    give(giver, {ana: 1}, "cached")
    client_for(ana).get(URL)

    with django_assert_num_queries(0):
        body = client_for(bo).get(URL).json()

    assert [item["message"] for item in body["results"]] == ["cached"]


def test_the_callers_own_reactions_on_a_page_are_read_once(
    client_for, give, django_assert_num_queries
):
    giver, ana, bo = UserFactory(), UserFactory(), UserFactory()
    react(user=ana, recognition=give(giver, {ana: 1}), emoji="🎉")
    client_for(ana).get(URL)

    with django_assert_num_queries(1):
        client_for(bo).get(URL)
    with django_assert_num_queries(0):
        body = client_for(bo).get(URL).json()

    assert body["results"][0]["reactions"] == [{"emoji": "🎉", "count": 1, "mine": False}]


def test_the_callers_own_reaction_shows_as_theirs_on_their_next_read(client_for, give):
    giver, ana, bo = UserFactory(), UserFactory(), UserFactory()
    recognition = give(giver, {ana: 1})
    react(user=ana, recognition=recognition, emoji="🎉")
    client = client_for(bo)
    assert client.get(URL).json()["results"][0]["reactions"][0]["mine"] is False  # cached

    react(user=bo, recognition=recognition, emoji="🎉")
    assert client.get(URL).json()["results"][0]["reactions"] == [
        {"emoji": "🎉", "count": 2, "mine": True}
    ]

    remove_reaction(user=bo, recognition=recognition, emoji="🎉")
    assert client.get(URL).json()["results"][0]["reactions"] == [
        {"emoji": "🎉", "count": 1, "mine": False}
    ]


def test_a_recognition_new_to_a_page_shows_the_callers_earlier_reaction(client_for, give):
    from plaudit.people.services import update_person

    mover, sales, bo, carol = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    update_person(sales, actor=None, department="Sales")
    earlier = give(mover, {bo: 1}, "before the move")
    react(user=bo, recognition=earlier, emoji="🎉")
    react(user=carol, recognition=give(sales, {carol: 1}, "in sales"), emoji="👏")
    client = client_for(bo)
    page = client.get(URL, {"department": "Sales"}).json()["results"]
    assert [item["message"] for item in page] == ["in sales"]  # cached, with none of bo's

    update_person(mover, actor=None, department="Sales")  # bo does nothing; the page gains one

    page = client.get(URL, {"department": "Sales"}).json()["results"]
    assert [item["message"] for item in page] == ["in sales", "before the move"]
    assert page[1]["reactions"] == [{"emoji": "🎉", "count": 1, "mine": True}]


def test_everyone_reads_the_same_cached_page_but_sees_only_their_own_reactions(client_for, give):
    giver, ana, bo = UserFactory(), UserFactory(), UserFactory()
    recognition = give(giver, {ana: 1}, "shared")
    react(user=ana, recognition=recognition, emoji="🎉")

    for_ana = client_for(ana).get(URL).json()["results"][0]["reactions"]
    for_bo = client_for(bo).get(URL).json()["results"][0]["reactions"]

    assert for_ana == [{"emoji": "🎉", "count": 1, "mine": True}]
    assert for_bo == [{"emoji": "🎉", "count": 1, "mine": False}]


def test_every_change_the_feed_shows_appears_on_the_next_read(client_for, give):
    from plaudit.people.services import update_person
    from plaudit.recognition.services import delete_comment
    from plaudit.recognition.values import update_value

    giver, ana, fan = UserFactory(), UserFactory(), UserFactory()
    value = CompanyValueFactory(slug="craft", name="Craft", emoji="🛠")
    recognition = give(giver, {ana: 5}, "watch me", values=[value])
    client = client_for(fan)

    def item() -> dict:
        return client.get(URL).json()["results"][0]

    assert item()["comments_count"] == 0
    comment = add_comment(author=fan, recognition=recognition, body="Nice")
    assert item()["comments_count"] == 1
    delete_comment(actor=fan, comment=comment)
    assert item()["comments_count"] == 0
    react(user=fan, recognition=recognition, emoji="👏")
    assert item()["reactions_count"] == 1
    add_on(giver=fan, recognition=recognition, points=2)
    assert (item()["points"], item()["add_ons_count"]) == (7, 1)
    update_person(giver, actor=None, first_name="Renamed")
    assert item()["giver"]["name"].startswith("Renamed")
    update_value(value, actor=None, name="Craftsmanship")
    assert item()["values"][0]["name"] == "Craftsmanship"
    give(giver, {ana: 1}, "newer")
    assert item()["message"] == "newer"


def test_a_person_renamed_by_the_employee_import_is_renamed_on_the_next_read(client_for, give):
    """The import's bulk path saves nobody one by one; its signal reaches the feed."""
    from plaudit.people import roster
    from plaudit.people.selectors import people_by_employee_id

    giver, ana = UserFactory(employee_id="E-GIV", first_name="Gina"), UserFactory()
    give(giver, {ana: 1}, "thanks")
    client = client_for(ana)
    assert client.get(URL).json()["results"][0]["giver"]["name"].startswith("Gina")

    row = roster.EmployeeRow(
        employee_id="E-GIV",
        email=giver.email,
        first_name="Renamed",
        last_name=giver.last_name,
        department="",
        title=giver.title,
        role=giver.role,
        salary=giver.salary,
        hire_date=giver.hire_date,
        manager_employee_id=None,
    )
    roster.import_employees(
        actor=None, new=[], changed=[(people_by_employee_id(["E-GIV"])["E-GIV"], row)]
    )

    assert client.get(URL).json()["results"][0]["giver"]["name"].startswith("Renamed")


def test_signing_in_does_not_make_the_cached_feed_stale(give):
    from django.contrib.auth.models import update_last_login

    from plaudit.recognition.cache import FEED_PAGES, cached_feed_page

    giver, ana = UserFactory(), UserFactory()
    give(giver, {ana: 1}, "stays cached")
    cached_feed_page("the feed", lambda: "rendered once")

    update_last_login(None, ana)

    assert cached_feed_page("the feed", lambda: "rendered again") == "rendered once"
    FEED_PAGES.invalidate()
    assert cached_feed_page("the feed", lambda: "rendered again") == "rendered again"
