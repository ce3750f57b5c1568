"""factory_boy factories: the one way tests make people, rewards and points."""

from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from plaudit.ledger.services import grant_points
from plaudit.people.models import Department, User
from plaudit.people.roles import Role
from plaudit.recognition.models import CompanyValue
from plaudit.rewards.models import Reward

TEST_PASSWORD = "correct-horse-battery-staple"


class DepartmentFactory(factory.django.DjangoModelFactory[Department]):
    class Meta:
        model = Department
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Department {n}")


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    employee_id = factory.Sequence(lambda n: f"E{n:05d}")
    department = factory.SubFactory(DepartmentFactory, name="Engineering")
    title = "Engineer"
    role = Role.EMPLOYEE
    salary = factory.Sequence(lambda n: Decimal(50000 + n * 1000))
    hire_date = factory.LazyFunction(lambda: timezone.localdate())
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def with_points(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        amount = extracted or 0
        if create and amount:
            # Someone who has left got their points while they were still here.
            left, obj.is_active = not obj.is_active, True
            grant_points(user=obj, amount=amount, reason="Test grant", granted_by=None)
            obj.is_active = not left


class ManagerFactory(UserFactory):
    role = Role.MANAGER
    title = "Manager"


class HRAdminFactory(UserFactory):
    role = Role.HR_ADMIN
    title = "HR"


class RewardFactory(factory.django.DjangoModelFactory[Reward]):
    class Meta:
        model = Reward

    name = factory.Sequence(lambda n: f"Reward {n}")
    description = "A nice thing."
    category = "Swag"
    cost = 100
    stock = None
    per_user_limit = 1


class CompanyValueFactory(factory.django.DjangoModelFactory[CompanyValue]):
    class Meta:
        model = CompanyValue

    name = factory.Sequence(lambda n: f"Value {n}")
    slug = factory.Sequence(lambda n: f"value-{n}")
    description = "What we care about."
    emoji = "⭐"
