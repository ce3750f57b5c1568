"""Every write to the catalog and to redemptions, and every rule about them.

Each use case checks before it changes anything, Zulip's ``check_*`` then ``do_*``:
who may act (``check_can_*``, raising :class:`NotAllowed`) and what they asked for
(raising :class:`InvalidInput` naming the field), so the API, the pages, the admin,
the import and the commands all get the same answer. The doors only parse; which
objects a caller may *see* stays in the selectors (what one may not see is a 404).

Lock order, shared by every function here: redemption row, then reward row (several
rewards, as the catalog import takes them, in primary-key order), then ledger accounts
in primary-key order (taken by ``post_transaction``).
"""

from datetime import datetime
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, pgettext_lazy

from plaudit.core.after_commit import run_after_commit
from plaudit.core.constraints import constraint_name, refusal_for
from plaudit.core.errors import DomainError, InvalidInput, InvalidTransition, NotAllowed
from plaudit.core.services import check_fields, check_model_values, check_text
from plaudit.core.translated_content import TRANSLATIONS_FIELD, check_translations
from plaudit.events.models import EventType
from plaudit.events.outbox import record_event
from plaudit.events.payloads import RedemptionChanged, RewardLowStock
from plaudit.ledger.models import MAX_DESCRIPTION_LENGTH, TransactionKind
from plaudit.ledger.services import (
    balance_and_reserve,
    description_in_company_language,
    post_transaction,
)
from plaudit.people.models import User
from plaudit.people.roles import is_hr_admin, is_manager_of
from plaudit.people.selectors import active_hr_admins

from .cache import invalidate_catalog
from .eligibility import check_can_redeem
from .errors import NoCodeAvailable
from .images import validate_reward_image
from .models import (
    COUNTED_STATUSES,
    EDITABLE_REWARD_FIELDS,
    MAX_REJECTION_REASON_LENGTH,
    REWARD_WINDOW_MESSAGE,
    Redemption,
    RedemptionStatus,
    Reward,
    RewardCode,
)

# What a reward's create and update take: what HR edits, the import's key, and the
# translations of its name and description (which the CSV does not carry: an import
# leaves them as they are).
REWARD_FIELDS = frozenset({"sku", *EDITABLE_REWARD_FIELDS, TRANSLATIONS_FIELD})


def _hr_admin_ids() -> list[int]:
    return list(active_hr_admins().values_list("pk", flat=True))


def _record_redemption_event(type: EventType, redemption: Redemption, *, actor: User) -> None:
    """Outbox event for a redemption's move, in the caller's transaction.

    The redeemer hears about decisions on their request; the people who decide
    (their manager, or HR admins when they have none) hear about new and cancelled ones.
    """
    redeemer = redemption.user
    if type in (EventType.REDEMPTION_CREATED, EventType.REDEMPTION_CANCELLED):
        recipients = [redeemer.manager_id] if redeemer.manager_id else _hr_admin_ids()
    else:
        recipients = [redeemer.pk]
    record_event(
        type,
        RedemptionChanged(
            redemption=redemption.pk,
            reward=redemption.reward_id,
            reward_name=redemption.reward.name,
            cost=redemption.cost,
            status=RedemptionStatus(redemption.status),
            reason=redemption.reason,
            user=redeemer.pk,
            user_name=str(redeemer),
            actor=actor.pk,
            recipients=[person for person in recipients if person != actor.pk],
        ),
        key=f"redemption:{redemption.pk}:{redemption.status}",
    )


def _record_low_stock(reward: Reward, *, stock_before: int, stock_after: int) -> None:
    """HR hears when a redemption takes a reward's stock down to the threshold."""
    threshold = settings.PLAUDIT["LOW_STOCK_THRESHOLD"]
    if stock_after <= threshold < stock_before:
        record_event(
            EventType.REWARD_LOW_STOCK,
            RewardLowStock(
                reward=reward.pk,
                reward_name=reward.name,
                stock=stock_after,
                threshold=threshold,
                recipients=_hr_admin_ids(),
            ),
        )


# --- The catalog ------------------------------------------------------------------------


def can_edit_catalog(actor: User | None) -> bool:
    """HR admins keep the catalog; ``None`` is Plaudit itself (seed data, a command)."""
    return actor is None or is_hr_admin(actor)


def check_can_edit_catalog(actor: User | None) -> None:
    if not can_edit_catalog(actor):
        raise NotAllowed(_("Only HR admins may change the catalog."))


def check_reward_window(available_from: datetime | None, expires_at: datetime | None) -> None:
    """A reward expires after it becomes available. A window already over is allowed
    (the contract says it is simply not available); HR is told so where they save it."""
    if available_from is not None and expires_at is not None and expires_at <= available_from:
        raise InvalidInput(REWARD_WINDOW_MESSAGE, field="expires_at")


def check_reward(values: dict[str, Any]) -> None:
    """The catalog's rules for a reward as it would be stored: ``values`` holds every
    field of ``EDITABLE_REWARD_FIELDS``, the stored ones merged with the changes.

    Each field's bounds are its model validators (the same the serializer and the
    forms use); the window is checked across its two fields.
    """
    check_model_values(Reward, {name: values[name] for name in EDITABLE_REWARD_FIELDS})
    check_reward_window(values["available_from"], values["expires_at"])


def _stored(reward: Reward) -> dict[str, Any]:
    return {name: getattr(reward, name) for name in REWARD_FIELDS}


def _save_reward(reward: Reward, *, update_fields: list[str] | None = None) -> None:
    """Save under a savepoint: a constraint the checks above should have kept the write
    from reaching becomes that check's own error, never a database message."""
    try:
        with transaction.atomic():
            reward.save(update_fields=update_fields)
    except IntegrityError as exc:
        raise _refusal(exc) from exc


def _refusal(exc: IntegrityError) -> DomainError:
    if constraint_name(exc) == "reward_expires_after_it_opens":
        return InvalidInput(REWARD_WINDOW_MESSAGE, field="expires_at")
    return refusal_for(exc, where="the rewards services")


def _with_checked_translations(fields: dict[str, Any]) -> dict[str, Any]:
    if TRANSLATIONS_FIELD not in fields:
        return fields
    return {**fields, TRANSLATIONS_FIELD: check_translations(Reward, fields[TRANSLATIONS_FIELD])}


def create_reward(*, actor: User | None, **fields: Any) -> Reward:
    check_fields(fields, REWARD_FIELDS, kind="reward")
    check_can_edit_catalog(actor)
    reward = Reward(**_with_checked_translations(fields))
    check_reward(_stored(reward))
    _save_reward(reward)
    return reward


def update_reward(reward: Reward, *, actor: User | None, **changes: Any) -> Reward:
    """Change some of a stored reward's fields; the rules judge the reward as it would be."""
    check_fields(changes, REWARD_FIELDS, kind="reward")
    check_can_edit_catalog(actor)
    changes = _with_checked_translations(changes)
    check_reward({**_stored(reward), **changes})
    for name, value in changes.items():
        setattr(reward, name, value)
    _save_reward(reward, update_fields=[*changes, "updated_at"])
    return reward


def delete_reward(reward: Reward, *, actor: User | None) -> None:
    """Soft delete: gone from every list and not redeemable; redemptions stay."""
    check_can_edit_catalog(actor)
    if reward.deleted_at is None:
        reward.deleted_at = timezone.now()
        reward.save(update_fields=["deleted_at", "updated_at"])


def set_reward_image(reward: Reward, upload: UploadedFile, *, actor: User | None) -> Reward:
    check_can_edit_catalog(actor)
    extension = validate_reward_image(upload)
    old = reward.image.name if reward.image else None
    name = f"{PurePath(upload.name or 'reward').stem or 'reward'}.{extension}"
    reward.image.save(name, upload, save=False)
    reward.save(update_fields=["image", "updated_at"])
    if old and old != reward.image.name:
        run_after_commit(lambda: reward.image.storage.delete(old))
    return reward


def import_rewards(
    rows: list[tuple[str, dict[str, Any]]], *, actor: User | None, dry_run: bool = False
) -> tuple[int, int]:
    """The catalog import's write: upsert ``(sku, values)`` rows in bulk, under the
    catalog's rules. Returns how many rewards are (or, on a dry run, would be) created
    and updated; an unchanged reward is left alone. ``values`` holds every field of
    ``EDITABLE_REWARD_FIELDS``. A reward whose stock follows its codes keeps its stock:
    its ``stock`` column is never written here.

    The import checks each row with :func:`check_reward` as it reads the file, so it
    can report every bad row; they are checked again here, where the write is. The
    stored rewards are compared and written under their row locks (taken in primary-key
    order), so a redemption's stock decrement waits for the import instead of being
    overwritten by the values it read.
    """
    check_can_edit_catalog(actor)
    for _sku, values in rows:
        check_reward(values)
    with transaction.atomic():
        existing, coded = _stored_for_import([sku for sku, _ in rows], lock=not dry_run)
        new: list[Reward] = []
        changed: list[Reward] = []
        for sku, given in rows:
            values = dict(given)
            if sku not in existing:
                new.append(Reward(sku=sku, **values))
                continue
            reward = existing[sku]
            if reward.pk in coded:
                values.pop("stock")
            if all(getattr(reward, name) == value for name, value in values.items()):
                continue
            for name, value in values.items():
                setattr(reward, name, value)
            changed.append(reward)
        if not dry_run and (new or changed):
            _write_import(new, changed, coded=coded)
    return len(new), len(changed)


def _stored_for_import(skus: list[str], *, lock: bool) -> tuple[dict[str | None, Reward], set[int]]:
    """The stored rewards of these SKUs by SKU, and the ids of those whose stock follows
    their codes; under their row locks in primary-key order (the reward row, as a
    redemption takes it) unless ``lock`` is False. Caller is in a transaction."""
    stored = Reward.all_objects.filter(sku__in=skus).order_by("pk")
    if lock:
        stored = stored.select_for_update()
    rewards = list(
        stored.annotate(has_codes=Exists(RewardCode.objects.filter(reward=OuterRef("pk"))))
    )
    coded = {reward.pk for reward in rewards if reward.has_codes}
    return {reward.sku: reward for reward in rewards}, coded


def _write_import(new: list[Reward], changed: list[Reward], *, coded: set[int]) -> None:
    """Caller holds the changed rewards' locks; a coded reward's stock is not written."""
    now = timezone.now()
    for edited in changed:
        edited.updated_at = now
    Reward.all_objects.bulk_create(new)
    counted = [reward for reward in changed if reward.pk not in coded]
    by_codes = [reward for reward in changed if reward.pk in coded]
    if counted:
        Reward.all_objects.bulk_update(counted, [*EDITABLE_REWARD_FIELDS, "updated_at"])
    if by_codes:
        fields = [name for name in EDITABLE_REWARD_FIELDS if name != "stock"]
        Reward.all_objects.bulk_update(by_codes, [*fields, "updated_at"])
    run_after_commit(invalidate_catalog)


def deactivate_expired_rewards(now: datetime | None = None) -> list[Reward]:
    """Switch off active rewards whose window has closed; running it twice changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        expired = list(
            Reward.objects.select_for_update().filter(is_active=True, expires_at__lte=now)
        )
        for reward in expired:
            reward.is_active = False
            reward.save(update_fields=["is_active", "updated_at"])
    return expired


def redeem_reward(*, user: User, reward_id: int) -> Redemption:
    """Spend ``user``'s points on a reward; stock and limits are decided under its row lock.

    Holding that lock serialises redemptions of one reward, so stock and the
    per-person limit are checked against committed state. A reward with neither
    has nothing to count, so it is not locked and its redemptions run side by side.
    ``post_transaction`` checks the balance read here and takes the account locks as it
    debits; the database's check constraints refuse a negative stock or balance.
    Raises ``Reward.DoesNotExist`` for an id that names no reward.
    """
    with transaction.atomic():
        reward = Reward.all_objects.get(pk=reward_id)
        if reward.stock is not None or reward.per_user_limit is not None:
            reward = Reward.all_objects.select_for_update().get(pk=reward_id)
        used = 0
        if reward.per_user_limit is not None:
            used = Redemption.objects.filter(
                user=user, reward=reward, status__in=COUNTED_STATUSES
            ).count()
        check_can_redeem(reward, used=used, now=timezone.now())

        redemption = Redemption.objects.create(user=user, reward=reward, cost=reward.cost)
        if reward.stock is not None:
            Reward.all_objects.filter(pk=reward.pk).update(stock=F("stock") - 1)
            run_after_commit(invalidate_catalog)
            _record_low_stock(reward, stock_before=reward.stock, stock_after=reward.stock - 1)
        balance, reserve = balance_and_reserve(user)
        post_transaction(
            kind=TransactionKind.REDEMPTION,
            legs=[(balance, -reward.cost), (reserve, reward.cost)],
            description=description_in_company_language(
                # Translators: a ledger line's description.
                gettext_noop("Redeemed %(reward)s"),
                reward=reward.name,
            ),
            created_by=user,
            reference=f"redemption:{redemption.pk}:debit",
        )
        _record_redemption_event(EventType.REDEMPTION_CREATED, redemption, actor=user)
    return redemption


def _locked(redemption_id: int) -> Redemption:
    """The redemption under its row lock (and its reward's), with the redeemer the
    checks and the event need; caller is in a transaction."""
    return (
        Redemption.objects.select_for_update(of=("self", "reward"))
        .select_related("reward", "user")
        .get(pk=redemption_id)
    )


def can_decide(actor: User, redemption: Redemption) -> bool:
    """Approve and reject: the redeemer's manager or an HR admin."""
    return is_hr_admin(actor) or (actor.is_active and is_manager_of(actor, redemption.user))


def check_can_decide(actor: User, redemption: Redemption) -> None:
    if not can_decide(actor, redemption):
        raise NotAllowed(_("Only the person's manager or an HR admin may decide this."))


def check_can_fulfil(actor: User) -> None:
    if not is_hr_admin(actor):
        raise NotAllowed(_("Only HR admins may fulfil a redemption."))


def check_can_cancel(actor: User, redemption: Redemption) -> None:
    if redemption.user_id != actor.pk:
        raise NotAllowed(_("Only the person who redeemed may cancel."))


def check_rejection_reason(reason: object) -> str:
    """The one rule for a rejection's reason, at every door: required, not blank once
    trimmed, at most ``MAX_REJECTION_REASON_LENGTH`` characters. Returns it trimmed."""
    return check_text(
        reason,
        field="reason",
        max_length=MAX_REJECTION_REASON_LENGTH,
        missing=_("Give a reason: the person sees it, so say why and what they could do instead."),
    )


# A redemption's state as the refusals below name it ("This redemption is pending").
STATE_WORDS = {
    RedemptionStatus.PENDING: pgettext_lazy("this redemption is", "pending"),
    RedemptionStatus.APPROVED: pgettext_lazy("this redemption is", "approved"),
    RedemptionStatus.FULFILLED: pgettext_lazy("this redemption is", "fulfilled"),
    RedemptionStatus.REJECTED: pgettext_lazy("this redemption is", "rejected"),
    RedemptionStatus.CANCELLED: pgettext_lazy("this redemption is", "cancelled"),
}
# One whole sentence for each move the lifecycle allows, by where it starts and ends.
TRANSITION_REFUSALS = {
    (RedemptionStatus.PENDING, RedemptionStatus.APPROVED): gettext_lazy(
        "This redemption is %(state)s; only a pending one can become approved."
    ),
    (RedemptionStatus.APPROVED, RedemptionStatus.FULFILLED): gettext_lazy(
        "This redemption is %(state)s; only an approved one can become fulfilled."
    ),
    (RedemptionStatus.PENDING, RedemptionStatus.REJECTED): gettext_lazy(
        "This redemption is %(state)s; only a pending one can become rejected."
    ),
    (RedemptionStatus.PENDING, RedemptionStatus.CANCELLED): gettext_lazy(
        "This redemption is %(state)s; only a pending one can become cancelled."
    ),
}


def check_transition(
    redemption: Redemption, *, allowed_from: RedemptionStatus, to: RedemptionStatus
) -> None:
    """The move is in the lifecycle; caller holds the redemption's lock."""
    if redemption.status != allowed_from:
        state = STATE_WORDS[RedemptionStatus(redemption.status)]
        raise InvalidTransition(TRANSITION_REFUSALS[allowed_from, to] % {"state": state})


def approve_redemption(*, redemption_id: int, actor: User) -> Redemption:
    with transaction.atomic():
        redemption = _locked(redemption_id)
        check_can_decide(actor, redemption)
        check_transition(
            redemption, allowed_from=RedemptionStatus.PENDING, to=RedemptionStatus.APPROVED
        )
        redemption.status = RedemptionStatus.APPROVED
        redemption.decided_by = actor
        redemption.save(update_fields=["status", "decided_by", "updated_at"])
        _record_redemption_event(EventType.REDEMPTION_APPROVED, redemption, actor=actor)
    return redemption


def fulfil_redemption(*, redemption_id: int, actor: User) -> Redemption:
    with transaction.atomic():
        redemption = _locked(redemption_id)
        check_can_fulfil(actor)
        check_transition(
            redemption, allowed_from=RedemptionStatus.APPROVED, to=RedemptionStatus.FULFILLED
        )
        redemption.status = RedemptionStatus.FULFILLED
        _assign_code(redemption)
        redemption.save(update_fields=["status", "updated_at"])
        _record_redemption_event(EventType.REDEMPTION_FULFILLED, redemption, actor=actor)
    return redemption


def _refund(redemption: Redemption, *, actor: User, reason: str | None = None) -> None:
    """Give the points back and put the item back in stock, as ledger lines: a
    rejection's (with its ``reason``) or, without one, a cancellation's."""
    reward = redemption.reward
    if reward.stock is not None:
        Reward.all_objects.filter(pk=reward.pk).update(stock=F("stock") + 1)
        run_after_commit(invalidate_catalog)
    balance, reserve = balance_and_reserve(redemption.user)
    if reason is None:
        description = description_in_company_language(
            # Translators: a ledger line's description.
            gettext_noop("Refund for %(reward)s: cancelled"),
            reward=reward.name,
        )
    else:
        description = description_in_company_language(
            # Translators: a ledger line's description; the reason is the decider's words.
            gettext_noop("Refund for %(reward)s: rejected (%(reason)s)"),
            reward=reward.name,
            reason=reason,
        )
    post_transaction(
        kind=TransactionKind.REFUND,
        legs=[(reserve, -redemption.cost), (balance, redemption.cost)],
        description=Truncator(description).chars(MAX_DESCRIPTION_LENGTH),
        created_by=actor,
        reference=f"redemption:{redemption.pk}:refund",
    )


def reject_redemption(*, redemption_id: int, actor: User, reason: str) -> Redemption:
    """Reject and refund. ``reason`` as the door received it: it is judged here, after
    the caller and the redemption's state, so who may not decide learns nothing from it."""
    with transaction.atomic():
        redemption = _locked(redemption_id)
        check_can_decide(actor, redemption)
        check_transition(
            redemption, allowed_from=RedemptionStatus.PENDING, to=RedemptionStatus.REJECTED
        )
        reason = check_rejection_reason(reason)
        redemption.status = RedemptionStatus.REJECTED
        redemption.decided_by = actor
        redemption.reason = reason
        redemption.save(update_fields=["status", "decided_by", "reason", "updated_at"])
        _refund(redemption, actor=actor, reason=reason)
        _record_redemption_event(EventType.REDEMPTION_REJECTED, redemption, actor=actor)
    return redemption


def cancel_redemption(*, redemption_id: int, actor: User) -> Redemption:
    """The redeemer takes back a pending redemption: refund, stock back."""
    with transaction.atomic():
        redemption = _locked(redemption_id)
        check_can_cancel(actor, redemption)
        check_transition(
            redemption, allowed_from=RedemptionStatus.PENDING, to=RedemptionStatus.CANCELLED
        )
        redemption.status = RedemptionStatus.CANCELLED
        redemption.save(update_fields=["status", "updated_at"])
        _refund(redemption, actor=actor)
        _record_redemption_event(EventType.REDEMPTION_CANCELLED, redemption, actor=actor)
    return redemption


# --- Reward codes (gift cards, vouchers) ----------------------------------------------


def _assign_code(redemption: Redemption) -> None:
    """A coded reward hands exactly one unassigned code to the redemption being fulfilled.

    ``skip_locked`` lets concurrent fulfilments each take a different code instead of
    queueing on the same row; the one-to-one column refuses a second code for one
    redemption. Stock is untouched: it was taken when the redemption was made.
    Caller holds the redemption's lock.
    """
    if not RewardCode.objects.filter(reward_id=redemption.reward_id).exists():
        return
    code = (
        RewardCode.objects.select_for_update(skip_locked=True)
        .filter(reward_id=redemption.reward_id, redemption__isnull=True)
        .order_by("pk")
        .first()
    )
    if code is None:
        raise NoCodeAvailable()
    code.redemption = redemption
    code.assigned_at = timezone.now()
    code.save(update_fields=["redemption", "assigned_at"])
