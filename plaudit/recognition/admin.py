"""Admin for recognition: values and milestones are edited here, through their services;
kudos are only inspected.

A recognition moves points, so it is never created or changed in the admin (that
would bypass the allowance check and the ledger); give kudos through the API.
Value edits go through the same services as the API.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plaudit.core.admin import ReadOnlyModelAdmin, SavesThroughServices
from plaudit.core.errors import DomainError
from plaudit.core.forms import show_refusal
from plaudit.core.translated_content_forms import TranslationInputs, TranslationsAdmin
from plaudit.people.models import User

from . import celebrations, services, values
from .models import AddOn, Award, CelebrationMilestone, Comment, CompanyValue, Reaction, Recognition


class CompanyValueForm(TranslationInputs):
    class Meta:
        model = CompanyValue
        fields = ["name", "slug", "description", "emoji"]


@admin.register(CompanyValue)
class CompanyValueAdmin(TranslationsAdmin, SavesThroughServices):
    form = CompanyValueForm
    list_display = ["name", "slug", "emoji", "created_at", "deleted_at"]
    list_filter = [("deleted_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "slug", "description"]
    readonly_fields = ["created_at", "updated_at", "deleted_at"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["soft_delete"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[CompanyValue]:
        return CompanyValue.objects.all()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and values.can_edit_values(request.user)  # type: ignore[arg-type]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and values.can_edit_values(
            request.user  # type: ignore[arg-type]
        )

    def save_model(self, request: HttpRequest, obj: CompanyValue, form: Any, change: bool) -> None:
        """Through the values service, which lower-cases the slug and judges it; a refusal
        is shown on the form (:class:`SavesThroughServices`)."""
        actor: User = request.user  # type: ignore[assignment]
        fields = {
            name: form.cleaned_data[name]
            for name in values.VALUE_FIELDS
            if name in form.cleaned_data
        }
        if change:
            changed = {name: value for name, value in fields.items() if name in form.changed_data}
            if changed:
                stored = CompanyValue.objects.get(pk=obj.pk)
                values.update_value(stored, actor=actor, **changed)
        else:
            obj.pk = values.create_value(actor=actor, **fields).pk
        obj.refresh_from_db()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # soft delete only: past kudos keep their values

    @admin.action(
        description=gettext_lazy("Retire the selected values (past kudos keep them)"),
        permissions=["change"],
    )
    def soft_delete(self, request: HttpRequest, queryset: QuerySet[CompanyValue]) -> None:
        actor: User = request.user  # type: ignore[assignment]
        for value in queryset:
            values.delete_value(value, actor=actor)


class AwardInline(admin.TabularInline):
    model = Award
    fields = readonly_fields = ("recipient", "points", "add_on", "giver", "created_at")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Award]:
        return super().get_queryset(request).select_related("recipient", "giver")


class CommentInline(admin.TabularInline):
    model = Comment
    fields = readonly_fields = ("author", "body", "created_at")
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Comment]:
        return super().get_queryset(request).select_related("author")


@admin.register(Recognition)
class RecognitionAdmin(ReadOnlyModelAdmin):
    list_display = ["id", "kind", "giver", "short_message", "created_at"]
    list_filter = ["kind", "created_at", "values"]
    list_select_related = ["giver"]
    search_fields = ["message", "giver__email", "giver__last_name", "occasion"]
    date_hierarchy = "created_at"
    fields = readonly_fields = (
        "kind",
        "giver",
        "message",
        "values",
        "occasion",
        "transaction",
        "created_at",
    )
    inlines = [AwardInline, CommentInline]

    @admin.display(description=gettext_lazy("Message"))
    def short_message(self, obj: Recognition) -> str:
        return obj.message if len(obj.message) <= 80 else f"{obj.message[:77]}..."


@admin.register(Award)
class AwardAdmin(ReadOnlyModelAdmin):
    list_display = ["id", "recognition", "giver", "recipient", "points", "add_on", "created_at"]
    list_filter = ["recognition__kind", "created_at"]
    list_select_related = ["recognition", "giver", "recipient", "add_on"]
    search_fields = ["recipient__email", "recipient__last_name", "giver__email", "giver__last_name"]
    readonly_fields = ["recognition", "add_on", "giver", "recipient", "points", "created_at"]


@admin.register(AddOn)
class AddOnAdmin(ReadOnlyModelAdmin):
    list_display = ["id", "recognition", "giver", "points", "created_at"]
    list_filter = ["created_at"]
    list_select_related = ["recognition", "giver"]
    search_fields = ["giver__email", "giver__last_name"]
    readonly_fields = ["recognition", "giver", "points", "transaction", "created_at"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Moderation: HR may remove a comment; nobody edits what someone else wrote."""

    list_display = ["id", "recognition", "author", "body", "created_at"]
    list_filter = ["created_at"]
    list_select_related = ["recognition", "author"]
    search_fields = ["body", "author__email", "author__last_name"]
    readonly_fields = ["recognition", "author", "body", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.removable_by(request.user))

    def delete_model(self, request: HttpRequest, obj: Comment) -> None:
        services.delete_comment(actor=request.user, comment=obj)  # type: ignore[arg-type]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        """One by one through the service: it decides whose comments this person may remove."""
        for comment in queryset:
            try:
                services.delete_comment(actor=request.user, comment=comment)  # type: ignore[arg-type]
            except DomainError as exc:
                # Translators: a comment that was not removed, and why.
                refusal = _("%(comment)s: %(refusal)s") % {
                    "comment": comment,
                    "refusal": exc.detail,
                }
                self.message_user(request, refusal, messages.WARNING)


@admin.register(Reaction)
class ReactionAdmin(ReadOnlyModelAdmin):
    list_display = ["id", "recognition", "user", "emoji", "created_at"]
    list_filter = ["emoji", "created_at"]
    list_select_related = ["recognition", "user"]
    search_fields = ["user__email", "user__last_name", "emoji"]
    readonly_fields = ["recognition", "user", "emoji", "created_at"]


class MilestoneForm(forms.ModelForm):
    """Parses; the celebrations service's rules run early so their words show beside
    the field (the service runs them again as it saves)."""

    class Meta:
        model = CelebrationMilestone
        fields = ["occasion", "years", "points"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not any(self.has_error(name) for name in celebrations.MILESTONE_FIELDS):
            try:
                celebrations.check_milestone(
                    {name: cleaned.get(name) for name in celebrations.MILESTONE_FIELDS},
                    milestone=self.instance,
                )
            except DomainError as exc:
                show_refusal(self, exc)
        return cleaned


@admin.register(CelebrationMilestone)
class CelebrationMilestoneAdmin(SavesThroughServices):
    """Through the celebrations service, as the API's milestones are."""

    form = MilestoneForm
    list_display = ["occasion", "years", "points", "updated_at"]
    list_filter = ["occasion"]
    search_fields = ["occasion"]
    readonly_fields = ["created_at", "updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and celebrations.can_edit_milestones(
            request.user  # type: ignore[arg-type]
        )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and celebrations.can_edit_milestones(
            request.user  # type: ignore[arg-type]
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and celebrations.can_edit_milestones(
            request.user  # type: ignore[arg-type]
        )

    def save_model(
        self, request: HttpRequest, obj: CelebrationMilestone, form: Any, change: bool
    ) -> None:
        actor: User = request.user  # type: ignore[assignment]
        fields = {name: form.cleaned_data.get(name) for name in celebrations.MILESTONE_FIELDS}
        if change:
            changed = {name: value for name, value in fields.items() if name in form.changed_data}
            if changed:
                stored = CelebrationMilestone.objects.get(pk=obj.pk)
                celebrations.update_milestone(stored, actor=actor, **changed)
        else:
            obj.pk = celebrations.create_milestone(actor=actor, **fields).pk
        obj.refresh_from_db()

    def delete_model(self, request: HttpRequest, obj: CelebrationMilestone) -> None:
        celebrations.delete_milestone(obj, actor=request.user)  # type: ignore[arg-type]

    def delete_queryset(
        self, request: HttpRequest, queryset: QuerySet[CelebrationMilestone]
    ) -> None:
        for milestone in queryset:
            celebrations.delete_milestone(milestone, actor=request.user)  # type: ignore[arg-type]
