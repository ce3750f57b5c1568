from urllib.parse import quote

import pytest

from plaudit.events.models import EventType, OutboxEvent
from plaudit.recognition.models import Comment, Reaction
from tests.factories import HRAdminFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kudos(give):
    giver, ana = UserFactory(), UserFactory()
    return give(giver, {ana: 5}, "Thanks!")


def url(recognition, tail=""):
    return f"/api/v1/recognitions/{recognition.pk}/{tail}"


def test_anyone_can_comment_and_comments_list_oldest_first(client_for, kudos):
    fan, other = UserFactory(), UserFactory()
    client_for(fan).post(url(kudos, "comments/"), {"body": "Well deserved"})
    client_for(other).post(url(kudos, "comments/"), {"body": "Agreed!"})

    body = client_for(fan).get(url(kudos, "comments/")).json()

    assert body["count"] == 2
    assert [(c["author"]["id"], c["body"]) for c in body["results"]] == [
        (fan.pk, "Well deserved"),
        (other.pk, "Agreed!"),
    ]


def test_a_comment_records_an_event_for_the_giver_and_recipients(client_for, kudos):
    fan = UserFactory()

    response = client_for(fan).post(url(kudos, "comments/"), {"body": "Nice"})

    assert response.status_code == 201, response.json()
    event = OutboxEvent.objects.get(type=EventType.RECOGNITION_COMMENTED)
    recipient = kudos.awards.get().recipient_id
    assert event.data["comment"] == response.json()["id"]
    assert sorted(event.data["recipients"]) == sorted([kudos.giver_id, recipient])


@pytest.mark.parametrize("body", [{}, {"body": ""}, {"body": "x" * 1001}, {"body": ["a"]}])
def test_an_empty_or_oversized_comment_is_refused(client_for, kudos, body):
    response = client_for(UserFactory()).post(url(kudos, "comments/"), body, format="json")

    assert response.status_code == 400
    assert "body" in response.json()["errors"]
    assert not Comment.objects.exists()


def test_the_author_or_hr_may_remove_a_comment_but_nobody_else(client_for, kudos):
    author = UserFactory()
    first = client_for(author).post(url(kudos, "comments/"), {"body": "one"}).json()["id"]
    second = client_for(author).post(url(kudos, "comments/"), {"body": "two"}).json()["id"]

    refused = client_for(UserFactory()).delete(url(kudos, f"comments/{first}/"))
    by_author = client_for(author).delete(url(kudos, f"comments/{first}/"))
    by_hr = client_for(HRAdminFactory()).delete(url(kudos, f"comments/{second}/"))

    assert refused.status_code == 403
    assert (by_author.status_code, by_hr.status_code) == (204, 204)
    assert not Comment.objects.exists()


def test_comments_on_an_unknown_recognition_are_a_404(client_for):
    response = client_for(UserFactory()).post("/api/v1/recognitions/999/comments/", {"body": "x"})

    assert response.status_code == 404


def test_one_reaction_of_a_kind_per_person(client_for, kudos):
    fan = UserFactory()
    client = client_for(fan)

    first = client.post(url(kudos, "reactions/"), {"emoji": "🎉"})
    again = client.post(url(kudos, "reactions/"), {"emoji": "🎉"})
    other_kind = client.post(url(kudos, "reactions/"), {"emoji": "👏🏽"})
    someone_else = client_for(UserFactory()).post(url(kudos, "reactions/"), {"emoji": "🎉"})

    assert first.status_code == 201
    assert first.json() == {"emoji": "🎉", "count": 1, "mine": True}
    assert again.status_code == 200
    assert again.json()["count"] == 1
    assert other_kind.status_code == 201
    assert someone_else.json()["count"] == 2
    assert Reaction.objects.count() == 3
    assert OutboxEvent.objects.filter(type=EventType.RECOGNITION_REACTED).count() == 3


def test_removing_a_reaction_works_and_only_once(client_for, kudos):
    fan = UserFactory()
    client = client_for(fan)
    client.post(url(kudos, "reactions/"), {"emoji": "🎉"})
    client_for(UserFactory()).post(url(kudos, "reactions/"), {"emoji": "🎉"})

    removed = client.delete(url(kudos, f"reactions/{quote('🎉')}/"))
    again = client.delete(url(kudos, f"reactions/{quote('🎉')}/"))

    assert removed.status_code == 204
    assert again.status_code == 404
    assert again["Content-Type"] == "application/problem+json"
    assert Reaction.objects.count() == 1  # the other person's stays


@pytest.mark.parametrize("emoji", ["", "ok", "🎉 ", "a🎉", "<b>", "🎉" * 17, None])
def test_a_reaction_must_be_an_emoji(client_for, kudos, emoji):
    response = client_for(UserFactory()).post(
        url(kudos, "reactions/"), {"emoji": emoji}, format="json"
    )

    assert response.status_code == 400
    assert "emoji" in response.json()["errors"]
    assert not Reaction.objects.exists()


def test_keycap_and_flag_emoji_are_reactions_too(client_for, kudos):
    client = client_for(UserFactory())

    assert client.post(url(kudos, "reactions/"), {"emoji": "🇫🇷"}).status_code == 201
    assert client.post(url(kudos, "reactions/"), {"emoji": "❤️"}).status_code == 201
    assert client.post(url(kudos, "reactions/"), {"emoji": "👩‍💻"}).status_code == 201


def test_commenting_on_your_own_recognition_does_not_notify_you(client_for, kudos):
    response = client_for(kudos.giver).post(url(kudos, "comments/"), {"body": "You earned it"})

    assert response.status_code == 201, response.json()
    event = OutboxEvent.objects.get(type=EventType.RECOGNITION_COMMENTED)
    assert event.data["recipients"] == [kudos.awards.get().recipient_id]
