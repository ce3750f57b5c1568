"""The CSV endpoints answer the CSV to the Accept headers spreadsheet tools and scripts
send, and a problem document (never a 500) to one they cannot satisfy."""

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from plaudit.imports.kinds.employees import EMPLOYEE_COLUMNS
from plaudit.imports.kinds.rewards import REWARD_COLUMNS
from plaudit.people.models import User

from .conftest import csv_text, employee_row

pytestmark = pytest.mark.django_db

ERRORS_HEADER = "row,column,message"
CSV_ACCEPTS = [
    None,
    "text/csv",
    "*/*",
    "text/*",
    "text/csv; charset=utf-8",
    "application/json;q=0.5, text/csv",
]
UNSATISFIABLE_ACCEPTS = ["application/json", "application/problem+json", "image/png"]


@pytest.fixture
def csv_urls(run_import: Callable[..., dict[str, Any]]) -> dict[str, str]:
    """Each CSV endpoint, with the header row it starts with."""
    job = run_import(csv_text([employee_row("E1", email="not-an-email")]))
    return {
        "/api/v1/people/export/": ",".join(EMPLOYEE_COLUMNS),
        "/api/v1/rewards/export/": ",".join(REWARD_COLUMNS),
        job["errors_url"]: ERRORS_HEADER,
    }


def get(client: APIClient, url: str, accept: str | None) -> Any:
    return client.get(url, headers={} if accept is None else {"Accept": accept})


@pytest.mark.parametrize("accept", CSV_ACCEPTS)
def test_a_csv_endpoint_answers_the_csv(hr_client, csv_urls, accept):
    for url, header in csv_urls.items():
        response = get(hr_client, url, accept)

        assert response.status_code == 200, (url, accept)
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        body = b"".join(response.streaming_content).decode()
        assert body.splitlines()[0] == header, (url, accept)


@pytest.mark.parametrize("accept", UNSATISFIABLE_ACCEPTS)
def test_an_accept_a_csv_endpoint_cannot_satisfy_gets_a_406_problem(hr_client, csv_urls, accept):
    for url in csv_urls:
        response = get(hr_client, url, accept)

        assert response.status_code == 406, (url, accept)
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["code"] == "not_acceptable"


def test_a_refusal_asked_for_as_csv_is_still_a_problem_document(
    client_for: Callable[[User | None], APIClient], employee, csv_urls
):
    for url in csv_urls:
        for client, status in [(client_for(employee), 403), (client_for(None), 401)]:
            response = get(client, url, "text/csv")

            assert response.status_code == status, url
            assert response["Content-Type"] == "application/problem+json"
            assert response.json()["status"] == response.status_code
