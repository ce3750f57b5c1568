"""Reads of the catalog and of redemptions (the catalog's cache is in :mod:`.cache`)."""

from typing import Any

from django.db.models import Count, Q, QuerySet

from plaudit.people.models import User
from plaudit.people.roles import is_hr_admin

from .models import COUNTED_STATUSES, Redemption, RedemptionStatus, Reward


def rewards_visible_to(user: User, *, include_deleted: bool = False) -> QuerySet[Reward]:
    """HR admins see the whole catalog (deleted ones on request); others what is available now."""
    if is_hr_admin(user):
        return Reward.all_objects.all() if include_deleted else Reward.objects.all()
    return Reward.objects.available()


def redemptions_visible_to(user: User) -> QuerySet[Redemption]:
    """Your own; a manager also their direct reports'; an HR admin all."""
    redemptions = Redemption.objects.select_related("reward", "user", "code")
    if is_hr_admin(user):
        return redemptions
    return redemptions.filter(Q(user=user) | Q(user__manager=user))


def redemptions_awaiting_decision(user: User) -> QuerySet[Redemption]:
    """Pending redemptions ``user`` may approve or reject: their reports', or all for HR.

    The queue of :func:`~.services.can_decide`: direct reports only, never one's own.
    """
    pending = (
        Redemption.objects.filter(status=RedemptionStatus.PENDING)
        .select_related("reward", "user", "user__department")
        .order_by("created_at", "id")
    )
    if is_hr_admin(user):
        return pending
    return pending.filter(user__manager=user)


def catalog_categories(user: User) -> list[str]:
    """The categories a person can filter the catalog by: those of rewards they can see."""
    categories = (
        rewards_visible_to(user)
        .exclude(category="")
        .order_by("category")
        .values_list("category", flat=True)
        .distinct()
    )
    return list(categories)


def catalog_for(
    user: User, *, search: str = "", category: str = "", max_cost: int | None = None
) -> QuerySet[Reward]:
    """The catalog page's rewards: what ``user`` may see, narrowed by the page's filters."""
    rewards = rewards_visible_to(user)
    if search:
        rewards = rewards.filter(
            Q(name__icontains=search)
            | Q(description__icontains=search)
            | Q(category__icontains=search)
        )
    if category:
        rewards = rewards.filter(category__iexact=category)
    if max_cost is not None:
        rewards = rewards.filter(cost__lte=max_cost)
    return rewards.order_by("cost", "name", "id")


def redemptions_counted_toward_limits(user: User, reward_ids: list[int]) -> dict[int, int]:
    """``{reward id: user's redemptions of it that count toward its per-person limit}``."""
    counted = (
        Redemption.objects.filter(user=user, reward_id__in=reward_ids, status__in=COUNTED_STATUSES)
        .values("reward_id")
        .annotate(count=Count("id"))
        .values_list("reward_id", "count")
    )
    return dict(counted)


def reward_translations(reward_id: int) -> dict[str, Any]:
    """A reward's stored translations (``{}`` for none, or for a reward gone)."""
    found = Reward.all_objects.filter(pk=reward_id).values_list("translations", flat=True).first()
    return found if isinstance(found, dict) else {}
