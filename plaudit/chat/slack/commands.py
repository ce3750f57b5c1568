"""The work behind Slack's requests, done after the acknowledgement (in Celery, or in
the request for a modal, whose errors must come back in the answer).

Each returns the :class:`~.replies.Answer` s to send; the caller queues them
(:func:`plaudit.chat.tasks.slack_answer`), so an answer Slack cannot take now is
retried without doing the work again.
"""

from typing import Any

from django.utils.translation import gettext as _

from plaudit.core.errors import DomainError
from plaudit.people.locales import speaking_to
from plaudit.people.models import User
from plaudit.recognition.models import CompanyValue
from plaudit.rewards import services as rewards
from plaudit.rewards.models import Redemption

from .. import formatting, services
from ..models import Workspace
from ..parsing import SLACK
from .accounts import person_for_slack_user, slack_user_for_person
from .modals import KudosForm
from .replies import Answer


def resolver(workspace: Workspace) -> services.Resolver:
    return lambda user_id: person_for_slack_user(workspace, user_id)


def name_of(workspace: Workspace) -> formatting.NameOf:
    """A person as a live Slack mention (found by email, cached), else by name."""

    def name(person: User) -> str:
        try:
            user_id = slack_user_for_person(workspace, person)
        except OSError:  # Slack unreachable: the name will do
            user_id = None
        return f"<@{user_id}>" if user_id else str(person)

    return name


def kudos_command(
    workspace: Workspace,
    *,
    user_id: str,
    text: str,
    trigger_id: str,
    response_url: str = "",
    channel_id: str = "",
) -> list[Answer]:
    """``/kudos …``: given once per ``trigger_id`` (Slack's retries repeat it)."""
    reply = services.give_kudos_from_chat(
        workspace=workspace,
        giver_id=user_id,
        text=text,
        syntax=SLACK,
        resolve=resolver(workspace),
        receipt_key=f"command:{trigger_id}",
        name_of=name_of(workspace),
    )
    if reply.duplicate:
        return []
    private = Answer(reply.text, response_url=response_url, channel=channel_id, user=user_id)
    if not reply.public or (channel_id and channel_id == workspace.effective_channel()):
        # In the recognition channel, the recognition's own post says it (the outbound side).
        return [private]
    public = Answer(reply.announcement, public=True, response_url=response_url, channel=channel_id)
    return [public, private]


def check_kudos_form(
    workspace: Workspace, giver: User, form: KudosForm
) -> tuple[list[User], dict[str, str]]:
    """The people chosen, and the service's refusals by the modal's block ids."""
    people: list[User] = []
    unknown = False
    for user_id in form.recipients:
        person = person_for_slack_user(workspace, user_id)
        if person is None:
            unknown = True
        else:
            people.append(person)
    errors = services.check_chat_kudos(
        giver=giver, recipients=people, points=form.points, message=form.message
    )
    if unknown:
        errors["recipients"] = formatting.someone_unknown()
    return people, errors


def give_from_modal(
    workspace: Workspace,
    *,
    giver: User,
    user_id: str,
    people: list[User],
    form: KudosForm,
    view_id: str,
    metadata: dict[str, Any],
) -> tuple[dict[str, str], list[Answer]]:
    """Give the modal's kudos once per view; refusals by block id, else the answers."""
    values = list(CompanyValue.objects.alive().filter(slug__in=form.value_slugs))
    assert isinstance(form.points, int)  # checked by check_kudos_form
    reply = services.give_kudos(
        workspace=workspace,
        giver=giver,
        recipients=people,
        points=form.points,
        message=form.message,
        values=values,
        receipt_key=f"view:{view_id}",
        name_of=name_of(workspace),
    )
    if reply.duplicate:
        return {}, []
    if not reply.public:
        return {reply.field or "message": reply.text}, []
    channel, thread_ts = str(metadata.get("channel") or ""), str(metadata.get("thread_ts") or "")
    answers = [Answer(reply.text, channel=channel, user=user_id, thread_ts=thread_ts)]
    if channel:
        answers.insert(
            0, Answer(reply.announcement, public=True, channel=channel, thread_ts=thread_ts)
        )
    return {}, answers


def decide(
    workspace: Workspace,
    *,
    user_id: str,
    redemption_id: int,
    approve: bool,
    reason: str = "",
    response_url: str = "",
    channel: str = "",
) -> tuple[str | None, list[Answer]]:
    """Approve or reject a redemption as the Slack user's person: the rewards service
    decides who may. Returns the refusal (None when done) and the answers to send."""
    actor = person_for_slack_user(workspace, user_id)
    if actor is None:
        text = formatting.no_account()
        return text, [Answer(text, response_url=response_url, channel=channel, user=user_id)]
    with speaking_to(actor):
        try:
            if approve:
                redemption = rewards.approve_redemption(redemption_id=redemption_id, actor=actor)
                text = _("You approved %(reward)s for %(person)s.")
            else:
                redemption = rewards.reject_redemption(
                    redemption_id=redemption_id, actor=actor, reason=reason
                )
                text = _("You rejected %(reward)s for %(person)s.")
        except DomainError as exc:
            private = Answer(
                str(exc.detail), response_url=response_url, channel=channel, user=user_id
            )
            return str(exc.detail), [private]
        text = text % {
            "reward": redemption.reward.name,
            "person": name_of(workspace)(redemption.user),
        }
    done = Answer(
        text, response_url=response_url, user=user_id, replace_original=bool(response_url)
    )
    return None, [done]


def may_decide(workspace: Workspace, *, user_id: str, redemption_id: int) -> str | None:
    """Why the Slack user may not decide this redemption (before asking a reason), or None."""
    actor = person_for_slack_user(workspace, user_id)
    if actor is None:
        return formatting.no_account()
    redemption = Redemption.objects.select_related("user").filter(pk=redemption_id).first()
    with speaking_to(actor):
        if redemption is None:
            return _("This redemption no longer exists.")
        try:
            rewards.check_can_decide(actor, redemption)
        except DomainError as exc:
            return str(exc.detail)
    return None
