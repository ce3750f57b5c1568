"""People: the custom user (email sign-in), departments and the management hierarchy.

The bounds of a person's input are defined here once: the model's fields carry them
to the admin's forms, and the API's serializer, the CSV import and the people
services read the same constants.
"""

import zoneinfo
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from plaudit.core.validators import AtLeast, AtMost

from .errors import EmailTaken
from .roles import Role

EMAIL_MAX_LENGTH = 254
NAME_MAX_LENGTH = 150  # a first or a last name
TITLE_MAX_LENGTH = 150
EMPLOYEE_ID_MAX_LENGTH = 64
DEPARTMENT_NAME_MAX_LENGTH = 100
SALARY_MAX_DIGITS = 12
SALARY_DECIMAL_PLACES = 2
MAX_SALARY = Decimal(10**10 - 1)  # whole units; up to 9,999,999,999 a year is plenty

# The unique constraints a clash is told by: the people services name the field.
EMAIL_UNIQUE_IGNORING_CASE = "person_email_unique_ignoring_case"
DEPARTMENT_UNIQUE_IGNORING_CASE = "department_name_unique_ignoring_case"


LANGUAGE_MAX_LENGTH = 10
TIME_ZONE_MAX_LENGTH = 64


def validate_language(value: str) -> None:
    """One of the languages Plaudit ships (settings.LANGUAGES); blank means no choice."""
    if value and value not in dict(settings.LANGUAGES):
        choices = ", ".join(code for code, _name in settings.LANGUAGES)
        raise ValidationError(
            _("Choose one of the languages Plaudit speaks: %(choices)s."),
            # Not "invalid_choice": a model field swaps its own message in for that code.
            code="unknown_language",
            params={"choices": choices},
        )


def validate_time_zone(value: str) -> None:
    """An IANA time zone name (``Europe/Paris``); blank means the company's."""
    if value and value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a time zone name such as Europe/Paris or America/New_York."),
            code="unknown_time_zone",
            params={"value": value},
        )


class Department(models.Model):
    name = models.CharField(_("name"), max_length=DEPARTMENT_NAME_MAX_LENGTH, unique=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name=DEPARTMENT_UNIQUE_IGNORING_CASE,
                violation_error_message=_(
                    "A department with this name already exists (names ignore letter case)."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    """Email is the sign-in name; a superuser is always an HR admin."""

    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **fields: Any) -> "User":
        if not email:
            raise ValueError("Every person needs an email address.")
        user = self.model(email=self.normalize_email(email), **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username: str | None) -> "User":
        """Sign-in ignores the email's letter case (``Ada@X.com`` is ``ada@x.com``).

        Emails that differ only by case are refused at every door and by a unique
        constraint on the lower-cased email; should two such rows exist anyway (a
        database the constraint's migration has not reached yet), the exact spelling
        decides.
        """
        try:
            return self.get(email__iexact=username)
        except self.model.MultipleObjectsReturned:
            return self.get(email=username)

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields.update(is_staff=True, is_superuser=True, role=Role.HR_ADMIN)
        return self._create_user(email, password, **fields)


class User(AbstractUser):
    """A person in the company. Deactivation (``is_active=False``) keeps their history."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), max_length=EMAIL_MAX_LENGTH, unique=True)
    first_name = models.CharField(_("first name"), max_length=NAME_MAX_LENGTH, blank=True)
    last_name = models.CharField(_("last name"), max_length=NAME_MAX_LENGTH, blank=True)
    employee_id = models.CharField(
        _("employee id"), max_length=EMPLOYEE_ID_MAX_LENGTH, unique=True, null=True, blank=True
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH, blank=True)
    manager = models.ForeignKey(
        "self",
        verbose_name=_("manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    salary = models.DecimalField(
        _("salary"),
        max_digits=SALARY_MAX_DIGITS,
        decimal_places=SALARY_DECIMAL_PLACES,
        null=True,
        blank=True,
        validators=[AtLeast(0), AtMost(MAX_SALARY)],
    )
    hire_date = models.DateField(_("hire date"), null=True, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.EMPLOYEE)
    # Blank: the browser's language, else the company's (LANGUAGE_CODE).
    language = models.CharField(
        _("language"),
        max_length=LANGUAGE_MAX_LENGTH,
        blank=True,
        default="",
        validators=[validate_language],
    )
    # Blank: the company's time zone (TIME_ZONE).
    time_zone = models.CharField(
        _("time zone"),
        max_length=TIME_ZONE_MAX_LENGTH,
        blank=True,
        default="",
        validators=[validate_time_zone],
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            models.Index(fields=["last_name", "first_name"]),
            models.Index(fields=["hire_date"]),
            models.Index(fields=["-salary"], name="people_user_salary_desc"),
        ]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name=EMAIL_UNIQUE_IGNORING_CASE,
                violation_error_message=EmailTaken.default_detail,
            ),
            models.CheckConstraint(
                condition=Q(salary__isnull=True) | Q(salary__gte=0),
                name="salary_not_negative",
                violation_error_message=_("A salary cannot be negative."),
            ),
            models.CheckConstraint(
                condition=~Q(manager=models.F("pk")),
                name="person_not_own_manager",
                violation_error_message=_("A person cannot be their own manager."),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email


def bounded_field(name: str) -> "models.Field[Any, Any]":
    """The model field that bounds a person's input ``name`` (``department``: its name's).

    Its validators are every door's: the API's serializer takes them, the admin's form
    has them from the model, the people services and the import clean with the field
    (:func:`plaudit.people.services.check_bound`); a refusal reads the same wherever
    it is made.
    """
    field = (
        Department._meta.get_field("name") if name == "department" else User._meta.get_field(name)
    )
    assert isinstance(field, models.Field)
    return field


GROUP_NAME_MAX_LENGTH = 255
GROUP_UNIQUE_IGNORING_CASE = "group_role_mapping_group_unique_ignoring_case"


class GroupRoleMapping(models.Model):
    """A group of the company's identity provider and the role it gives in Plaudit.

    HR edits this table, the one for every door: at every single sign-on the person's
    role follows the groups the provider sends, and SCIM provisioning applies it to the
    display names of the person's SCIM groups (the highest role any of them maps to):
    :mod:`plaudit.people.sso`, :mod:`plaudit.scim.services`.
    """

    group = models.CharField(
        _("group"),
        max_length=GROUP_NAME_MAX_LENGTH,
        help_text=_(
            "The group's name or id as the identity provider sends it in the groups claim "
            "or attribute (letter case is ignored)."
        ),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["group"]
        verbose_name = _("group to role mapping")
        verbose_name_plural = _("group to role mappings")
        constraints = [
            models.UniqueConstraint(
                Lower("group"),
                name=GROUP_UNIQUE_IGNORING_CASE,
                violation_error_message=_(
                    "This group already has a role (letter case is ignored)."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.group} → {self.get_role_display()}"
