from datetime import timedelta

import pytest
from django.utils import timezone

from plaudit.recognition.models import Award, Recognition
from plaudit.recognition.selectors import word_frequencies
from plaudit.recognition.services import add_on
from tests.factories import CompanyValueFactory, DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/leaderboard/"


@pytest.fixture
def rich(settings):
    settings.PLAUDIT = {**settings.PLAUDIT, "MONTHLY_ALLOWANCE": 10_000}


def _rows(rows):
    return [(row["rank"], row["id"], row["points"]) for row in rows]


def _back_date(recognition, when):
    Recognition.objects.filter(pk=recognition.pk).update(created_at=when)
    Award.objects.filter(recognition=recognition).update(created_at=when)


def test_top_receivers_are_dense_ranked_with_ties_sharing_a_rank(client_for, give, rich):
    giver, other = UserFactory(), UserFactory()
    ana, bo, cy, di = (
        UserFactory(last_name="A"),
        UserFactory(last_name="B"),
        UserFactory(last_name="C"),
        UserFactory(last_name="D"),
    )
    give(giver, {ana: 100, bo: 100, cy: 80})
    give(other, {di: 50})

    body = client_for(ana).get(URL).json()

    assert body["period"] == "month"
    assert _rows(body["results"]) == [
        (1, ana.pk, 100),
        (1, bo.pk, 100),
        (2, cy.pk, 80),
        (3, di.pk, 50),
    ]
    assert _rows(body["givers"]) == [(1, giver.pk, 280), (2, other.pk, 50)]


def test_limit_bounds_the_rows_and_tied_people_keep_their_shared_rank(client_for, give, rich):
    giver = UserFactory()
    ana, bo, cy = UserFactory(last_name="A"), UserFactory(last_name="B"), UserFactory(last_name="C")
    give(giver, {ana: 5, bo: 5, cy: 5})

    body = client_for(ana).get(URL, {"limit": 2}).json()

    assert _rows(body["results"]) == [(1, ana.pk, 5), (1, bo.pk, 5)]


def test_the_period_decides_which_kudos_count(client_for, give, rich):
    giver, ana, bo = UserFactory(), UserFactory(), UserFactory()
    give(giver, {ana: 10})
    old = give(giver, {bo: 50})
    _back_date(old, timezone.now() - timedelta(days=800))
    client = client_for(ana)

    month = client.get(URL, {"period": "month"}).json()
    all_time = client.get(URL, {"period": "all"}).json()

    assert _rows(month["results"]) == [(1, ana.pk, 10)]
    assert _rows(all_time["results"]) == [(1, bo.pk, 50), (2, ana.pk, 10)]
    assert all_time["since"] is None
    for period in ("quarter", "year"):
        assert client.get(URL, {"period": period}).json()["results"][0]["id"] == ana.pk


def test_the_department_filter_ranks_people_of_that_department(client_for, give, rich):
    sales = DepartmentFactory(name="Sales")
    giver, engineer, seller = UserFactory(), UserFactory(), UserFactory(department=sales)
    give(giver, {engineer: 30, seller: 20})

    body = client_for(seller).get(URL, {"department": "Sales"}).json()

    assert _rows(body["results"]) == [(1, seller.pk, 20)]
    assert body["givers"] == []


def test_add_ons_count_for_their_giver_and_celebrations_do_not_compete(client_for, give, rich):
    giver, ana, fan = UserFactory(), UserFactory(), UserFactory()
    recognition = give(giver, {ana: 10})
    add_on(giver=fan, recognition=recognition, points=25)
    Recognition.objects.create(kind="birthday", message="Happy birthday", occasion="b:1")
    Award.objects.create(
        recognition=Recognition.objects.get(occasion="b:1"), recipient=fan, points=500
    )

    body = client_for(ana).get(URL).json()

    assert _rows(body["results"]) == [(1, ana.pk, 35)]
    assert _rows(body["givers"]) == [(1, fan.pk, 25), (2, giver.pk, 10)]


def test_the_leaderboard_is_cached_and_a_new_recognition_refreshes_it(
    client_for, give, rich, django_assert_num_queries, django_capture_on_commit_callbacks
):
    giver, ana, bo = UserFactory(), UserFactory(), UserFactory()
    give(giver, {ana: 10})
    client = client_for(ana)
    client.get(URL)

    with django_assert_num_queries(0):
        cached = client.get(URL).json()
    with django_capture_on_commit_callbacks(execute=True):
        give(giver, {bo: 20})
    fresh = client.get(URL).json()

    assert _rows(cached["results"]) == [(1, ana.pk, 10)]
    assert _rows(fresh["results"]) == [(1, bo.pk, 20), (2, ana.pk, 10)]


def test_the_leaderboard_runs_two_queries_however_many_people_rank(
    client_for, give, rich, django_assert_num_queries
):
    giver = UserFactory()
    give(giver, dict.fromkeys(UserFactory.create_batch(3), 5))
    with django_assert_num_queries(2):
        client_for(giver).get(URL)
    give(giver, {person: n + 1 for n, person in enumerate(UserFactory.create_batch(20))})
    with django_assert_num_queries(2):
        body = client_for(giver).get(URL, {"limit": 100}).json()
    assert len(body["results"]) == 23


@pytest.mark.parametrize("query", [{"period": "week"}, {"limit": 0}, {"limit": 101}])
def test_bad_leaderboard_parameters_are_a_400_problem(client_for, query):
    response = client_for(UserFactory()).get(URL, query)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == list(query)


def test_trending_counts_values_and_words_of_the_period(client_for, give, rich):
    giver, ana = UserFactory(), UserFactory()
    CompanyValueFactory(slug="teamwork", name="Teamwork")
    CompanyValueFactory(slug="craft", name="Craft")
    give(giver, {ana: 1}, "Brilliant migration, brilliant teamwork #teamwork")
    give(giver, {ana: 1}, "The migration was brilliant #teamwork #craft")

    body = client_for(ana).get("/api/v1/reports/trending/").json()

    assert [(v["slug"], v["count"]) for v in body["values"]] == [("teamwork", 2), ("craft", 1)]
    assert body["words"][:2] == [
        {"word": "brilliant", "count": 3},
        {"word": "migration", "count": 2},
    ]
    assert "the" not in {w["word"] for w in body["words"]}


def test_word_frequencies_ignore_case_stop_words_tags_mentions_and_numbers():
    counts = word_frequencies(
        ["Thank you @sam for the GREAT demo!", "Demo day: demo went well #craft 2024"], limit=3
    )

    assert counts == [("demo", 3), ("day", 1), ("went", 1)]
