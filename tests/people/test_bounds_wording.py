"""Input out of bounds is refused in the same words at every door.

The bounds are defined once (:mod:`plaudit.people.models`); the API's serializer, the
admin's form, the employee import and the people services all refuse with the model
field's own validators, so a person who meets the limit in one place reads the same
sentence in another (the tests beside these in ``test_one_door`` check the field named).
"""

from typing import Any

import pytest

from plaudit.core.errors import InvalidInput
from plaudit.people import services
from tests.people import test_one_door
from tests.people.test_one_door import (
    admin_browser,
    api,
    employee_csv,
    form_errors,
    post_admin_change,
    row_of,
)

import_through_api = test_one_door.import_through_api  # the fixture, shared

pytestmark = pytest.mark.django_db

OUT_OF_BOUNDS = [
    pytest.param("first_name", "x" * 151, id="first_name-151"),
    pytest.param("last_name", "x" * 151, id="last_name-151"),
    pytest.param("title", "x" * 151, id="title-151"),
    pytest.param("employee_id", "E" * 65, id="employee_id-65"),
    pytest.param("email", "a" * 250 + "@example.com", id="email-262"),
    pytest.param("email", "not-an-email", id="email-invalid"),
    pytest.param("department", "D" * 101, id="department-101"),
]
THE_ADMIN_SHOWS = {"first_name", "last_name", "title", "employee_id", "email"}


def the_words(field: str, value: Any) -> str:
    with pytest.raises(InvalidInput) as refused:
        services.check_bound(field, value)
    return refused.value.detail


@pytest.mark.parametrize(("field", "value"), OUT_OF_BOUNDS)
def test_api_words_a_refusal_as_the_services_do(hr_admin, employee, field, value):
    response = api(hr_admin).patch(f"/api/v1/people/{employee.pk}/", {field: value})

    assert response.status_code == 400
    assert response.json()["errors"] == {field: [the_words(field, value)]}


@pytest.mark.parametrize(("field", "value"), OUT_OF_BOUNDS)
def test_service_words_a_refusal_as_the_model_field_does(employee, field, value):
    with pytest.raises(InvalidInput) as refused:
        services.update_person(employee, actor=None, **{field: value})

    assert (refused.value.field, refused.value.detail) == (field, the_words(field, value))


@pytest.mark.parametrize(("field", "value"), OUT_OF_BOUNDS)
def test_admin_words_a_refusal_as_the_services_do(hr_admin, employee, field, value):
    if field not in THE_ADMIN_SHOWS:
        pytest.skip("the admin picks a department from a list")

    response = post_admin_change(admin_browser(hr_admin), employee, **{field: value})

    assert form_errors(response)[field][0] == the_words(field, value)


@pytest.mark.parametrize(("field", "value"), OUT_OF_BOUNDS)
def test_import_words_a_refusal_as_the_services_do(
    hr_admin, employee, import_through_api, field, value
):
    row = row_of(employee, **{field: value})
    if field == "employee_id":  # the key: a new row with a key too long
        row["email"] = "someone.new@example.com"

    job, errors = import_through_api(hr_admin, employee_csv(row))

    assert job["failed"] == 1
    assert errors == [["2", field, the_words(field, value)]]
