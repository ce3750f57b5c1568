"""Every write chat makes: kudos given from chat, accounts linked, workspaces found.

A kudos from chat is a recognition like any other: :func:`give_kudos_from_chat` calls
:func:`plaudit.recognition.services.give_recognition`, the one door, so the allowance,
the values, the validation and the refusals are the web's and the API's. It is
idempotent on a receipt key the platform repeats when it retries a request (Slack's
``trigger_id``, a view's id and hash): a retry finds the receipt and gives nothing.

Who a chat user is comes from a *resolver* the platform passes in (a chat user id →
a person or None); the platform's module builds it from its Web API and caches the
answer in :class:`~.models.LinkedAccount` (:func:`link_account`).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import TextField
from django.db.models.functions import Cast

from plaudit.core.encryption import decrypt
from plaudit.core.errors import DomainError
from plaudit.ledger.selectors import allowance_remaining
from plaudit.people.locales import speaking_to
from plaudit.people.models import User
from plaudit.recognition.errors import RecipientRefused
from plaudit.recognition.models import CompanyValue
from plaudit.recognition.services import (
    Gift,
    check_allowance,
    check_message,
    check_points,
    check_recipient_count,
    give_recognition,
    recipient_problem,
)

from . import formatting
from .models import LinkedAccount, Platform, Receipt, Workspace
from .parsing import MentionSyntax, ParseError, parse_kudos

Resolver = Callable[[str], User | None]
SECRET_FIELDS = ("bot_token", "signing_secret", "webhook_url")


@dataclass(frozen=True)
class Reply:
    """What chat answers: ``text`` to the giver (privately unless ``public``), and for a
    kudos given, ``announcement`` for the channel. ``duplicate``: a retry, already done."""

    text: str
    public: bool = False
    announcement: str = ""
    recognition_id: int | None = None
    duplicate: bool = False
    # The input at fault in a refusal ("recipients", "points", "message"), for a form.
    field: str | None = None


# --- Workspaces and accounts -------------------------------------------------------


def slack_workspace(team_id: str, *, create: bool = False) -> Workspace | None:
    """The active Slack workspace of ``team_id``. With ``create`` (a request signed with
    ``SLACK_SIGNING_SECRET``), a team that has no row yet gets one whose secrets are the
    settings', so the workspace configured by the environment needs nothing in the admin."""
    found = Workspace.objects.filter(platform=Platform.SLACK, external_id=team_id).first()
    if found is not None:
        return found if found.active else None
    if not (create and settings.SLACK_SIGNING_SECRET and team_id):
        return None
    found, _created = Workspace.objects.get_or_create(platform=Platform.SLACK, external_id=team_id)
    return found if found.active else None


def person_with_email(email: str) -> User | None:
    """The active person whose sign-in address is ``email`` (letter case ignored)."""
    if not email:
        return None
    return User.objects.filter(email__iexact=email.strip(), is_active=True).first()


def link_account(workspace: Workspace, external_user_id: str, *, email: str) -> LinkedAccount:
    """Cache who ``external_user_id`` is: the person with that verified email, or nobody."""
    account, _created = LinkedAccount.objects.update_or_create(
        workspace=workspace,
        external_user_id=external_user_id,
        defaults={"email": email or "", "person": person_with_email(email)},
    )
    return account


def remember_link(workspace: Workspace, external_user_id: str, person: User) -> LinkedAccount:
    """Link the chat user ``external_user_id`` to ``person`` (replacing an earlier link of
    that user): found by their address on the platform, or confirmed by the person."""
    account, _created = LinkedAccount.objects.update_or_create(
        workspace=workspace,
        external_user_id=external_user_id,
        defaults={"email": person.email, "person": person},
    )
    return account


def linked_person(workspace: Workspace, external_user_id: str) -> LinkedAccount | None:
    """The cached link, if any (its ``person`` is None for a chat user Plaudit does not know)."""
    return (
        LinkedAccount.objects.select_related("person")
        .filter(workspace=workspace, external_user_id=external_user_id)
        .first()
    )


def person_of_link(account: LinkedAccount) -> User | None:
    """The active person a cached link names. A link to nobody whose email address now
    belongs to a person (added to Plaudit since) is linked to them now."""
    if account.person is not None:
        return account.person if account.person.is_active else None
    if account.email and (person := person_with_email(account.email)) is not None:
        account.person = person
        account.save(update_fields=["person", "linked_at"])
        return person
    return None


def external_id_of(workspace: Workspace, person: User) -> str | None:
    """The chat user id of ``person`` in ``workspace``, if linked."""
    return (
        LinkedAccount.objects.filter(workspace=workspace, person=person)
        .values_list("external_user_id", flat=True)
        .first()
    )


def rotate_chat_secrets() -> int:
    """Re-encrypt every workspace's secrets with the newest key (``rotate_reward_codes``
    calls it); returns how many workspaces had any. Read as stored (``Cast`` skips the
    field's decryption), so a secret no key opens raises instead of being wiped."""
    raw = {f"raw_{name}": Cast(name, TextField()) for name in SECRET_FIELDS}
    rotated = 0
    for row in Workspace.objects.annotate(**raw).values("pk", *raw):
        clear = {name: decrypt(row[f"raw_{name}"]) for name in SECRET_FIELDS if row[f"raw_{name}"]}
        if clear:
            # The field encrypts what it is given, with the newest key.
            Workspace.objects.filter(pk=row["pk"]).update(**clear)
            rotated += 1
    return rotated


# --- Kudos -------------------------------------------------------------------------


def _receipt(workspace: Workspace, key: str) -> Receipt | None:
    return Receipt.objects.filter(workspace=workspace, key=key).first() if key else None


def check_chat_kudos(
    *, giver: User, recipients: Sequence[User], points: object, message: object
) -> dict[str, str]:
    """The service's checks, field by field, for a form (Slack's modal): ``{field:
    sentence}``, empty when the kudos can be given. ``give_recognition`` checks again."""
    errors: dict[str, str] = {}
    try:
        check_recipient_count(len(recipients))
        for person in recipients:
            if (problem := recipient_problem(giver=giver, recipient=person)) is not None:
                errors["recipients"] = problem
                break
    except DomainError as exc:
        errors["recipients"] = str(exc.detail)
    try:
        check_points(points)
        if "recipients" not in errors and isinstance(points, int):
            check_allowance(giver, points * len(recipients))
    except DomainError as exc:
        errors["points"] = str(exc.detail)
    try:
        check_message(message)
    except DomainError as exc:
        errors["message"] = str(exc.detail)
    return errors


def give_kudos(
    *,
    workspace: Workspace,
    giver: User,
    recipients: Sequence[User],
    points: int,
    message: str,
    values: Sequence[CompanyValue] = (),
    receipt_key: str,
    name_of: formatting.NameOf = formatting.plain_name,
) -> Reply:
    """Give a kudos once per ``receipt_key``; the reply is in the giver's language.

    Refusals (over allowance, yourself, an inactive person, a blank message) are the
    recognition service's own sentences, answered privately.
    """
    with speaking_to(giver):
        if _receipt(workspace, receipt_key) is not None:
            return Reply(formatting.already_done(), duplicate=True)
        gifts = [Gift(recipient=person, points=points) for person in recipients]
        try:
            with transaction.atomic():
                receipt = Receipt.objects.create(workspace=workspace, key=receipt_key)
                recognition = give_recognition(
                    giver=giver, message=message, gifts=gifts, values=values
                )
                receipt.recognition_id = recognition.pk
                receipt.outcome = "given"
                receipt.save(update_fields=["recognition", "outcome"])
        except IntegrityError:
            # The same request, a moment earlier, on another worker: it gave the kudos.
            if _receipt(workspace, receipt_key) is not None:
                return Reply(formatting.already_done(), duplicate=True)
            raise
        except DomainError as exc:
            return Reply(str(exc.detail), field=_field_of(exc))
        remaining = allowance_remaining(giver)
        return Reply(
            formatting.given(recipients, points, remaining, name_of),
            public=True,
            announcement=formatting.announced(giver, recipients, points, message, name_of),
            recognition_id=recognition.pk,
        )


def give_kudos_from_chat(
    *,
    workspace: Workspace,
    giver_id: str,
    text: str,
    syntax: MentionSyntax,
    resolve: Resolver,
    receipt_key: str,
    name_of: formatting.NameOf = formatting.plain_name,
) -> Reply:
    """``/kudos …`` from chat user ``giver_id``: parse, resolve, give (once per key)."""
    if _receipt(workspace, receipt_key) is not None:
        return Reply(formatting.already_done(), duplicate=True)
    giver = resolve(giver_id)
    if giver is None:
        return Reply(formatting.no_account())
    with speaking_to(giver):
        parsed = parse_kudos(text, syntax)
        if isinstance(parsed, ParseError):
            return Reply(parsed.message)
        recipients = []
        for mention in parsed.mentions:
            person = resolve(mention)
            if person is None:
                label = parsed.labels.get(mention) or mention
                return Reply(formatting.unknown_person(_mention_text(syntax, mention, label)))
            recipients.append(person)
    return give_kudos(
        workspace=workspace,
        giver=giver,
        recipients=recipients,
        points=parsed.points,
        message=parsed.message,
        receipt_key=receipt_key,
        name_of=name_of,
    )


def _field_of(exc: DomainError) -> str:
    """Where a form shows a refusal: the error's own field, else the points (allowance)."""
    if exc.field in {"recipients", "points", "message"}:
        return exc.field
    return "recipients" if isinstance(exc, RecipientRefused) else "points"


def _mention_text(syntax: MentionSyntax, ident: str, label: str) -> str:
    if syntax.name == "slack":
        return f"<@{ident}>"
    return label if label.startswith("@") or syntax.name == "teams" else f"@{label}"
