"""The reward catalog, redeeming, one's own redemptions and one's points history.

A redemption from the page carries an idempotency key in its form, so a double click
or a resubmitted form redeems once and replays the first answer.
"""

import hashlib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from plaudit.core import wording
from plaudit.core.errors import DomainError
from plaudit.core.idempotency import claimed_key, store_answer
from plaudit.ledger.models import Entry
from plaudit.ledger.selectors import entries_for
from plaudit.people.models import User
from plaudit.rewards import services as reward_services
from plaudit.rewards.eligibility import reasons_not_to_redeem
from plaudit.rewards.models import Redemption, Reward
from plaudit.rewards.selectors import (
    catalog_categories,
    catalog_for,
    redemptions_visible_to,
    rewards_visible_to,
)
from plaudit.web.forms import CatalogSearchForm, RedeemForm

from .from_request import is_htmx, signed_in

REDEEM_SCOPE = "web.redemptions.create"


class RewardCatalogView(LoginRequiredMixin, ListView):
    """The catalog with search and filters; htmx asks for just the list when a filter changes."""

    template_name = "web/rewards/catalog.html"
    context_object_name = "rewards"
    paginate_by = 24

    def get_form(self) -> CatalogSearchForm:
        return CatalogSearchForm(
            self.request.GET or None, categories=catalog_categories(signed_in(self.request))
        )

    def get_queryset(self) -> QuerySet[Reward]:
        form = self.get_form()
        filters: dict[str, Any] = {}
        if form.is_valid():
            filters = {
                "search": form.cleaned_data["q"].strip(),
                "category": form.cleaned_data["category"],
                "max_cost": form.cleaned_data["max_cost"],
            }
        return catalog_for(signed_in(self.request), **filters)

    def get_template_names(self) -> list[str]:
        if is_htmx(self.request) and self.request.headers.get("HX-Target") == "reward-list":
            return ["web/rewards/_list.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["form"] = self.get_form()
        # Why a reward cannot be redeemed, by the redeem rule itself: its button is disabled.
        rewards = context["rewards"] = list(context["rewards"])
        reasons = reasons_not_to_redeem(signed_in(self.request), rewards)
        for reward in rewards:
            reward.cannot_redeem = reasons.get(reward.pk, "")
        context["query"] = self.request.GET.copy()
        context["query"].pop("page", None)
        return context


def _redeem_once(user: User, reward: Reward, key: str) -> tuple[int, dict[str, Any], bool]:
    """Redeem under the form's idempotency key: a repeat replays the first answer.

    The third value says whether the answer is a replay, so the page can say the
    redemption was already made rather than announce it a second time.
    """
    fingerprint = hashlib.sha256(f"reward:{reward.pk}".encode()).hexdigest()
    with claimed_key(user=user, scope=REDEEM_SCOPE, key=key, fingerprint=fingerprint) as record:
        if record.response_status is not None:
            return record.response_status, dict(record.response_body or {}), True
        body: dict[str, Any]
        try:
            with transaction.atomic():
                redemption = reward_services.redeem_reward(user=user, reward_id=reward.pk)
            status, body = 201, {"redemption": redemption.pk}
        except DomainError as exc:
            status, body = exc.status, {"error": str(exc.detail), "code": exc.code}
        store_answer(record, status=status, body=body)
        return status, body, False


@login_required
@require_POST
def redeem(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    reward = get_object_or_404(rewards_visible_to(user), pk=pk)
    form = RedeemForm(request.POST)
    body: dict[str, Any]
    replayed = False
    if not form.is_valid():
        status, body = 400, {"error": _("The form was out of date; reload the page and try again.")}
    else:
        try:
            key = str(form.cleaned_data["idempotency_key"])
            status, body, replayed = _redeem_once(user, reward, key)
        except DomainError as exc:  # the key itself was refused (in use, reused)
            status, body = exc.status, {"error": str(exc.detail)}
    redemption = None
    if "redemption" in body:
        redemption = Redemption.objects.select_related("reward").get(pk=body["redemption"])
    if not is_htmx(request):
        name = reward.localised.name  # in the reader's language, as the company wrote it
        if redemption is not None and replayed:
            messages.info(
                request,
                _("You had already redeemed %(reward)s; it counts once.") % {"reward": name},
            )
            return redirect("web:my-redemptions")
        if redemption is not None:
            messages.success(
                request,
                _("You redeemed %(reward)s; it now awaits approval.") % {"reward": name},
            )
            return redirect("web:my-redemptions")
        messages.error(request, body["error"])
        return redirect("web:rewards")
    context = {
        "reward": reward,
        "redemption": redemption,
        "replayed": replayed,
        "error": body.get("error"),
    }
    return render(request, "web/rewards/_redeem_result.html", context, status=status)


class MyRedemptionsView(LoginRequiredMixin, ListView):
    template_name = "web/rewards/my_redemptions.html"
    context_object_name = "redemptions"
    paginate_by = 20

    def get_queryset(self) -> QuerySet[Redemption]:
        me = signed_in(self.request)
        return redemptions_visible_to(me).filter(user=me)


@login_required
@require_POST
def cancel_redemption(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    redemption = get_object_or_404(redemptions_visible_to(user).filter(user=user), pk=pk)
    try:
        reward_services.cancel_redemption(redemption_id=redemption.pk, actor=user)
        back = ngettext(
            "Cancelled; %(points)s is back in your balance.",
            "Cancelled; %(points)s are back in your balance.",
            redemption.cost,
        ) % {"points": wording.points(redemption.cost)}
        messages.success(request, back)
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("web:my-redemptions")


class PointsHistoryView(LoginRequiredMixin, ListView):
    template_name = "web/points_history.html"
    context_object_name = "entries"
    paginate_by = 25

    def get_queryset(self) -> QuerySet[Entry]:
        return entries_for(signed_in(self.request))
