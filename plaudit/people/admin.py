"""Admin for people and departments. Salaries are shown to HR admins only.

A door like the API: its forms run the people services' checks, so a refusal shows
in words beside its field, and save through the services, which check again under
their locks (:func:`plaudit.people.services.update_person`); never ``form.save()``.
People are deactivated, never deleted: their history stays.
"""

from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from plaudit.audit import actions as audit
from plaudit.audit.services import record_view
from plaudit.core.admin import SavesThroughServices
from plaudit.core.errors import DomainError
from plaudit.core.forms import show_refusal

from . import services, sso
from .access import HR_ADMINS_GROUP, sync_admin_access
from .models import Department, GroupRoleMapping, User
from .roles import is_hr_admin

SALARY = "salary"


class MemberInline(admin.TabularInline):
    model = User
    fk_name = "department"
    fields = readonly_fields = ("email", "first_name", "last_name", "title", "role", "is_active")
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name = gettext_lazy("member")
    verbose_name_plural = gettext_lazy("members")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    inlines = [MemberInline]


class ChecksThroughServices(forms.BaseForm):
    """A form whose ``clean()`` runs the people services' checks for who asks
    (``actor``, set for each request by :meth:`UserAdmin.get_form`): a refusal shows in
    words beside its field, or atop the form."""

    actor: User

    def check_with_services(self) -> None:
        raise NotImplementedError

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        try:
            self.check_with_services()
        except DomainError as exc:
            show_refusal(self, exc)
        return cleaned


class PersonChangeForm(ChecksThroughServices, UserChangeForm):
    def person_changes(self) -> dict[str, Any]:
        """The fields this form changed, as the people services take them."""
        return {
            name: self.cleaned_data[name]
            for name in self.changed_data
            if name in services.CHANGEABLE_FIELDS and name in self.cleaned_data
        }

    def check_with_services(self) -> None:
        services.check_person_change(
            actor=self.actor, person=self.instance, changes=self.person_changes()
        )


class PersonCreationForm(ChecksThroughServices, AdminUserCreationForm):
    def person_fields(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in self.fields
            if name in services.PERSON_FIELDS and name in self.cleaned_data
        }

    def check_with_services(self) -> None:
        services.check_new_person(actor=self.actor, fields=self.person_fields())

    def new_password(self) -> str | None:
        return self.cleaned_data["password1"] if self.cleaned_data["set_usable_password"] else None


@admin.register(User)
class UserAdmin(SavesThroughServices, DjangoUserAdmin):
    form = PersonChangeForm
    add_form = PersonCreationForm
    ordering = ["last_name", "first_name", "id"]
    list_display = [
        "email",
        "first_name",
        "last_name",
        "employee_id",
        "department",
        "title",
        "role",
        "manager",
        SALARY,
        "is_active",
    ]
    list_filter = ["role", "is_active", "is_staff", "department"]
    search_fields = ["email", "first_name", "last_name", "employee_id"]
    list_select_related = ["department", "manager"]
    autocomplete_fields = ["manager", "department"]
    readonly_fields = ["last_login", "date_joined"]
    actions = ["deactivate"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            gettext_lazy("Person"),
            {
                "fields": (
                    "first_name",
                    "last_name",
                    "employee_id",
                    "department",
                    "title",
                    "manager",
                    "role",
                    SALARY,
                    "hire_date",
                    "birth_date",
                )
            },
        ),
        (gettext_lazy("Access"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (gettext_lazy("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "password1", "password2", "role")}),
    )

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        """A form class of its own for this request, which knows who asks."""
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user
        return form

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        """Through the people services; ``obj`` then shows what they saved."""
        actor = cast(User, request.user)
        if change:
            saved = services.update_person(obj, actor=actor, **form.person_changes())
        else:
            saved = services.create_person(
                actor=actor, password=form.new_password(), **form.person_fields()
            )
        for field in User._meta.concrete_fields:
            setattr(obj, field.attname, getattr(saved, field.attname))
        obj._state.adding, obj._state.db = False, saved._state.db

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """The form's groups are saved as chosen; the role's own group follows the role."""
        super().save_related(request, form, formsets, change)
        sync_admin_access([form.instance])

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "groups":  # the role decides who is in the HR admins' group
            kwargs["queryset"] = Group.objects.exclude(name=HR_ADMINS_GROUP)
            kwargs["help_text"] = _("HR admins are in the “%(group)s” group by their role.") % {
                "group": HR_ADMINS_GROUP
            }
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> Any:
        """Setting someone's password is HR's, as every other change to them (and a
        superuser's is another superuser's)."""
        actor = cast(User, request.user)
        person = self.get_object(request, unquote(id))
        try:
            services.check_can_manage_people(actor)
            if person is not None:
                services.check_can_change_superuser(actor, person)
        except DomainError as exc:
            raise PermissionDenied(exc.detail) from exc
        return super().user_change_password(request, id, form_url)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """People are deactivated, never deleted: their history stays, and deleting could
        remove the company's last HR admin behind the services' back."""
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        """Groups carry permissions: only a superuser hands them out (HR's own group
        follows the role), or HR could join a group wider than their role."""
        shown = list(super().get_readonly_fields(request, obj))
        return shown if request.user.is_superuser else [*shown, "groups"]

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        """The list shows HR everyone's salary: a read of salaries, like the API's."""
        if is_hr_admin(request.user):
            record_view(audit.SALARY_VIEWED, actor=request.user, what="admin-people")
        return super().changelist_view(request, extra_context)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> Any:
        """A person's page shows HR their salary."""
        if is_hr_admin(request.user):
            person = self.get_object(request, unquote(object_id))
            if person is not None:
                record_view(
                    audit.SALARY_VIEWED, actor=request.user, what="admin-person", target=person
                )
        return super().change_view(request, object_id, form_url, extra_context)

    def get_list_display(self, request: HttpRequest) -> Any:
        shown = list(super().get_list_display(request))
        return shown if is_hr_admin(request.user) else [f for f in shown if f != SALARY]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if is_hr_admin(request.user):
            return fieldsets
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != SALARY]})
            for name, options in fieldsets
        ]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[User], search_term: str
    ) -> tuple[QuerySet[User], bool]:
        """The manager picker offers active people only."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.GET.get("field_name") == "manager":
            queryset = queryset.filter(is_active=True)
        return queryset, may_have_duplicates

    @admin.action(description=gettext_lazy("Deactivate the selected people (their history stays)"))
    def deactivate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """Each person through the service; whom it refused stays active, and why is said."""
        actor = cast(User, request.user)
        count = 0
        refused: dict[str, list[str]] = {}
        for person in queryset.filter(is_active=True).order_by("pk"):
            try:
                services.deactivate_person(person, actor=actor)
            except DomainError as exc:
                refused.setdefault(str(exc.detail), []).append(str(person))
            else:
                count += 1
        self.message_user(
            request,
            ngettext("Deactivated %(count)s person.", "Deactivated %(count)s people.", count)
            % {"count": count},
        )
        for reason, names in refused.items():
            self.message_user(
                request,
                # Translators: the names of the people left active, then why.
                _("Left active: %(names)s. %(reason)s")
                % {"names": ", ".join(names), "reason": reason},
                messages.WARNING,
            )


@admin.register(GroupRoleMapping)
class GroupRoleMappingAdmin(SavesThroughServices):
    """The identity provider's groups and the roles they give at single sign-on; saved and
    removed through :mod:`plaudit.people.sso`'s services."""

    list_display = ["group", "role"]
    list_editable = ["role"]
    list_filter = ["role"]
    search_fields = ["group"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        sso.set_group_role(
            actor=cast(User, request.user),
            group=obj.group,
            role=obj.role,
            mapping=obj,
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        sso.remove_group_role(actor=cast(User, request.user), mapping=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[GroupRoleMapping]) -> None:
        for mapping in queryset:
            sso.remove_group_role(actor=cast(User, request.user), mapping=mapping)
