"""Just-in-time provisioning (plaudit.people.sso): claims become a person through the
people services; roles follow the groups HR mapped."""

from typing import Any

import pytest
from allauth.socialaccount.models import SocialApp
from django.test import Client

from plaudit.core.errors import InvalidInput, NotAllowed
from plaudit.people import sso
from plaudit.people.models import GroupRoleMapping
from plaudit.people.roles import Role
from plaudit.people.services import create_person
from tests.factories import HRAdminFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _auto_create(settings: Any) -> None:
    settings.SSO_AUTO_CREATE = True


def test_claims_are_read_through_the_configured_names_first_present_wins(settings: Any):
    settings.SSO_CLAIMS = {**settings.SSO_CLAIMS, "department": ["dept", "department"]}
    raw = {
        "email": " ada@example.com ",
        "name": "Ada Lovelace",
        "dept": "Research",
        "department": "ignored",
        "jobTitle": "Analyst",
        "employeeNumber": ["E1"],
        "groups": ["a", "b"],
    }

    claims = sso.claims_from(raw)

    assert claims.email == "ada@example.com"
    assert claims.profile == {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "department": "Research",
        "title": "Analyst",
        "employee_id": "E1",
    }
    assert claims.groups == ["a", "b"]


def test_no_email_at_all_is_refused():
    with pytest.raises(sso.SSONoEmail):
        sso.claims_from({"name": "Nobody"})


def test_the_highest_mapped_role_wins_an_unmapped_group_gives_an_employee():
    GroupRoleMapping.objects.create(group="Managers", role=Role.MANAGER)
    GroupRoleMapping.objects.create(group="HR", role=Role.HR_ADMIN)

    assert sso.role_for_groups(["managers", "hr"]) == Role.HR_ADMIN
    assert sso.role_for_groups(["MANAGERS"]) == Role.MANAGER
    assert sso.role_for_groups(["everyone"]) == Role.EMPLOYEE
    assert sso.role_for_groups(None) is None  # no groups claim: the role is HR's to set


def test_without_any_mapping_roles_are_left_to_hr():
    manager = UserFactory(email="m@example.com", role=Role.MANAGER)

    sso.sign_in(
        person=None, claims=sso.Claims(email="m@example.com", groups=["x"], email_verified=True)
    )

    manager.refresh_from_db()
    assert manager.role == Role.MANAGER


def test_a_value_plaudit_refuses_is_skipped_not_the_sign_in():
    UserFactory(employee_id="TAKEN")
    claims = sso.Claims(
        email="new@example.com",
        profile={"employee_id": "TAKEN", "title": "x" * 500, "first_name": "New"},
        email_verified=True,
    )

    person = sso.sign_in(person=None, claims=claims)

    assert (person.first_name, person.employee_id, person.title) == ("New", None, "")


def test_the_last_hr_admin_is_not_demoted_by_a_sign_in():
    GroupRoleMapping.objects.create(group="HR", role=Role.HR_ADMIN)
    hr = HRAdminFactory(email="hr@example.com")

    sso.sign_in(
        person=None,
        claims=sso.Claims(email="hr@example.com", groups=["everyone"], email_verified=True),
    )

    hr.refresh_from_db()
    assert hr.role == Role.HR_ADMIN


def test_a_provider_configured_in_the_admin_is_offered_too(settings: Any):
    app = SocialApp.objects.create(
        provider="openid_connect",
        provider_id="keycloak",
        name="Keycloak",
        client_id="plaudit",
        secret="s",
        settings={"server_url": "https://id.example.com/realms/acme"},
    )

    page = Client().get("/accounts/login/").content.decode()

    assert app.name == "Keycloak"
    assert "Sign in with Keycloak" in page
    assert "/accounts/oidc/keycloak/login/" in page


def test_hr_edits_the_group_to_role_table_in_the_admin():
    hr = create_person(actor=None, email="hana@example.com", role=Role.HR_ADMIN)
    client = Client()
    client.force_login(hr)

    response = client.post(
        "/admin/people/grouprolemapping/add/", {"group": "Plaudit-Managers", "role": "manager"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/admin/people/grouprolemapping/"
    assert GroupRoleMapping.objects.get().role == Role.MANAGER


def test_only_hr_maps_groups_and_a_group_has_one_role_whatever_its_letter_case():
    hr = create_person(actor=None, email="hana@example.com", role=Role.HR_ADMIN)
    sso.set_group_role(actor=hr, group=" Plaudit-HR ", role=Role.HR_ADMIN)

    with pytest.raises(NotAllowed):
        sso.set_group_role(actor=UserFactory(), group="others", role=Role.MANAGER)
    with pytest.raises(InvalidInput):
        sso.set_group_role(actor=hr, group="plaudit-hr", role=Role.MANAGER)
    assert list(GroupRoleMapping.objects.values_list("group", "role")) == [
        ("Plaudit-HR", Role.HR_ADMIN)
    ]


def test_a_saml_app_added_in_the_admin_requires_signed_assertions_too():
    SocialApp.objects.create(
        provider="saml",
        provider_id="https://idp.example.com/metadata",
        name="Admin SAML",
        client_id="admin-saml",
        settings={
            "idp": {
                "entity_id": "https://idp.example.com/metadata",
                "sso_url": "https://idp.example.com/sso",
                "x509cert": "MIIB",
            },
            "advanced": {"want_assertion_signed": False, "strict": False},
        },
    )

    metadata = Client(HTTP_HOST="127.0.0.1").get("/accounts/saml/admin-saml/metadata/")

    assert metadata.status_code == 200
    assert 'WantAssertionsSigned="true"' in metadata.content.decode()


def test_the_audit_log_records_the_group_table_and_refused_sign_ins(settings: Any):
    from plaudit.audit.models import AuditEvent

    hr = create_person(actor=None, email="hana@example.com", role=Role.HR_ADMIN)
    mapping = sso.set_group_role(actor=hr, group="Plaudit-Managers", role=Role.MANAGER)
    sso.remove_group_role(actor=hr, mapping=mapping)
    leaver = UserFactory(email="gone@example.com", is_active=False)
    with pytest.raises(sso.SSOPersonInactive):
        sso.sign_in(
            person=None,
            claims=sso.claims_from({"email": "gone@example.com", "email_verified": True}),
        )
    settings.SSO_AUTO_CREATE = False
    with pytest.raises(sso.SSONotOnRoster):
        sso.sign_in(
            person=None,
            claims=sso.claims_from({"email": "new@example.com", "email_verified": True}),
        )

    facts = [
        (event.action, event.actor_email, event.details)
        for event in AuditEvent.objects.filter(action__startswith="sso.").order_by("pk")
    ]
    assert facts == [
        ("sso.group_role_set", hr.email, {"group": "Plaudit-Managers", "role": "manager"}),
        ("sso.group_role_removed", hr.email, {"group": "Plaudit-Managers", "role": "manager"}),
        ("sso.sign_in_refused", "", {"reason": "inactive"}),
        ("sso.sign_in_refused", "", {"email": "new@example.com", "reason": "not_on_roster"}),
    ]
    assert AuditEvent.objects.filter(target_id=str(leaver.pk)).exists()


def test_an_email_is_verified_only_when_the_provider_says_so_or_is_trusted_to():
    assert sso.claims_from({"email": "a@example.com"}).email_verified is False
    assert (
        sso.claims_from({"email": "a@example.com", "email_verified": False}).email_verified is False
    )
    assert sso.claims_from({"email": "a@example.com", "email_verified": True}).email_verified
    assert sso.claims_from({"email": "a@example.com", "email_verified": ["true"]}).email_verified
    assert sso.claims_from({"email": "a@example.com"}, email_trusted=True).email_verified
    unverified = {"email": "a@example.com", "email_verified": "false"}
    assert sso.claims_from(unverified, email_trusted=True).email_verified is False


def test_an_unverified_email_neither_finds_nor_hires_anyone():
    ada = UserFactory(email="ada@example.com")

    with pytest.raises(sso.SSOEmailNotVerified):
        sso.sign_in(person=None, claims=sso.claims_from({"email": "ADA@example.com"}))
    with pytest.raises(sso.SSOEmailNotVerified):
        sso.sign_in(person=None, claims=sso.claims_from({"email": "new@example.com"}))

    assert sso.sign_in(person=ada, claims=sso.claims_from({"email": "x@example.com"})) == ada


def test_a_superuser_is_never_found_by_email_but_a_linked_account_still_signs_them_in():
    root = UserFactory(email="root@example.com", is_superuser=True, is_staff=True)
    verified = sso.claims_from({"email": "root@example.com", "email_verified": True})

    with pytest.raises(sso.SSOSuperuserByEmail):
        sso.sign_in(person=None, claims=verified)

    assert sso.sign_in(person=root, claims=verified) == root


def test_the_group_table_changes_only_with_its_audit_record(monkeypatch: pytest.MonkeyPatch):
    hr = HRAdminFactory()
    kept = sso.set_group_role(actor=hr, group="Kept", role=Role.MANAGER)

    def broken_record(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the audit log is unreachable")

    monkeypatch.setattr(sso, "record", broken_record)
    with pytest.raises(RuntimeError):
        sso.set_group_role(actor=hr, group="New", role=Role.MANAGER)
    with pytest.raises(RuntimeError):
        sso.remove_group_role(actor=hr, mapping=kept)

    assert list(GroupRoleMapping.objects.values_list("group", flat=True)) == ["Kept"]
