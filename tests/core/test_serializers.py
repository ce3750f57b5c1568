from decimal import Decimal

import pytest
from rest_framework import serializers

from plaudit.ledger.serializers import EntrySerializer
from plaudit.people.serializers import MeSerializer, PersonSerializer, PersonWithSalarySerializer
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "serializer_class",
    [PersonSerializer, PersonWithSalarySerializer, MeSerializer, EntrySerializer],
)
def test_fields_built_once_are_drfs_own_and_each_serializer_gets_its_own(serializer_class):
    first, second = serializer_class(), serializer_class()
    built_by_drf = serializers.ModelSerializer.get_fields(serializer_class())

    assert repr(first.fields) == repr(second.fields)
    assert {name: repr(field) for name, field in first.fields.items()} == {
        name: repr(field) for name, field in built_by_drf.items()
    }
    assert all(field.parent is first for field in first.fields.values())
    assert all(field.parent is second for field in second.fields.values())


def test_a_person_renders_the_same_from_every_serializer_instance():
    person = UserFactory(salary=Decimal("52000.5"))

    renders = [PersonWithSalarySerializer(person).data for _ in range(3)]

    assert renders[0] == renders[1] == renders[2]
    assert renders[0]["salary"] == "52000.50"
