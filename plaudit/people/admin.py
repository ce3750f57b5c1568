"""Admin for people and departments. Salaries are shown to HR admins only.

The form applies the services' manager-loop rule beside the field; deactivation is
a bulk action calling :func:`plaudit.people.services.deactivate_person`.
"""

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from plaudit.core.errors import DomainError

from . import services
from .models import Department, User
from .roles import is_hr_admin

SALARY = "salary"


class MemberInline(admin.TabularInline):
    model = User
    fk_name = "department"
    fields = readonly_fields = ("email", "first_name", "last_name", "title", "role", "is_active")
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name = "member"
    verbose_name_plural = "members"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    inlines = [MemberInline]


class PersonChangeForm(UserChangeForm):
    def clean_manager(self) -> User | None:
        """The same reporting-loop rule as the API, shown beside the field."""
        manager: User | None = self.cleaned_data.get("manager")
        try:
            services.check_manager(self.instance, manager)
        except DomainError as exc:
            raise ValidationError(exc.detail, code=exc.code) from exc
        return manager


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = PersonChangeForm
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
            "Person",
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
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "password1", "password2", "role")}),
    )

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

    @admin.action(description="Deactivate the selected people (their history stays)")
    def deactivate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        me: User = request.user  # type: ignore[assignment]  # the admin requires a signed-in user
        count = 0
        for person in queryset.filter(is_active=True).exclude(pk=me.pk):
            services.deactivate_person(person, by=me)
            count += 1
        self.message_user(request, f"Deactivated {count} {'person' if count == 1 else 'people'}.")
        if queryset.filter(pk=me.pk, is_active=True).exists():
            self.message_user(
                request, "You were left active: nobody may deactivate themselves.", messages.WARNING
            )
