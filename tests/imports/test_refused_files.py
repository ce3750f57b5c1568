"""A file that is not a CSV of the kind is refused at once, says what is wrong, changes nothing."""

import pytest
from django.test import override_settings

from plaudit.imports.models import ImportJob
from plaudit.people.models import User
from tests.factories import UserFactory

from .conftest import HEADER, csv_file, csv_text, employee_row

pytestmark = [pytest.mark.django_db, pytest.mark.abuse]


def refused(response, status=400):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert not ImportJob.objects.exists()
    return response.json()["detail"]


def test_binary_file_is_refused_as_not_csv(upload, hr_admin):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01" + bytes(range(256))
    assert "binary data" in refused(upload(png))


def test_latin1_file_is_refused_as_not_utf8(upload, hr_admin):
    content = csv_text([employee_row("E1", first_name="Zoë")]).encode("latin-1")
    detail = refused(upload(content))
    assert "not UTF-8" in detail
    assert "line 2" in detail


def test_utf16_file_is_refused(upload, hr_admin):
    content = csv_text([employee_row("E1")]).encode("utf-16")
    assert "UTF" in refused(upload(content))


def test_wrong_header_names_the_missing_columns(upload, hr_admin):
    detail = refused(upload("id,mail,name\n1,a@example.com,Ada\n"))
    assert detail.startswith("The header lacks the columns employee_id, email, first_name,")
    assert "An employees file has the columns employee_id,email," in detail


def test_semicolon_separated_file_gets_a_hint_about_commas(upload, hr_admin):
    content = HEADER.replace(",", ";") + "\nE1;e1@example.com;;;;;;;;\n"
    assert "separated by commas" in refused(upload(content))


def test_empty_file_is_refused(upload, hr_admin):
    assert refused(upload(b"")) == "The file is empty."


def test_file_of_blank_lines_is_refused_as_empty(upload, hr_admin):
    assert refused(upload("\n\n\r\n")) == "The file is empty."


def test_header_only_file_is_refused(upload, hr_admin):
    assert refused(upload(HEADER + "\n")) == "The file has a header but no rows."


def test_a_one_megabyte_cell_is_refused_with_its_line(upload, hr_admin):
    content = csv_text([employee_row("E1"), employee_row("E2", title="x" * 1_048_576)])
    detail = refused(upload(content))
    assert "Line 3" in detail


def test_ten_thousand_columns_are_refused(upload, hr_admin):
    header = HEADER + "," + ",".join(f"extra{i}" for i in range(10_000 - 10))
    assert "10,000 columns" in refused(upload(header + "\n" + "x," * 9_999 + "x\n"))


def test_broken_quoting_is_refused_with_its_line(upload, hr_admin):
    content = HEADER + '\nE1,"e1@example.com,,,,,,,,\n'
    assert "malformed" in refused(upload(content))


def test_duplicate_column_in_header_is_refused(upload, hr_admin):
    assert "appears twice" in refused(upload(HEADER + ",email\n" + "E1," * 10 + "x\n"))


def test_missing_file_or_kind_is_a_validation_error(hr_client):
    response = hr_client.post("/api/v1/imports/", {"kind": "employees"}, format="multipart")
    assert response.status_code == 400
    assert "file" in response.json()["errors"]
    response = hr_client.post(
        "/api/v1/imports/", {"file": csv_file(HEADER), "kind": "planets"}, format="multipart"
    )
    assert response.status_code == 400
    assert "kind" in response.json()["errors"]


def test_json_body_is_refused_as_unsupported_media_type(hr_client):
    response = hr_client.post("/api/v1/imports/", {"kind": "employees"}, format="json")
    assert response.status_code == 415


@override_settings(PLAUDIT={"IMPORT_MAX_BYTES": 1000, "CODES_KEYS": []})
def test_file_over_the_size_limit_is_refused_with_413(upload, hr_admin):
    content = csv_text([employee_row(f"E{i}") for i in range(50)])
    assert len(content) > 1000
    detail = refused(upload(content), status=413)
    assert "limit is 1000 bytes" in detail


def test_only_hr_admins_may_import(client_for, employee):
    response = client_for(employee).post(
        "/api/v1/imports/",
        {"file": csv_file(csv_text([employee_row("E1")])), "kind": "employees"},
        format="multipart",
    )
    assert response.status_code == 403
    assert not ImportJob.objects.exists()


def test_ragged_rows_are_rejected_and_change_nothing(run_import, hr_client):
    UserFactory(employee_id="E1", first_name="Before")
    content = HEADER + "\nE1,e1@example.com,After\nE2,e2@example.com,,,,,,,,,,,\n"
    job = run_import(content)
    assert job["status"] == "succeeded"
    assert (job["created"], job["updated"], job["failed"]) == (0, 0, 2)
    assert User.objects.get(employee_id="E1").first_name == "Before"
    assert not User.objects.filter(employee_id="E2").exists()
