"""Reactions and comments in the web feed: one click to react, a thread opened in place."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plaudit.recognition.models import Comment, Reaction
from plaudit.recognition.services import Gift, add_comment, give_recognition, react
from tests.factories import UserFactory

from .conftest import HTMX

pytestmark = pytest.mark.django_db


@pytest.fixture
def kudos():
    giver, receiver = UserFactory(first_name="Maya"), UserFactory(first_name="Leo")
    return give_recognition(giver=giver, message="Thanks for the demo!", gifts=[Gift(receiver, 5)])


def _button(body: str, emoji: str) -> str:
    """The reaction button for ``emoji`` in a rendered page or fragment."""
    start = body.index(f'value="{emoji}"')
    return body[body.index("<button", start) : body.index("</button>", start)]


def test_the_feed_shows_each_reaction_with_its_count_and_marks_the_viewers_own(
    page_client, employee, kudos
):
    react(user=employee, recognition=kudos, emoji="🎉")
    react(user=UserFactory(), recognition=kudos, emoji="🎉")
    react(user=UserFactory(), recognition=kudos, emoji="👏")
    react(user=UserFactory(), recognition=kudos, emoji="🦄")  # through the API: any emoji

    body = page_client(employee).get("/").content.decode()

    assert 'aria-pressed="true" aria-label="🎉 2"' in _button(body, "🎉")
    assert 'aria-pressed="false" aria-label="👏 1"' in _button(body, "👏")
    assert 'aria-pressed="false" aria-label="❤️ 0"' in _button(body, "❤️")
    assert 'aria-label="🦄 1"' in _button(body, "🦄")
    assert body.index('value="💡"') < body.index('value="🦄"')  # the quick ones first


def test_a_reaction_is_added_once_even_when_the_button_is_clicked_twice(
    page_client, employee, kudos
):
    client = page_client(employee)

    for _ in range(2):
        response = client.post(
            f"/recognitions/{kudos.pk}/reactions/", {"emoji": "🎉", "action": "add"}, **HTMX
        )

    assert response.status_code == 200
    assert 'aria-pressed="true" aria-label="🎉 1"' in _button(response.content.decode(), "🎉")
    assert Reaction.objects.filter(recognition=kudos, user=employee, emoji="🎉").count() == 1


def test_pressing_your_own_reaction_takes_it_back(page_client, employee, kudos):
    react(user=employee, recognition=kudos, emoji="👏")
    react(user=UserFactory(), recognition=kudos, emoji="👏")

    response = page_client(employee).post(
        f"/recognitions/{kudos.pk}/reactions/", {"emoji": "👏", "action": "remove"}, **HTMX
    )

    assert 'aria-pressed="false" aria-label="👏 1"' in _button(response.content.decode(), "👏")
    assert not Reaction.objects.filter(user=employee).exists()
    assert Reaction.objects.filter(recognition=kudos).count() == 1  # the colleague's stays


@pytest.mark.parametrize(
    "data", [{"emoji": "hi", "action": "add"}, {"emoji": "🎉", "action": "flip"}, {}]
)
def test_a_reaction_that_is_not_one_emoji_is_refused_and_changes_nothing(
    page_client, employee, kudos, data
):
    response = page_client(employee).post(f"/recognitions/{kudos.pk}/reactions/", data, **HTMX)

    assert response.status_code == 400
    assert not Reaction.objects.exists()


def test_without_htmx_reacting_goes_back_to_the_item_in_the_feed(page_client, employee, kudos):
    response = page_client(employee).post(
        f"/recognitions/{kudos.pk}/reactions/", {"emoji": "🙌", "action": "add"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"/#recognition-{kudos.pk}"
    assert Reaction.objects.filter(user=employee, emoji="🙌").exists()


def test_the_thread_opens_in_place_oldest_first_with_a_form(page_client, employee, kudos):
    first = add_comment(author=UserFactory(first_name="Ben"), recognition=kudos, body="Agreed!")
    add_comment(author=UserFactory(first_name="Eva"), recognition=kudos, body="<b>Seconded</b>")

    response = page_client(employee).get(f"/recognitions/{kudos.pk}/comments/", **HTMX)

    body = response.content.decode()
    assert response.status_code == 200
    assert body.index("Agreed!") < body.index("&lt;b&gt;Seconded&lt;/b&gt;")
    assert f'id="comment-{first.pk}"' in body
    assert "Remove" not in body  # neither comment is the viewer's
    assert f'id="comment-{kudos.pk}-body"' in body
    assert "2 comments" in body


def test_a_long_thread_shows_the_latest_and_a_link_to_the_earlier_ones(
    page_client, employee, kudos
):
    author = UserFactory()
    Comment.objects.bulk_create(
        Comment(recognition=kudos, author=author, body=f"Note {n}.") for n in range(103)
    )
    client = page_client(employee)
    url = f"/recognitions/{kudos.pk}/comments/"

    latest = client.get(url, **HTMX).content.decode()
    assert "Note 3." in latest
    assert "Note 102." in latest
    assert "Note 2." not in latest
    assert "The latest 100 of 103 comments." in latest
    assert f'hx-get="{url}?shown=200"' in latest
    assert "Show 3 earlier" in latest

    everything = client.get(f"{url}?shown=200", **HTMX).content.decode()
    assert "Note 0." in everything
    assert "Note 102." in everything
    assert "earlier" not in everything

    for nonsense in ("abc", "-5", "7", "²", "1e3"):  # like a bad page number: the first step
        body = client.get(f"{url}?shown={nonsense}", **HTMX).content.decode()
        assert "Note 2." not in body
        assert "Note 3." in body


def test_a_comment_joins_the_thread_and_the_count_follows(page_client, employee, kudos):
    response = page_client(employee).post(
        f"/recognitions/{kudos.pk}/comments/", {"body": "Great work, Leo"}, **HTMX
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "Great work, Leo" in body
    assert f'<span id="comments-count-{kudos.pk}" hx-swap-oob="true">1 comment</span>' in body
    assert Comment.objects.get().author == employee


@pytest.mark.parametrize("text", ["", "   ", "x" * 1001])
def test_an_empty_or_overlong_comment_is_an_error_beside_the_field(
    page_client, employee, kudos, text
):
    response = page_client(employee).post(
        f"/recognitions/{kudos.pk}/comments/", {"body": text}, **HTMX
    )

    assert response.status_code == 422
    assert f'id="comment-{kudos.pk}-body_error"' in response.content.decode()
    assert not Comment.objects.exists()


def test_the_author_removes_their_comment(page_client, employee, kudos):
    comment = add_comment(author=employee, recognition=kudos, body="Oops, wrong post")
    client = page_client(employee)

    assert "Remove" in client.get(f"/recognitions/{kudos.pk}/comments/", **HTMX).content.decode()
    response = client.post(f"/recognitions/{kudos.pk}/comments/{comment.pk}/remove/", **HTMX)

    assert response.status_code == 200
    assert "Oops, wrong post" not in response.content.decode()
    assert not Comment.objects.exists()


def test_a_colleague_cannot_remove_someone_elses_comment_but_hr_can(
    page_client, employee, hr_admin, kudos
):
    comment = add_comment(author=UserFactory(), recognition=kudos, body="Mine")
    url = f"/recognitions/{kudos.pk}/comments/{comment.pk}/remove/"

    assert page_client(employee).post(url, **HTMX).status_code == 403
    assert Comment.objects.filter(pk=comment.pk).exists()
    assert page_client(hr_admin).post(url, **HTMX).status_code == 200
    assert not Comment.objects.exists()


def test_a_comment_is_removed_only_through_its_own_recognition(page_client, employee, kudos):
    other = give_recognition(giver=UserFactory(), message="Another", gifts=[Gift(UserFactory(), 1)])
    comment = add_comment(author=employee, recognition=kudos, body="Stays")

    url = f"/recognitions/{other.pk}/comments/{comment.pk}/remove/"
    assert page_client(employee).post(url, **HTMX).status_code == 404
    assert Comment.objects.filter(pk=comment.pk).exists()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "reactions/"),
        ("get", "comments/"),
        ("post", "comments/"),
        ("post", "comments/1/remove/"),
    ],
)
def test_signed_out_visitors_are_sent_to_sign_in_and_nothing_changes(
    page_client, kudos, method, path
):
    url = f"/recognitions/{kudos.pk}/{path}"
    response = getattr(page_client(None), method)(
        url, {"emoji": "🎉", "action": "add", "body": "x"}
    )

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Reaction.objects.exists()
    assert not Comment.objects.exists()


def test_an_unknown_recognition_is_a_404(page_client, employee):
    client = page_client(employee)

    assert client.get("/recognitions/999999/comments/", **HTMX).status_code == 404
    reaction = {"emoji": "🎉", "action": "add"}
    assert client.post("/recognitions/999999/reactions/", reaction, **HTMX).status_code == 404


def test_the_feeds_reactions_take_one_query_whatever_the_number_of_items(page_client, employee):
    def home_queries() -> int:
        client = page_client(employee)
        with CaptureQueriesContext(connection) as queries:
            client.get("/")
        return len(queries)

    def add_kudos(count: int) -> None:
        for _ in range(count):
            recognition = give_recognition(
                giver=UserFactory(), message="Thanks", gifts=[Gift(UserFactory(), 1)]
            )
            react(user=UserFactory(), recognition=recognition, emoji="🎉")

    add_kudos(2)
    few = home_queries()
    add_kudos(6)

    assert home_queries() == few
