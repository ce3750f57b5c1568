"""People in and out of the API. Salary is only ever rendered for HR admins (and yourself)."""

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers
from rest_framework_simplejwt.serializers import TokenObtainPairSerializer

from plaudit.core.fields import IdField
from plaudit.core.serializers import FieldsBuiltOnce

from .mfa import check_required_mfa, check_second_factor
from .models import (
    MAX_SALARY,
    SALARY_DECIMAL_PLACES,
    SALARY_MAX_DIGITS,
    User,
    bounded_field,
)
from .roles import Role


class PersonSerializer(FieldsBuiltOnce, serializers.ModelSerializer[User]):
    department = serializers.CharField(
        source="department.name", default=None, read_only=True, allow_null=True
    )

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "first_name",
            "last_name",
            "employee_id",
            "department",
            "title",
            "role",
            "manager",
            "hire_date",
            "is_active",
        ]
        read_only_fields = fields


class PersonWithSalarySerializer(PersonSerializer):
    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "salary"]
        read_only_fields = fields


class PersonInputSerializer(serializers.Serializer[Any]):
    """Create (all required fields) and PATCH (partial) input for HR admins.

    It parses, within the bounds every door shares (:mod:`plaudit.people.models`);
    the people services decide the rest (clashes, reporting loops, who may act).
    """

    # Text within its model field's bounds, refused in the same words as at every door.
    email = serializers.CharField(validators=bounded_field("email").validators)
    first_name = serializers.CharField(
        validators=bounded_field("first_name").validators,
        allow_blank=True,
        required=False,
        default="",
    )
    last_name = serializers.CharField(
        validators=bounded_field("last_name").validators,
        allow_blank=True,
        required=False,
        default="",
    )
    employee_id = serializers.CharField(
        validators=bounded_field("employee_id").validators,
        required=False,
        allow_null=True,
        default=None,
    )
    department = serializers.CharField(
        validators=bounded_field("department").validators,
        required=False,
        allow_null=True,
        allow_blank=True,
        default=None,
    )
    title = serializers.CharField(
        validators=bounded_field("title").validators,
        allow_blank=True,
        required=False,
        default="",
    )
    role = serializers.ChoiceField(choices=Role.choices, required=False, default=Role.EMPLOYEE)
    # Any person: whether they may be a manager is the people services' rule.
    manager = IdField(queryset=User.objects.all(), allow_null=True, required=False, default=None)
    salary = serializers.DecimalField(
        max_digits=SALARY_MAX_DIGITS,
        decimal_places=SALARY_DECIMAL_PLACES,
        min_value=0,
        max_value=MAX_SALARY,
        allow_null=True,
        required=False,
        default=None,
    )
    hire_date = serializers.DateField(allow_null=True, required=False, default=None)
    birth_date = serializers.DateField(allow_null=True, required=False, default=None)
    password = serializers.CharField(
        write_only=True,
        required=False,
        allow_null=True,
        max_length=128,
        style={"input_type": "password"},
        trim_whitespace=False,
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        password = attrs.get("password")
        if password:
            probe = self.instance or User(
                email=attrs.get("email", ""),
                first_name=attrs.get("first_name", ""),
                last_name=attrs.get("last_name", ""),
            )
            try:
                validate_password(password, probe)
            except DjangoValidationError as exc:
                raise serializers.ValidationError({"password": list(exc.messages)}) from exc
        return attrs


class PointsSummarySerializer(serializers.Serializer[Any]):
    balance = serializers.IntegerField()
    allowance_remaining = serializers.IntegerField()


class MeSerializer(PersonWithSalarySerializer):
    points = PointsSummarySerializer(read_only=True)

    class Meta(PersonWithSalarySerializer.Meta):
        # language: a code of settings.LANGUAGES, "" for the browser's; time_zone: an IANA
        # name, "" for the company's.
        fields = [*PersonWithSalarySerializer.Meta.fields, "points", "language", "time_zone"]
        read_only_fields = fields


class PreferencesInputSerializer(serializers.Serializer[Any]):
    """``PATCH /me/``: the caller's own language and time zone, nothing else.

    It parses; ``set_preferences`` decides (the model's validators, the same refusal at
    every door). Any other field is refused by name rather than ignored, so a client
    never believes it changed what only HR changes.
    """

    language = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        help_text=_("A language code: en, fr, de or es; empty for the browser's language."),
    )
    time_zone = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        help_text=_("An IANA time zone such as Europe/Paris; empty for the company's."),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        given = self.initial_data if isinstance(self.initial_data, dict) else {}
        unknown = sorted(set(given) - set(self.fields))
        if unknown:
            message = _("Only language and time_zone can be changed here.")
            raise serializers.ValidationError({name: [message] for name in unknown})
        return attrs


class TopSalarySerializer(serializers.ModelSerializer[User]):
    name = serializers.CharField(source="get_full_name", read_only=True)
    department = serializers.CharField(
        source="department.name", default=None, read_only=True, allow_null=True
    )

    class Meta:
        model = User
        fields = ["id", "name", "department", "salary"]
        read_only_fields = fields


@extend_schema_serializer(component_name="TokenObtainPair")
class TokenPairSerializer(serializers.Serializer[Any]):
    """What the token endpoint answers, for the schema: the component clients were
    generated from (drf-spectacular's own extension only knows simplejwt's serializer)."""

    access = serializers.CharField(read_only=True)
    refresh = serializers.CharField(read_only=True)


# The request keeps its component name too (TokenObtainPairRequest).
@extend_schema_serializer(component_name="TokenObtainPair")
class TokenObtainWithSecondFactorSerializer(TokenObtainPairSerializer):
    """``{"email", "password"}``, plus ``"code"`` for a person who uses an authenticator.

    The same rules as the web sign-in (:mod:`plaudit.people.mfa`): a person whose role
    must use MFA and has not enrolled gets no token (``mfa_required``), and one with an
    authenticator app or recovery codes sends a current code (``mfa_code_required``).
    """

    code = serializers.CharField(
        required=False,
        allow_blank=True,
        write_only=True,
        max_length=64,
        help_text=_(
            "The current code from the person's authenticator app, or one of their "
            "recovery codes; required when they use multi-factor authentication."
        ),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, str]:
        code = attrs.pop("code", None)
        data = super().validate(attrs)  # the password check; sets self.user
        check_required_mfa(self.user)
        check_second_factor(self.user, code, request=self.context.get("request"))
        return data
