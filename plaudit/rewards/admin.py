"""Admin for the catalog and redemptions; every change goes through the rewards services.

Soft delete is the only delete; approving and rejecting are bulk actions that call
``approve_redemption`` / ``reject_redemption`` one by one, so the lifecycle rules,
who may decide, the refund and the outbox events are exactly those of the API. The
forms are the web pages' (:mod:`plaudit.rewards.forms`), and who may edit the
catalog is the service's answer (:func:`~plaudit.rewards.services.can_edit_catalog`).
"""

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from plaudit.core import wording
from plaudit.core.admin import SavesThroughServices
from plaudit.core.errors import DomainError, InvalidInput
from plaudit.core.translated_content_forms import TranslationsAdmin
from plaudit.people.models import User

from . import services
from .forms import RejectionForm, RewardRulesForm
from .models import Redemption, Reward


class AvailabilityFilter(admin.SimpleListFilter):
    title = gettext_lazy("state")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("available", _("Available now")), ("deleted", _("Deleted"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Reward]) -> QuerySet[Reward]:
        if self.value() == "available":
            return Reward.all_objects.filter(pk__in=Reward.objects.available().values("pk"))
        if self.value() == "deleted":
            return queryset.filter(deleted_at__isnull=False)
        return queryset


@admin.register(Reward)
class RewardAdmin(TranslationsAdmin, SavesThroughServices):
    list_display = [
        "name",
        "category",
        "cost",
        "stock",
        "per_user_limit",
        "is_active",
        "available_from",
        "expires_at",
        "deleted_at",
    ]
    list_filter = [AvailabilityFilter, "is_active", "category"]
    search_fields = ["name", "description", "category"]
    readonly_fields = ["deleted_at", "created_at", "updated_at"]
    actions = ["soft_delete"]
    form = RewardRulesForm

    def get_queryset(self, request: HttpRequest) -> QuerySet[Reward]:
        return Reward.all_objects.all()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and services.can_edit_catalog(request.user)  # type: ignore[arg-type]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and services.can_edit_catalog(
            request.user  # type: ignore[arg-type]
        )

    def save_model(self, request: HttpRequest, obj: Reward, form: Any, change: bool) -> None:
        actor: User = request.user  # type: ignore[assignment]
        fields = {
            name: form.cleaned_data[name]
            for name in services.REWARD_FIELDS
            if name in form.cleaned_data
        }
        if change:
            changed = {name: value for name, value in fields.items() if name in form.changed_data}
            if changed:
                services.update_reward(Reward.all_objects.get(pk=obj.pk), actor=actor, **changed)
        else:
            obj.pk = services.create_reward(actor=actor, **fields).pk
        image = form.cleaned_data.get("image")
        if "image" in form.changed_data and image:
            services.set_reward_image(Reward.all_objects.get(pk=obj.pk), image, actor=actor)
        obj.refresh_from_db()
        if notice := obj.closed_window_notice():
            self.message_user(request, notice, messages.WARNING)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # soft delete only: redemptions keep pointing at the reward

    @admin.action(
        description=gettext_lazy("Remove the selected rewards from the catalog (soft delete)"),
        permissions=["change"],
    )
    def soft_delete(self, request: HttpRequest, queryset: QuerySet[Reward]) -> None:
        actor: User = request.user  # type: ignore[assignment]
        for reward in queryset:
            services.delete_reward(reward, actor=actor)


@admin.register(Redemption)
class RedemptionAdmin(admin.ModelAdmin):
    list_display = ["id", "user", "reward", "cost", "status", "decided_by", "created_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["user__email", "user__last_name", "reward__name"]
    list_select_related = ["user", "reward", "decided_by"]
    readonly_fields = [
        "user",
        "reward",
        "cost",
        "status",
        "reason",
        "decided_by",
        "created_at",
        "updated_at",
    ]
    date_hierarchy = "created_at"
    actions = ["approve", "reject"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # redeeming spends someone's points: only they do it

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def _decide(self, request: HttpRequest, queryset: QuerySet[Redemption], decide: Any) -> None:
        done, refused = 0, []
        for redemption in queryset.order_by("pk"):
            try:
                decide(redemption)
                done += 1
            except DomainError as exc:
                # Translators: a redemption's number, and why it was not changed.
                refusal = _("#%(id)s: %(refusal)s") % {"id": redemption.pk, "refusal": exc.detail}
                refused.append(refusal)
        if done:
            updated = ngettext(
                "%(count)s redemption updated.", "%(count)s redemptions updated.", done
            ) % {"count": wording.number(done)}
            self.message_user(request, updated, messages.SUCCESS)
        for message in refused:
            self.message_user(request, message, messages.WARNING)

    @admin.action(description=gettext_lazy("Approve the selected pending redemptions"))
    def approve(self, request: HttpRequest, queryset: QuerySet[Redemption]) -> None:
        actor: User = request.user  # type: ignore[assignment]
        self._decide(
            request,
            queryset,
            lambda r: services.approve_redemption(redemption_id=r.pk, actor=actor),
        )

    @admin.action(
        description=gettext_lazy("Reject the selected pending redemptions (refunds them)…")
    )
    def reject(self, request: HttpRequest, queryset: QuerySet[Redemption]) -> HttpResponse | None:
        """Asks for the reason on an intermediate page, then rejects each one with the
        reason as typed: the service trims it and judges it, and a refusal of the reason
        itself is shown beside it, asked for again."""
        form = RejectionForm(request.POST if "reason" in request.POST else None)
        if form.is_valid():
            try:
                services.check_rejection_reason(form.cleaned_data["reason"])
            except InvalidInput as exc:
                form.add_error("reason", exc.detail)
        if form.is_valid():
            actor: User = request.user  # type: ignore[assignment]
            reason = form.cleaned_data["reason"]
            self._decide(
                request,
                queryset,
                lambda r: services.reject_redemption(
                    redemption_id=r.pk, actor=actor, reason=reason
                ),
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reject redemptions"),
            "redemptions": queryset.select_related("user", "reward"),
            "form": form,
            "opts": self.model._meta,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/rewards/reject_redemptions.html", context)
