"""People in and out of the API. Salary is only ever rendered for HR admins (and yourself)."""

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from plaudit.core.fields import IdField
from plaudit.core.serializers import FieldsBuiltOnce

from .models import User
from .roles import Role

MAX_SALARY = 10**10 - 1


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
    """Create (all required fields) and PATCH (partial) input for HR admins."""

    email = serializers.EmailField(max_length=254)
    first_name = serializers.CharField(max_length=150, allow_blank=True, required=False, default="")
    last_name = serializers.CharField(max_length=150, allow_blank=True, required=False, default="")
    employee_id = serializers.CharField(
        max_length=64, required=False, allow_null=True, default=None
    )
    department = serializers.CharField(
        max_length=100, required=False, allow_null=True, allow_blank=True, default=None
    )
    title = serializers.CharField(max_length=150, allow_blank=True, required=False, default="")
    role = serializers.ChoiceField(choices=Role.choices, required=False, default=Role.EMPLOYEE)
    manager = IdField(
        queryset=User.objects.filter(is_active=True), allow_null=True, required=False, default=None
    )
    salary = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
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

    def validate_email(self, value: str) -> str:
        existing = User.objects.filter(email__iexact=value)
        if self.instance is not None:
            existing = existing.exclude(pk=self.instance.pk)
        if existing.exists():
            raise serializers.ValidationError("Another person already has this email.")
        return value

    def validate_employee_id(self, value: str | None) -> str | None:
        if not value:
            return None
        existing = User.objects.filter(employee_id=value)
        if self.instance is not None:
            existing = existing.exclude(pk=self.instance.pk)
        if existing.exists():
            raise serializers.ValidationError("Another person already has this employee id.")
        return value

    def validate_manager(self, value: User | None) -> User | None:
        if value is not None and self.instance is not None and value.pk == self.instance.pk:
            raise serializers.ValidationError("A person cannot be their own manager.")
        return value

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
        fields = [*PersonWithSalarySerializer.Meta.fields, "points"]
        read_only_fields = fields


class TopSalarySerializer(serializers.ModelSerializer[User]):
    name = serializers.CharField(source="get_full_name", read_only=True)
    department = serializers.CharField(
        source="department.name", default=None, read_only=True, allow_null=True
    )

    class Meta:
        model = User
        fields = ["id", "name", "department", "salary"]
        read_only_fields = fields
