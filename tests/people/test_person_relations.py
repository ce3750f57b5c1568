"""What the database does to the rows that point at a person if the person's own row is
deleted (HR deactivates people instead, but a shell or a migration could delete one):
points history is protected, and reports simply lose their manager."""

import pytest
from django.db.models import ProtectedError

from plaudit.ledger.models import Entry
from plaudit.ledger.selectors import balance_of
from plaudit.people.models import User
from tests.factories import ManagerFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_person_with_points_history_cannot_be_deleted():
    person = UserFactory(with_points=25)

    with pytest.raises(ProtectedError):
        person.delete()

    assert User.objects.filter(pk=person.pk).exists()
    assert balance_of(person) == 25
    assert Entry.objects.filter(account__owner=person).count() == 1


def test_deleting_a_manager_leaves_their_reports_without_one():
    manager = ManagerFactory()
    report = UserFactory(manager=manager)

    manager.delete()

    report.refresh_from_db()
    assert report.manager is None
