"""A job runs in its importer's language: what it writes (its message, its rejected rows'
messages) is read by them later, not by whoever's worker ran it."""

from typing import Any

import pytest
from django.utils import translation

from plaudit.imports import attempts, jobs
from plaudit.imports.models import ImportJob
from tests.factories import HRAdminFactory

from .conftest import csv_file, csv_text, employee_row

pytestmark = pytest.mark.django_db


def _language_of_the_run(monkeypatch: pytest.MonkeyPatch, job: ImportJob) -> str | None:
    seen: dict[str, Any] = {}

    def run(job: ImportJob) -> ImportJob:
        seen["language"] = translation.get_language()
        return job

    monkeypatch.setattr(attempts, "_run", run)
    attempts.process_import(job_id=job.pk)
    return seen.get("language")


def _queued(by: Any) -> ImportJob:
    return jobs.start_import(
        upload=csv_file(csv_text([employee_row("E1")])),
        kind="employees",
        created_by=by,
        in_background=False,
    )


def test_a_job_runs_in_the_language_its_importer_chose(monkeypatch):
    job = _queued(HRAdminFactory(language="fr"))

    with translation.override("de"):  # the worker's, or the request's: not theirs
        assert _language_of_the_run(monkeypatch, job) == "fr"


def test_an_importer_who_chose_no_language_gets_the_companys(monkeypatch, settings):
    settings.LANGUAGE_CODE = "es"
    job = _queued(HRAdminFactory(language=""))

    assert _language_of_the_run(monkeypatch, job) == "es"
