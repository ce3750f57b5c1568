"""Fixtures of the outbound tests: a linked Slack workspace and kudos given through commit."""

from collections.abc import Callable
from typing import Any

import pytest

from plaudit.chat import services
from plaudit.chat.models import Workspace
from plaudit.people.models import User
from plaudit.recognition.models import Recognition
from plaudit.recognition.services import Gift, give_recognition
from tests.factories import ManagerFactory, UserFactory

from ..fake_slack import FakeSlack


@pytest.fixture
def workspace(fake_slack: FakeSlack) -> Workspace:
    workspace = services.slack_workspace("T1", create=True)
    assert workspace is not None
    workspace.name = "Acme"
    workspace.save(update_fields=["name"])
    return workspace


@pytest.fixture
def people(fake_slack: FakeSlack) -> tuple[User, User, User]:
    """A giver (U1), Ana (U2) and Ben (U3), each with a Slack account of the same email."""
    boss = ManagerFactory(first_name="Mia", last_name="Boss")
    giver = UserFactory(first_name="Gil", last_name="Giver", manager=boss)
    ana = UserFactory(first_name="Ana", last_name="Lima", manager=boss)
    ben = UserFactory(first_name="Ben", last_name="Okafor")
    for user_id, person in (("U1", giver), ("U2", ana), ("U3", ben), ("U4", boss)):
        fake_slack.add_user(user_id, person.email)
    return giver, ana, ben


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Callable[[Callable[[], Any]], Any]:
    """Run a change and commit it, so the outbox drains and the chat tasks run."""

    def run(change: Callable[[], Any]) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return change()

    return run


@pytest.fixture
def give(committed: Callable[..., Any]) -> Callable[..., Recognition]:
    def give(giver: User, recipients: list[User], points: int = 10, message: str = "Thanks!"):
        gifts = [Gift(recipient=person, points=points) for person in recipients]
        return committed(lambda: give_recognition(giver=giver, message=message, gifts=gifts))

    return give
