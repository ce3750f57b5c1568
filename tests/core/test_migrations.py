"""Every model change ships with its migration, the check CI runs before the tests."""

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_is_missing_its_migration():
    written = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=written)
    except SystemExit:
        pytest.fail(f"models changed without a migration:\n{written.getvalue()}")
