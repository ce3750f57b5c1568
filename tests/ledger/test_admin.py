"""Ledger rows are read-only in the admin, and the lists do not run N+1 queries."""

import pytest
from django.test import Client

from plaudit.ledger.models import Entry, Transaction
from tests.factories import HRAdminFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr_client():
    client = Client()
    client.force_login(HRAdminFactory(is_staff=True, is_superuser=True))
    return client


def test_a_ledger_transaction_can_be_read_but_not_changed_or_deleted(hr_client):
    UserFactory(with_points=50)
    posted = Transaction.objects.get()

    page = hr_client.get(f"/admin/ledger/transaction/{posted.pk}/change/")
    delete = hr_client.post(f"/admin/ledger/transaction/{posted.pk}/delete/", {"post": "yes"})
    add = hr_client.get("/admin/ledger/transaction/add/")

    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert delete.status_code == 403
    assert add.status_code == 403
    assert Transaction.objects.filter(pk=posted.pk).exists()


@pytest.mark.parametrize("url", ["/admin/ledger/entry/", "/admin/ledger/account/"])
def test_ledger_lists_run_a_fixed_number_of_queries(hr_client, url, django_assert_max_num_queries):
    UserFactory.create_batch(25, with_points=10)
    assert Entry.objects.count() == 50

    with django_assert_max_num_queries(12):
        assert hr_client.get(url).status_code == 200
