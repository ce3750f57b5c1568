"""Slack's retries arriving together: the receipt's unique key decides, one kudos."""

import pytest

from plaudit.chat import services
from plaudit.recognition.models import Recognition
from tests.factories import UserFactory
from tests.rewards.test_redeem_races import run_together

pytestmark = pytest.mark.django_db(transaction=True)


def test_four_copies_of_one_request_at_once_give_one_kudos(fake_slack):
    workspace = services.slack_workspace("T1", create=True)
    assert workspace is not None
    giver, ana = UserFactory(), UserFactory()

    def give():
        return services.give_kudos(
            workspace=workspace,
            giver=giver,
            recipients=[ana],
            points=5,
            message="for the release",
            receipt_key="command:same-trigger",
        )

    replies, _seconds = run_together([give] * 4)
    assert Recognition.objects.count() == 1
    assert sorted(reply.duplicate for reply in replies) == [False, True, True, True]
