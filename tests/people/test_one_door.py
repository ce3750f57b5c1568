"""The same bad change to a person gets the same refusal at every door, and changes nothing.

The doors: the API; the Django admin (a signed-in browser posting its change form, its
add form or its deactivate action); the CSV import of employees, as the API runs it;
the ``import_csv`` management command; and the people services themselves, as a
command or the shell calls them (``actor=None`` is the operator). Each rule lives
once, in :mod:`plaudit.people.services`; each test drives one rule through one door.
"""

import csv
import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.core.files import File
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.test import Client
from django.utils.html import escape
from rest_framework.test import APIClient

from plaudit.core.constraints import has_human_message
from plaudit.core.errors import InvalidInput, NotAllowed
from plaudit.imports import attempts
from plaudit.imports import jobs as imports
from plaudit.imports.kinds.employees import EMPLOYEE_COLUMNS
from plaudit.imports.models import ImportJob
from plaudit.people import services
from plaudit.people.errors import (
    CannotDeactivateYourself,
    EmailTaken,
    LastHRAdmin,
    PersonConflict,
)
from plaudit.people.models import Department, User
from tests.factories import DepartmentFactory, HRAdminFactory, ManagerFactory, UserFactory

pytestmark = pytest.mark.django_db

NOT_HR = "Only an HR admin may hire, change or deactivate people."
ADMIN_PERMISSIONS = (
    "view_user",
    "add_user",
    "change_user",
    "view_department",
    "add_department",
    "change_department",
)


# --- The doors ---------------------------------------------------------------------------


def api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def admin_browser(user: User) -> Client:
    """A browser signed in to the Django admin, with the people permissions (not a superuser,
    unless ``user`` is one: a superuser is an HR admin whatever their role)."""
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="people", codename__in=ADMIN_PERMISSIONS)
    )
    browser = Client()
    browser.force_login(user)
    return browser


def post_admin_change(browser: Client, person: User, **changes: Any) -> HttpResponse:
    """Open the person's change form and save it with ``changes``, as a browser would."""
    url = f"/admin/people/user/{person.pk}/change/"
    form = browser.get(url).context["adminform"].form
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = changes[name] if name in changes else form[name].value()
        if value is None or value is False:
            continue  # an unticked box is not sent
        data[name] = "on" if value is True else value
    return browser.post(url, data)


def form_errors(response: HttpResponse) -> dict[str, list[str]]:
    assert response.status_code == 200, "the form was saved"
    errors = response.context["adminform"].form.errors
    return {name: list(messages) for name, messages in errors.items()}


def shown(response: HttpResponse, text: str) -> bool:
    return escape(str(text)) in response.content.decode()


def employee_csv(*rows: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(EMPLOYEE_COLUMNS), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(dict.fromkeys(EMPLOYEE_COLUMNS, "") | row)
    return out.getvalue()


def row_of(person: User, **cells: Any) -> dict[str, Any]:
    """The person as a row of the employee CSV, with ``cells`` changed."""
    return {
        "employee_id": person.employee_id,
        "email": person.email,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "department": person.department.name if person.department else "",
        "title": person.title,
        "manager_employee_id": person.manager.employee_id if person.manager else "",
        "role": person.role,
        "salary": "" if person.salary is None else str(person.salary),
        "hire_date": "" if person.hire_date is None else person.hire_date.isoformat(),
    } | cells


ImportRun = tuple[dict[str, Any], list[list[str]]]


@pytest.fixture
def import_through_api(
    django_capture_on_commit_callbacks: Any,
) -> Callable[[User, str], ImportRun]:
    """Upload a CSV to /api/v1/imports/ as ``user``, run it, and read back the job and its
    rejected rows (``[line, column, message]``)."""

    def run(user: User, content: str) -> ImportRun:
        client = api(user)
        with django_capture_on_commit_callbacks(execute=True):
            started = client.post(
                "/api/v1/imports/",
                {"file": io.BytesIO(content.encode()), "kind": "employees"},
                format="multipart",
            )
        assert started.status_code == 202, started.json()
        job = client.get(f"/api/v1/imports/{started.json()['id']}/").json()
        errors = client.get(job["errors_url"])
        text = b"".join(errors.streaming_content).decode()
        return job, list(csv.reader(io.StringIO(text)))[1:]

    return run


def import_with_command(tmp_path: Path, content: str) -> list[list[str]]:
    """``manage.py import_csv``; the rejected rows it leaves (``[line, column, message]``)."""
    path = tmp_path / "people.csv"
    path.write_text(content)
    call_command("import_csv", str(path), "--kind", "employees")
    job = ImportJob.objects.get()
    return [[str(e.row), e.column, e.message] for e in job.row_errors.order_by("row", "id")]


def unchanged(person: User, **expected: Any) -> bool:
    fresh = User.objects.get(pk=person.pk)
    return all(getattr(fresh, name) == value for name, value in expected.items())


# --- The company's last active HR admin ---------------------------------------------------


@pytest.fixture
def only_hr(db: None) -> User:
    """The company's one active HR admin (no superuser either)."""
    return HRAdminFactory(employee_id="HR-1", email="hr@example.com")


def test_api_the_last_hr_admin_cannot_demote_themselves(only_hr):
    response = api(only_hr).patch(f"/api/v1/people/{only_hr.pk}/", {"role": "manager"})

    assert response.status_code == 409
    assert response.json()["code"] == "last_hr_admin"
    assert response.json()["errors"] == {"role": [LastHRAdmin.default_detail]}
    assert unchanged(only_hr, role="hr_admin")


def test_admin_form_the_last_hr_admin_cannot_demote_themselves(only_hr):
    response = post_admin_change(admin_browser(only_hr), only_hr, role="employee")

    assert form_errors(response) == {"role": [LastHRAdmin.default_detail]}
    assert shown(response, LastHRAdmin.default_detail)
    assert unchanged(only_hr, role="hr_admin")


def test_admin_form_the_last_superuser_cannot_untick_their_superuser_box(db):
    boss = UserFactory(role="employee", is_superuser=True)

    response = post_admin_change(admin_browser(boss), boss, is_superuser=False)

    assert form_errors(response) == {"is_superuser": [LastHRAdmin.default_detail]}
    assert unchanged(boss, is_superuser=True)


def test_import_the_last_hr_admin_is_not_demoted_by_a_row(only_hr, import_through_api):
    job, errors = import_through_api(only_hr, employee_csv(row_of(only_hr, role="employee")))

    assert (job["updated"], job["failed"]) == (0, 1)
    assert errors == [["2", "role", LastHRAdmin.default_detail]]
    assert unchanged(only_hr, role="hr_admin")


def test_import_command_the_last_hr_admin_is_not_demoted_by_a_row(only_hr, tmp_path):
    errors = import_with_command(tmp_path, employee_csv(row_of(only_hr, role="manager")))

    assert errors == [["2", "role", LastHRAdmin.default_detail]]
    assert unchanged(only_hr, role="hr_admin")


def test_import_demotes_one_of_two_hr_admins_but_not_both(only_hr, import_through_api):
    other = HRAdminFactory(employee_id="HR-2")

    job, errors = import_through_api(
        only_hr,
        employee_csv(row_of(only_hr, role="employee"), row_of(other, role="employee")),
    )

    assert (job["updated"], job["failed"]) == (1, 1)
    assert errors == [["3", "role", LastHRAdmin.default_detail]]
    assert unchanged(only_hr, role="employee")
    assert unchanged(other, role="hr_admin")


def test_command_the_last_hr_admin_cannot_be_deactivated_or_demoted(only_hr):
    with pytest.raises(LastHRAdmin):
        services.deactivate_person(only_hr, actor=None)
    with pytest.raises(LastHRAdmin):
        services.update_person(only_hr, actor=None, role="employee")
    with pytest.raises(LastHRAdmin):
        services.update_person(only_hr, actor=None, is_active=False)

    assert unchanged(only_hr, role="hr_admin", is_active=True)


def test_a_superuser_keeps_the_company_an_hr_admin(only_hr):
    UserFactory(role="employee", is_superuser=True)

    response = api(only_hr).patch(f"/api/v1/people/{only_hr.pk}/", {"role": "manager"})

    assert response.status_code == 200
    assert unchanged(only_hr, role="manager")


def test_with_two_hr_admins_either_may_be_demoted_or_deactivated(only_hr):
    other = HRAdminFactory()

    assert api(only_hr).patch(f"/api/v1/people/{other.pk}/", {"role": "manager"}).status_code == 200
    assert (
        api(only_hr).patch(f"/api/v1/people/{other.pk}/", {"role": "hr_admin"}).status_code == 200
    )
    assert api(only_hr).delete(f"/api/v1/people/{other.pk}/").status_code == 204
    assert unchanged(other, role="hr_admin", is_active=False)


def test_the_last_hr_admin_may_still_change_everything_else(only_hr):
    response = post_admin_change(admin_browser(only_hr), only_hr, title="Head of People")

    assert response.status_code == 302
    assert unchanged(only_hr, title="Head of People", role="hr_admin")


# --- Nobody deactivates themselves --------------------------------------------------------


@pytest.fixture
def me(db: None) -> User:
    """An HR admin who is not the last one, so only the self rule can refuse them."""
    HRAdminFactory()
    return HRAdminFactory()


def test_api_nobody_deactivates_themselves(me):
    response = api(me).delete(f"/api/v1/people/{me.pk}/")

    assert response.status_code == 409
    assert response.json()["code"] == "cannot_deactivate_yourself"
    assert unchanged(me, is_active=True)


def test_admin_form_nobody_unticks_their_own_active_box(me):
    response = post_admin_change(admin_browser(me), me, is_active=False)

    assert form_errors(response) == {"is_active": [CannotDeactivateYourself.default_detail]}
    assert unchanged(me, is_active=True)


def test_admin_action_nobody_deactivates_themselves(me):
    other = UserFactory()

    response = admin_browser(me).post(
        "/admin/people/user/",
        {"action": "deactivate", "_selected_action": [me.pk, other.pk]},
        follow=True,
    )

    assert shown(response, CannotDeactivateYourself.default_detail)
    assert unchanged(me, is_active=True)
    assert unchanged(other, is_active=False)


def test_service_nobody_deactivates_themselves(me):
    with pytest.raises(CannotDeactivateYourself):
        services.deactivate_person(me, actor=me)
    with pytest.raises(CannotDeactivateYourself):
        services.update_person(me, actor=me, is_active=False)

    assert unchanged(me, is_active=True)


# --- Emails that differ only by letter case ----------------------------------------------


# --- A manager is someone still here ------------------------------------------------------


@pytest.fixture
def gone(db: None) -> User:
    """A manager who has left the company."""
    return ManagerFactory(employee_id="M-GONE", is_active=False, first_name="Gus", last_name="Gone")


def left(manager: User) -> str:
    return services.inactive_manager_message(manager)


def test_api_hiring_refuses_a_manager_who_has_left(gone, hr_admin):
    response = api(hr_admin).post(
        "/api/v1/people/", {"email": "new@example.com", "manager": gone.pk}
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"manager": [left(gone)]}
    assert not User.objects.filter(email="new@example.com").exists()


def test_api_a_change_refuses_a_manager_who_has_left(gone, hr_admin, employee):
    response = api(hr_admin).patch(f"/api/v1/people/{employee.pk}/", {"manager": gone.pk})

    assert response.status_code == 400
    assert response.json()["errors"] == {"manager": [left(gone)]}
    assert unchanged(employee, manager_id=employee.manager_id)


def test_admin_change_form_refuses_a_manager_who_has_left(gone, hr_admin, employee):
    response = post_admin_change(admin_browser(hr_admin), employee, manager=gone.pk)

    assert form_errors(response) == {"manager": [left(gone)]}
    assert unchanged(employee, manager_id=employee.manager_id)


def test_import_refuses_to_put_anyone_under_a_manager_who_has_left(
    gone, hr_admin, import_through_api
):
    job, errors = import_through_api(
        hr_admin,
        employee_csv(
            {"employee_id": "E-NEW", "email": "new@example.com", "manager_employee_id": "M-GONE"}
        ),
    )

    assert (job["created"], job["failed"]) == (0, 1)
    assert errors == [["2", "manager_employee_id", left("The person with employee_id M-GONE")]]
    assert not User.objects.filter(employee_id="E-NEW").exists()


def test_import_leaves_a_report_of_a_manager_who_has_left_where_they_are(
    gone, hr_admin, import_through_api
):
    """As a PATCH of other fields does: re-importing the roster after someone left does
    not reject their reports' rows; only a new report under them is refused."""
    report = UserFactory(employee_id="E-REP", manager=gone)

    job, errors = import_through_api(
        hr_admin, employee_csv(row_of(report, manager_employee_id="M-GONE", title="Lead"))
    )

    assert (job["updated"], job["failed"], errors) == (1, 0, [])
    assert unchanged(report, manager_id=gone.pk, title="Lead")


def test_service_refuses_a_manager_who_has_left(gone, employee):
    with pytest.raises(InvalidInput) as refused:
        services.update_person(employee, actor=None, manager=gone)

    assert (refused.value.field, refused.value.detail) == ("manager", left(gone))
    assert unchanged(employee, manager_id=employee.manager_id)


@pytest.fixture
def ada(db: None) -> User:
    return UserFactory(email="ada@example.com", employee_id="E-ADA")


def test_api_hiring_refuses_an_email_in_other_letter_case(ada, hr_admin):
    response = api(hr_admin).post("/api/v1/people/", {"email": "ADA@Example.com"})

    assert response.status_code == 400
    assert response.json()["errors"] == {"email": [EmailTaken.default_detail]}
    assert User.objects.filter(email__iexact="ada@example.com").count() == 1


def test_api_a_change_refuses_an_email_in_other_letter_case(ada, hr_admin, employee):
    response = api(hr_admin).patch(f"/api/v1/people/{employee.pk}/", {"email": "Ada@example.com"})

    assert response.status_code == 400
    assert response.json()["errors"] == {"email": [EmailTaken.default_detail]}
    assert unchanged(employee, email=employee.email)


def test_admin_change_form_refuses_an_email_in_other_letter_case(ada, hr_admin, employee):
    response = post_admin_change(admin_browser(hr_admin), employee, email="ADA@example.com")

    assert form_errors(response) == {"email": [EmailTaken.default_detail]}
    assert unchanged(employee, email=employee.email)


def test_admin_add_form_refuses_an_email_in_other_letter_case(ada, hr_admin):
    response = admin_browser(hr_admin).post(
        "/admin/people/user/add/",
        {"email": "ADA@EXAMPLE.COM", "role": "employee", "usable_password": "false"},
    )

    assert form_errors(response) == {"email": [EmailTaken.default_detail]}
    assert User.objects.filter(email__iexact="ada@example.com").count() == 1


def test_import_refuses_a_new_row_with_an_email_in_other_letter_case(
    ada, hr_admin, import_through_api
):
    job, errors = import_through_api(
        hr_admin, employee_csv({"employee_id": "E-NEW", "email": "ADA@example.com"})
    )

    assert (job["created"], job["failed"]) == (0, 1)
    assert errors == [["2", "email", EmailTaken.default_detail]]
    assert not User.objects.filter(employee_id="E-NEW").exists()


def test_import_refuses_a_change_to_an_email_in_other_letter_case(
    ada, hr_admin, employee, import_through_api
):
    _job, errors = import_through_api(
        hr_admin, employee_csv(row_of(employee, email="ADA@EXAMPLE.com"))
    )

    assert errors == [["2", "email", EmailTaken.default_detail]]
    assert unchanged(employee, email=employee.email)


def test_import_refuses_the_later_of_two_rows_whose_emails_differ_by_case(
    hr_admin, import_through_api
):
    job, errors = import_through_api(
        hr_admin,
        employee_csv(
            {"employee_id": "E-1", "email": "bo@example.com"},
            {"employee_id": "E-2", "email": "BO@example.com"},
        ),
    )

    assert (job["created"], job["failed"]) == (1, 1)
    assert [(line, column) for line, column, _ in errors] == [("3", "email")]
    assert User.objects.filter(email__iexact="bo@example.com").count() == 1


def test_import_command_refuses_an_email_in_other_letter_case(ada, tmp_path):
    errors = import_with_command(
        tmp_path, employee_csv({"employee_id": "E-NEW", "email": "ADA@example.com"})
    )

    assert errors == [["2", "email", EmailTaken.default_detail]]
    assert not User.objects.filter(employee_id="E-NEW").exists()


def test_service_refuses_an_email_in_other_letter_case(ada):
    with pytest.raises(EmailTaken):
        services.create_person(actor=None, email="Ada@Example.COM")


def test_the_database_refuses_an_email_in_other_letter_case(ada):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="ADA@example.com")


@pytest.mark.parametrize(
    "constraint",
    [*User._meta.constraints, *Department._meta.constraints],
    ids=lambda constraint: constraint.name,
)
def test_every_people_constraint_has_human_words(constraint):
    assert has_human_message(constraint)
    assert constraint.name not in constraint.get_violation_error_message()


def test_a_clash_the_checks_missed_comes_back_in_words_naming_the_field(ada, monkeypatch):
    """A concurrent hire of the same address, decided by the constraint."""
    monkeypatch.setattr(services, "check_email_free", lambda email, person=None: None)

    with pytest.raises(PersonConflict) as refused:
        services.create_person(actor=None, email="ADA@example.com")

    assert refused.value.field == "email"
    assert refused.value.detail == EmailTaken.default_detail
    assert User.objects.filter(email__iexact="ada@example.com").count() == 1


# --- Departments, matched by name in any letter case -----------------------------------


@pytest.fixture
def research(db: None) -> Department:
    return DepartmentFactory(name="Research")


def test_api_hiring_into_a_department_named_in_other_case_joins_it(research, hr_admin):
    response = api(hr_admin).post(
        "/api/v1/people/", {"email": "new@example.com", "department": "rESEARCH"}
    )

    assert response.json()["department"] == "Research"
    assert Department.objects.filter(name__iexact="research").count() == 1


def test_api_moving_to_a_department_named_in_other_case_joins_it(research, hr_admin, employee):
    api(hr_admin).patch(f"/api/v1/people/{employee.pk}/", {"department": "research"})

    assert unchanged(employee, department=research)
    assert not Department.objects.filter(name="research").exists()


def test_import_a_department_named_in_other_case_is_the_same_department(
    research, hr_admin, employee, import_through_api
):
    job, errors = import_through_api(
        hr_admin,
        employee_csv(
            row_of(employee, department="RESEARCH"),
            {"employee_id": "E-NEW", "email": "new@example.com", "department": "research"},
        ),
    )

    assert errors == []
    assert (job["created"], job["updated"]) == (1, 1)
    assert unchanged(employee, department=research)
    assert User.objects.get(employee_id="E-NEW").department == research
    assert not Department.objects.filter(name__in=["RESEARCH", "research"]).exists()


def test_import_two_spellings_of_a_new_department_make_one(hr_admin, import_through_api):
    job, errors = import_through_api(
        hr_admin,
        employee_csv(
            {"employee_id": "E-1", "email": "one@example.com", "department": "Sales"},
            {"employee_id": "E-2", "email": "two@example.com", "department": "SALES"},
        ),
    )

    assert (job["created"], errors) == (2, [])
    sales = Department.objects.get(name__iexact="sales")
    assert sales.name == "Sales"  # as the file first spelled it
    assert set(sales.members.values_list("employee_id", flat=True)) == {"E-1", "E-2"}


def test_import_command_a_department_named_in_other_case_is_the_same(research, tmp_path):
    import_with_command(
        tmp_path,
        employee_csv(
            {"employee_id": "E-NEW", "email": "new@example.com", "department": "research"}
        ),
    )

    assert User.objects.get(employee_id="E-NEW").department == research
    assert Department.objects.filter(name__iexact="research").count() == 1


def test_admin_refuses_a_department_named_like_another_in_other_case(research, hr_admin):
    response = admin_browser(hr_admin).post("/admin/people/department/add/", {"name": "research"})

    assert response.status_code == 200
    assert shown(response, "A department with this name already exists")
    assert "department_name_unique_ignoring_case" not in response.content.decode()
    assert Department.objects.filter(name__iexact="research").count() == 1


def test_service_a_department_named_in_other_case_is_the_same(research, employee):
    moved = services.update_person(employee, actor=None, department="RESEARCH")

    assert moved.department == research
    assert Department.objects.filter(name__iexact="research").count() == 1


def test_the_database_refuses_a_department_named_in_other_case(research):
    with pytest.raises(IntegrityError), transaction.atomic():
        Department.objects.create(name="RESEARCH")


# --- Input bounds, the same at every door -------------------------------------------------

TOO_MUCH = [
    pytest.param("first_name", "x" * 151, id="first_name-151"),
    pytest.param("last_name", "x" * 151, id="last_name-151"),
    pytest.param("title", "x" * 151, id="title-151"),
    pytest.param("employee_id", "E" * 65, id="employee_id-65"),
    pytest.param("salary", "-1", id="salary-negative"),
    pytest.param("salary", "10000000000", id="salary-too-large"),
    pytest.param("salary", "1.234", id="salary-three-decimals"),
    pytest.param("role", "overlord", id="role-unknown"),
]
AT_THE_EDGE = [
    pytest.param("first_name", "x" * 150, "x" * 150, id="first_name-150"),
    pytest.param("title", "x" * 150, "x" * 150, id="title-150"),
    pytest.param("employee_id", "E" * 64, "E" * 64, id="employee_id-64"),
    pytest.param("salary", "9999999999", Decimal("9999999999"), id="salary-largest"),
    pytest.param("salary", "0.01", Decimal("0.01"), id="salary-cent"),
]


@pytest.mark.parametrize(("field", "value"), TOO_MUCH)
def test_api_refuses_out_of_bounds_input(hr_admin, employee, field, value):
    before = getattr(employee, field)

    response = api(hr_admin).patch(f"/api/v1/people/{employee.pk}/", {field: value})

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {field}
    assert unchanged(employee, **{field: before})


@pytest.mark.parametrize(("field", "value"), TOO_MUCH)
def test_admin_refuses_out_of_bounds_input(hr_admin, employee, field, value):
    before = getattr(employee, field)

    response = post_admin_change(admin_browser(hr_admin), employee, **{field: value})

    assert set(form_errors(response)) == {field}
    assert "salary_not_negative" not in response.content.decode()
    assert unchanged(employee, **{field: before})


@pytest.mark.parametrize(("field", "value"), TOO_MUCH)
def test_import_refuses_out_of_bounds_input(hr_admin, employee, import_through_api, field, value):
    before = getattr(employee, field)
    row = row_of(employee, **{field: value})
    if field == "employee_id":  # the key: a new row with a key too long
        row["email"] = "someone.new@example.com"

    job, errors = import_through_api(hr_admin, employee_csv(row))

    assert job["failed"] == 1
    assert [(line, column) for line, column, _ in errors] == [("2", field)]
    assert unchanged(employee, **{field: before})


@pytest.mark.parametrize(("field", "value"), TOO_MUCH)
def test_service_refuses_out_of_bounds_input(employee, field, value):
    before = getattr(employee, field)

    with pytest.raises(InvalidInput) as refused:
        services.update_person(employee, actor=None, **{field: value})

    assert refused.value.field == field
    assert unchanged(employee, **{field: before})


@pytest.mark.parametrize(("field", "value", "stored"), AT_THE_EDGE)
def test_every_door_accepts_the_largest_value_within_bounds(
    hr_admin, import_through_api, field, value, stored
):
    def unique(door: int, text: Any) -> Any:  # employee ids are unique: one each
        return f"{door}{text[1:]}" if field == "employee_id" else text

    people = UserFactory.create_batch(4)
    api(hr_admin).patch(f"/api/v1/people/{people[0].pk}/", {field: unique(0, value)})
    post_admin_change(admin_browser(hr_admin), people[1], **{field: unique(1, value)})
    row = row_of(people[2], **{field: unique(2, value)})
    if field == "employee_id":  # the import's key: the row is someone new
        row["email"] = "someone.new@example.com"
    import_through_api(hr_admin, employee_csv(row))
    services.update_person(people[3], actor=None, **{field: unique(3, value)})

    for door, person in enumerate(people):
        if field == "employee_id" and door == 2:  # the import's key: a new person has it
            assert User.objects.filter(employee_id=unique(2, value)).exists()
            continue
        assert unchanged(person, **{field: unique(door, stored)}), door


# --- Who may act: HR admins (a superuser is one) ----------------------------------------


@pytest.fixture
def staff_manager(db: None) -> User:
    """A manager; as a door's user below, HR made them staff with the people permissions."""
    return ManagerFactory()


@pytest.mark.parametrize("role", ["employee", "manager"])
def test_api_only_hr_may_hire_change_or_deactivate(role, employee):
    caller = api(UserFactory(role=role))

    assert caller.post("/api/v1/people/", {"email": "new@example.com"}).status_code == 403
    assert caller.patch(f"/api/v1/people/{employee.pk}/", {"title": "Boss"}).status_code == 403
    assert caller.delete(f"/api/v1/people/{employee.pk}/").status_code == 403
    assert unchanged(employee, title="Engineer", is_active=True)
    assert not User.objects.filter(email="new@example.com").exists()


def test_admin_change_form_only_hr_may_change_a_person(staff_manager, employee):
    response = post_admin_change(admin_browser(staff_manager), employee, title="Boss")

    assert form_errors(response) == {"__all__": [NOT_HR]}
    assert unchanged(employee, title="Engineer")


def test_admin_add_form_only_hr_may_hire(staff_manager):
    response = admin_browser(staff_manager).post(
        "/admin/people/user/add/",
        {"email": "new@example.com", "role": "employee", "usable_password": "false"},
    )

    assert form_errors(response) == {"__all__": [NOT_HR]}
    assert not User.objects.filter(email="new@example.com").exists()


def test_admin_action_only_hr_may_deactivate(staff_manager, employee):
    response = admin_browser(staff_manager).post(
        "/admin/people/user/",
        {"action": "deactivate", "_selected_action": [employee.pk]},
        follow=True,
    )

    assert shown(response, NOT_HR)
    assert unchanged(employee, is_active=True)


def test_admin_only_hr_may_set_a_persons_password(staff_manager, employee):
    response = admin_browser(staff_manager).post(
        f"/admin/people/user/{employee.pk}/password/",
        {"password1": "violet-harbour-lantern-42", "password2": "violet-harbour-lantern-42"},
    )

    assert response.status_code == 403
    assert User.objects.get(pk=employee.pk).password == employee.password


def test_admin_only_a_superuser_makes_a_superuser(hr_admin, employee):
    response = post_admin_change(admin_browser(hr_admin), employee, is_superuser=True)

    assert form_errors(response) == {
        "is_superuser": ["Only a superuser may make or unmake a superuser."]
    }
    assert unchanged(employee, is_superuser=False)


def test_admin_people_are_never_deleted(hr_admin, employee):
    response = admin_browser(hr_admin).post(
        f"/admin/people/user/{employee.pk}/delete/", {"post": "yes"}
    )

    assert response.status_code == 403
    assert User.objects.filter(pk=employee.pk).exists()


def test_import_only_hr_may_import_people(staff_manager):
    """The API's import is HR's route; a job whose owner may not (any more) act fails."""
    content = employee_csv({"employee_id": "E-NEW", "email": "new@example.com"})

    job = imports.start_import(
        upload=File(io.BytesIO(content.encode()), name="people.csv"),
        kind="employees",
        created_by=staff_manager,
        in_background=False,
    )
    done = attempts.process_import(job_id=job.pk)

    assert done is not None
    assert (done.status, done.message) == ("failed", NOT_HR)
    assert not User.objects.filter(employee_id="E-NEW").exists()


@pytest.mark.parametrize("role", ["employee", "manager"])
def test_service_only_hr_may_act(role, employee):
    caller = UserFactory(role=role)

    with pytest.raises(NotAllowed):
        services.create_person(actor=caller, email="new@example.com")
    with pytest.raises(NotAllowed):
        services.update_person(employee, actor=caller, title="Boss")
    with pytest.raises(NotAllowed):
        services.deactivate_person(employee, actor=caller)

    assert unchanged(employee, title="Engineer", is_active=True)


def test_a_deactivated_hr_admin_may_no_longer_act(employee):
    gone = HRAdminFactory(is_active=False)

    with pytest.raises(NotAllowed):
        services.update_person(employee, actor=gone, title="Boss")


def test_a_superuser_has_every_power_of_an_hr_admin(employee):
    root = UserFactory(role="employee", is_superuser=True)

    response = api(root).patch(f"/api/v1/people/{employee.pk}/", {"title": "Lead"})

    assert response.status_code == 200
    assert unchanged(employee, title="Lead")
