"""A run's progress bookkeeping ends with the run, however it ends."""

import pytest
from django.db import transaction

from plaudit.imports import jobs, progress
from plaudit.imports.models import ImportJob

from .conftest import csv_file, csv_text, employee_row

pytestmark = pytest.mark.django_db


def test_a_superseded_run_forgets_when_it_last_told_of_its_progress(hr_admin):
    job = jobs.start_import(
        upload=csv_file(csv_text([employee_row("S1")])),
        kind="employees",
        created_by=hr_admin,
        in_background=False,
    )
    with transaction.atomic():
        progress.record_progress(job, now=True)
    assert job.pk in progress._last_recorded
    ImportJob.objects.filter(pk=job.pk).update(attempts=job.attempts + 1)  # a newer run

    with pytest.raises(progress.Superseded), transaction.atomic():
        progress.advance(job, processed=1)

    assert job.pk not in progress._last_recorded
