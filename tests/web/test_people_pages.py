"""HR runs the programme from the browser: a person's page and ledger, editing them,
and granting points to one or many people, all through the services."""

import re
import uuid

import pytest

from plaudit.core.errors import NotAllowed
from plaudit.ledger import services as ledger_services
from plaudit.ledger.selectors import balance_of
from plaudit.people.roles import Role
from plaudit.people.services import inactive_manager_message
from plaudit.web.views import people as people_views
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def a_new_key() -> dict[str, str]:
    """The hidden key a freshly drawn grant form carries."""
    return {"idempotency_key": str(uuid.uuid4())}


def _pages(person_pk: int) -> list[str]:
    return [f"/hr/people/{person_pk}/", f"/hr/people/{person_pk}/edit/", "/hr/points/grant/"]


def _edit_form(person, **changes):
    form = {
        "role": person.role,
        "manager": person.manager.email if person.manager else "",
        "department": person.department.name if person.department else "",
        "title": person.title,
        "is_active": "on" if person.is_active else "",
    }
    form.update(changes)
    return {name: value for name, value in form.items() if value != ""}


@pytest.mark.parametrize("role", ["employee", "manager"])
def test_only_hr_admins_open_the_person_edit_and_grant_pages(page_client, request, role):
    person = UserFactory()
    client = page_client(request.getfixturevalue(role))

    statuses = {url: client.get(url).status_code for url in _pages(person.pk)}
    posted = client.post(
        "/hr/points/grant/", {"recipients": [person.pk], "amount": 5, **a_new_key()}
    )

    assert set(statuses.values()) == {403}
    assert posted.status_code == 403
    assert balance_of(person) == 0


def test_anonymous_visitors_are_sent_to_sign_in(page_client):
    person = UserFactory()

    for url in _pages(person.pk):
        response = page_client(None).get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_the_directory_links_each_person_to_their_page(page_client, hr_admin):
    person = UserFactory(first_name="Ada", last_name="Lovelace")

    page = page_client(hr_admin).get("/hr/people/").content.decode()

    assert f'href="/hr/people/{person.pk}/">Ada Lovelace</a>' in page


def test_a_person_s_page_shows_them_and_their_ledger_a_page_at_a_time(page_client, hr_admin):
    person = UserFactory(first_name="Ada", last_name="Lovelace", title="Analyst")
    for n in range(26):
        ledger_services.grant_points(user=person, amount=10, reason=f"Grant {n}", granted_by=None)
    client = page_client(hr_admin)

    first = client.get(f"/hr/people/{person.pk}/").content.decode()
    second = client.get(f"/hr/people/{person.pk}/", {"page": 2}).content.decode()

    assert "Ada Lovelace" in first
    assert "Analyst" in first
    assert "260 points" in first  # the balance
    assert "Grant: Grant 25" in first
    assert "+10 points" in first
    assert "Page 1 of 2" in first
    assert "Grant: Grant 0" in second
    assert "Grant: Grant 25" not in second


def test_hr_changes_a_person_s_role_manager_department_and_title(page_client, hr_admin):
    boss = UserFactory(email="boss@example.com")
    person = UserFactory(department=DepartmentFactory(name="Sales"))
    form = _edit_form(
        person, role=Role.MANAGER, manager="BOSS@example.com", department="Research", title="Lead"
    )

    response = page_client(hr_admin).post(f"/hr/people/{person.pk}/edit/", form, follow=True)
    person.refresh_from_db()

    assert response.redirect_chain[-1][0] == f"/hr/people/{person.pk}/"
    assert f"{person} was saved." in response.content.decode()
    assert (person.role, person.manager, person.title) == (Role.MANAGER, boss, "Lead")
    assert person.department is not None
    assert person.department.name == "Research"


def test_hr_deactivates_and_reactivates_someone(page_client, hr_admin):
    person = UserFactory()
    client = page_client(hr_admin)

    client.post(f"/hr/people/{person.pk}/edit/", _edit_form(person, is_active=""))
    person.refresh_from_db()
    was_active = person.is_active
    client.post(f"/hr/people/{person.pk}/edit/", _edit_form(person, is_active="on"))
    person.refresh_from_db()

    assert was_active is False
    assert person.is_active is True


def test_a_refusal_of_the_service_shows_beside_its_field_and_saves_nothing(page_client, hr_admin):
    response = page_client(hr_admin).post(
        f"/hr/people/{hr_admin.pk}/edit/", _edit_form(hr_admin, role=Role.EMPLOYEE)
    )
    hr_admin.refresh_from_db()

    assert response.status_code == 409
    assert "last active HR admin" in response.content.decode()
    assert 'id="id_role_error"' in response.content.decode()
    assert hr_admin.role == Role.HR_ADMIN


def test_a_reporting_loop_is_refused_beside_the_manager(page_client, hr_admin):
    boss = UserFactory()
    report = UserFactory(manager=boss)

    response = page_client(hr_admin).post(
        f"/hr/people/{boss.pk}/edit/", _edit_form(boss, manager=report.email)
    )
    boss.refresh_from_db()

    assert response.status_code == 400
    assert 'id="id_manager_error"' in response.content.decode()
    assert boss.manager is None


def test_an_unknown_manager_email_is_refused_by_the_form(page_client, hr_admin):
    person = UserFactory()

    response = page_client(hr_admin).post(
        f"/hr/people/{person.pk}/edit/", _edit_form(person, manager="nobody@example.com")
    )

    assert response.status_code == 422
    assert "Nobody in Plaudit has this email." in response.content.decode()


def test_hr_grants_points_to_several_people_at_once(page_client, hr_admin):
    ada = UserFactory(first_name="Ada", last_name="Lovelace")
    ben = UserFactory(first_name="Ben", last_name="Ng")
    form = {"recipients": [ada.pk, ben.pk], "amount": 1500, "reason": "Launch", **a_new_key()}

    response = page_client(hr_admin).post("/hr/points/grant/", form, follow=True)

    assert response.redirect_chain[-1][0] == "/hr/people/"
    assert (
        "Granted 1,500 points each to Ada Lovelace and Ben Ng (3,000 in total)."
        in response.content.decode()
    )
    assert (balance_of(ada), balance_of(ben)) == (1500, 1500)


def test_a_grant_is_all_or_nothing(page_client, hr_admin, monkeypatch):
    ada, ben = UserFactory(), UserFactory()
    real_grant = ledger_services.grant_points

    def refuse_ben(**kwargs):
        if kwargs["user"] == ben:
            raise NotAllowed("Refused for this test.")
        return real_grant(**kwargs)

    monkeypatch.setattr(people_views, "grant_points", refuse_ben)
    form = {"recipients": [ada.pk, ben.pk], "amount": 20, "reason": "Launch", **a_new_key()}

    response = page_client(hr_admin).post("/hr/points/grant/", form)

    assert response.status_code == 403
    assert "Nobody got points" in response.content.decode()
    assert (balance_of(ada), balance_of(ben)) == (0, 0)


def test_a_grant_needs_a_reason_in_the_ledger_s_words(page_client, hr_admin):
    person = UserFactory()

    response = page_client(hr_admin).post(
        "/hr/points/grant/",
        {"recipients": [person.pk], "amount": 20, "reason": "  ", **a_new_key()},
    )

    assert response.status_code == 422
    assert "Say why" in response.content.decode()
    assert 'value="' + str(person.pk) + '"' in response.content.decode()  # still chosen
    assert balance_of(person) == 0


def test_the_grant_page_starts_with_the_person_it_was_opened_for(page_client, hr_admin):
    person = UserFactory(first_name="Ada", last_name="Lovelace")

    page = page_client(hr_admin).get("/hr/points/grant/", {"people": person.pk}).content.decode()

    assert f'<input type="hidden" name="recipients" value="{person.pk}">' in page


def test_the_new_pages_need_no_inline_script_or_style(page_client, hr_admin):
    person = UserFactory()
    client = page_client(hr_admin)

    for url in _pages(person.pk):
        page = client.get(url).content.decode()
        assert "style=" not in page, url
        assert not re.search(r"<script(?![^>]*\ssrc=)", page), url


def test_hr_cannot_deactivate_themselves_from_the_page(page_client, hr_admin):
    UserFactory(role=Role.HR_ADMIN)  # not the last HR admin: the rule is about oneself

    response = page_client(hr_admin).post(
        f"/hr/people/{hr_admin.pk}/edit/", _edit_form(hr_admin, is_active="")
    )
    hr_admin.refresh_from_db()

    assert response.status_code == 409
    assert 'id="id_is_active_error"' in response.content.decode()
    assert hr_admin.is_active


def test_a_manager_who_has_left_is_refused_in_the_services_words(page_client, hr_admin):
    gone = UserFactory(email="gone@example.com", is_active=False)
    person = UserFactory()

    response = page_client(hr_admin).post(
        f"/hr/people/{person.pk}/edit/", _edit_form(person, manager="gone@example.com")
    )
    person.refresh_from_db()

    assert response.status_code == 400
    assert inactive_manager_message(gone) in response.content.decode()
    assert person.manager is None


def test_a_double_submitted_grant_grants_once_and_says_so(page_client, hr_admin):
    ada = UserFactory(first_name="Ada", last_name="Lovelace")
    form = {"recipients": [ada.pk], "amount": 50, "reason": "Launch", **a_new_key()}
    client = page_client(hr_admin)

    client.post("/hr/points/grant/", form)
    again = client.post("/hr/points/grant/", form, follow=True)

    assert "Already granted, once: 50 points each to Ada Lovelace." in again.content.decode()
    assert balance_of(ada) == 50


def test_a_grant_refused_once_can_be_sent_again_with_the_same_form(page_client, hr_admin):
    ada = UserFactory()
    form = {"recipients": [ada.pk], "amount": 50, "reason": " ", **a_new_key()}
    client = page_client(hr_admin)

    refused = client.post("/hr/points/grant/", form)
    granted = client.post("/hr/points/grant/", {**form, "reason": "Launch"})

    assert (refused.status_code, granted.status_code) == (422, 302)
    assert balance_of(ada) == 50
