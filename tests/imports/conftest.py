"""Helpers for the import tests: build CSV files and upload them as an HR admin would."""

import csv
import io
from collections.abc import Callable, Iterable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from plaudit.imports.kinds.employees import EMPLOYEE_COLUMNS
from plaudit.people.models import User

HEADER = ",".join(EMPLOYEE_COLUMNS)


def employee_row(employee_id: str, **fields: Any) -> dict[str, Any]:
    row = {
        "employee_id": employee_id,
        "email": f"{employee_id.lower()}@example.com",
        "first_name": "Ada",
        "last_name": f"Person {employee_id}",
        "department": "Engineering",
        "title": "Engineer",
        "manager_employee_id": "",
        "role": "employee",
        "salary": "50000.00",
        "hire_date": "2024-01-15",
    }
    row.update(fields)
    return row


def csv_text(rows: Iterable[dict[str, Any]], columns: Iterable[str] = EMPLOYEE_COLUMNS) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def csv_file(content: str | bytes, name: str = "people.csv") -> SimpleUploadedFile:
    data = content.encode() if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="text/csv")


@pytest.fixture
def hr_client(client_for: Callable[[User | None], APIClient], hr_admin: User) -> APIClient:
    return client_for(hr_admin)


@pytest.fixture
def upload(hr_client: APIClient, django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    """POST a file to /api/v1/imports/ and run the job (inline, as without a broker)."""

    def post(content: str | bytes, kind: str = "employees", **extra: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return hr_client.post(
                "/api/v1/imports/",
                {"file": csv_file(content), "kind": kind, **extra},
                format="multipart",
            )

    return post


@pytest.fixture
def run_import(upload: Callable[..., Any], hr_client: APIClient) -> Callable[..., dict[str, Any]]:
    """Upload, let the job finish, and return the job as ``GET /imports/{id}/`` shows it."""

    def run(content: str | bytes, kind: str = "employees", **extra: Any) -> dict[str, Any]:
        response = upload(content, kind, **extra)
        assert response.status_code == 202, response.json()
        job = hr_client.get(f"/api/v1/imports/{response.json()['id']}/")
        assert job.status_code == 200
        return dict(job.json())

    return run


def errors_of(client: APIClient, job: dict[str, Any]) -> list[list[str]]:
    response = client.get(job["errors_url"])
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))
