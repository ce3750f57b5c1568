"""What /scim/v2/ answers beyond the vendors' happy paths: who gets in, bad input as
SCIM errors (never a 500), versions and preconditions, paging, and what deactivation
keeps."""

import json
from typing import Any

import pytest
from rest_framework.test import APIClient

from plaudit.ledger.selectors import balance_of
from plaudit.people import sso
from plaudit.people.models import GroupRoleMapping, User
from plaudit.people.roles import Role
from plaudit.rewards.models import Redemption
from plaudit.tokens.services import create_token

from ..factories import HRAdminFactory, RewardFactory, UserFactory
from .conftest import ScimClient

ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

pytestmark = pytest.mark.django_db


def a_user(email: str = "new.hire@example.com", **extra: Any) -> dict[str, Any]:
    return {
        "schemas": [USER],
        "userName": email,
        "emails": [{"value": email, "type": "work"}],
        "active": True,
        **extra,
    }


def assert_scim_error(response: Any, status: int, scim_type: str | None = None) -> None:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/scim+json"
    body = response.json()
    assert body["schemas"] == [ERROR]
    assert body["status"] == str(status)
    assert body["detail"]
    assert body.get("scimType") == scim_type


# --- Who gets in --------------------------------------------------------------------------


def test_no_token_is_a_401_scim_error_with_a_challenge() -> None:
    response = APIClient().get("/scim/v2/Users")

    assert_scim_error(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_token_without_the_scim_scope_is_a_403(db: Any) -> None:
    owner = HRAdminFactory()
    token = create_token(actor=owner, name="script", scopes=["read", "people:admin"]).secret

    assert_scim_error(ScimClient(token).get("Users"), 403)


def test_a_scim_token_reads_nothing_else(scim_token: str) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {scim_token}")

    assert client.get("/api/v1/people/").status_code == 403


def test_a_revoked_or_unknown_token_is_a_401(db: Any) -> None:
    response = ScimClient("plaudit_deadbeef_not-a-secret").get("Users")

    assert_scim_error(response, 401)


def test_a_token_whose_owner_is_no_longer_hr_is_refused(scim: ScimClient, scim_owner: User) -> None:
    User.objects.filter(pk=scim_owner.pk).update(role=Role.EMPLOYEE)

    assert scim.post("Users", a_user()).status_code in (401, 403)


# --- Bad input ----------------------------------------------------------------------------


def test_malformed_json_is_invalid_syntax(scim: ScimClient) -> None:
    response = scim.client.post(
        "/scim/v2/Users", data="{not json", content_type="application/scim+json"
    )

    assert_scim_error(response, 400, "invalidSyntax")


def test_a_body_that_is_not_an_object_is_invalid_syntax(scim: ScimClient) -> None:
    assert_scim_error(scim.post("Users", ["userName"]), 400, "invalidSyntax")


def test_a_user_without_user_name_is_refused(scim: ScimClient) -> None:
    response = scim.post("Users", {"schemas": [USER], "emails": [{"value": "a@example.com"}]})

    assert response.status_code == 400
    assert response.json()["schemas"] == [ERROR]


def test_an_address_that_is_not_one_is_invalid_value(scim: ScimClient) -> None:
    response = scim.post("Users", a_user(emails=[{"value": "not an address"}]))

    assert_scim_error(response, 400, "invalidValue")


@pytest.mark.parametrize(
    "text",
    ["userName eq", 'nickName eq "x"', 'userName eq "a" and', "((", 'id gt "x" or'],
)
def test_a_bad_filter_is_invalid_filter(scim: ScimClient, text: str) -> None:
    assert_scim_error(scim.get(f"Users?filter={text}"), 400, "invalidFilter")


def test_filters_on_external_id_and_email_and_combinations(scim: ScimClient) -> None:
    first = scim.post("Users", a_user("one@example.com", externalId="ext-1")).json()
    scim.post("Users", a_user("two@example.com", externalId="ext-2"))

    def ids(text: str) -> list[str]:
        return [resource["id"] for resource in scim.get(f"Users?filter={text}").json()["Resources"]]

    assert ids('externalId eq "ext-1"') == [first["id"]]
    assert ids('emails.value eq "ONE@example.com"') == [first["id"]]
    assert ids('emails[type eq "work" and value eq "one@example.com"]') == [first["id"]]
    assert len(ids('externalId eq "ext-1" or externalId eq "ext-2"')) == 2
    assert ids('externalId eq "ext-1" and userName eq "two@example.com"') == []


def test_a_patch_with_an_unknown_op_is_refused(scim: ScimClient) -> None:
    user_id = scim.post("Users", a_user()).json()["id"]

    response = scim.patch(
        f"Users/{user_id}", {"schemas": [PATCH], "Operations": [{"op": "merge", "value": {}}]}
    )

    assert response.status_code == 400
    assert response.json()["schemas"] == [ERROR]


def test_a_patch_to_a_read_only_attribute_is_a_mutability_error(scim: ScimClient) -> None:
    user_id = scim.post("Users", a_user()).json()["id"]

    response = scim.patch(
        f"Users/{user_id}",
        {
            "schemas": [PATCH],
            "Operations": [{"op": "replace", "path": "displayName", "value": "X"}],
        },
    )

    assert_scim_error(response, 400, "mutability")


def test_an_unknown_manager_is_invalid_value(scim: ScimClient) -> None:
    manager = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
    response = scim.post("Users", a_user(**{manager: {"manager": {"value": "999999"}}}))

    assert_scim_error(response, 400, "invalidValue")


def test_a_clashing_employee_number_is_uniqueness(scim: ScimClient) -> None:
    UserFactory(employee_id="E-7")
    enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

    response = scim.post("Users", a_user(**{enterprise: {"employeeNumber": "E-7"}}))

    assert_scim_error(response, 409, "uniqueness")


def test_the_tokens_owner_cannot_deactivate_themselves(scim: ScimClient, scim_owner: User) -> None:
    response = scim.patch(
        f"Users/{scim_owner.pk}",
        {"schemas": [PATCH], "Operations": [{"op": "replace", "value": {"active": False}}]},
    )

    assert_scim_error(response, 409)
    scim_owner.refresh_from_db()
    assert scim_owner.is_active is True


def test_an_unknown_endpoint_or_id_is_a_scim_404(scim: ScimClient) -> None:
    assert_scim_error(scim.get("Users/999999"), 404)
    assert_scim_error(scim.get("Users/not-a-number"), 404)
    assert_scim_error(scim.get("Widgets"), 404)


def test_plain_json_is_accepted_and_scim_json_returned(scim: ScimClient) -> None:
    response = scim.client.post(
        "/scim/v2/Users", data=json.dumps(a_user()), content_type="application/json"
    )

    assert response.status_code == 201
    assert response["Content-Type"] == "application/scim+json"


# --- Versions ---------------------------------------------------------------------------


def test_the_etag_changes_with_the_person_and_if_match_guards_writes(scim: ScimClient) -> None:
    created = scim.post("Users", a_user())
    user_id, version = created.json()["id"], created["ETag"]
    assert version.startswith('W/"')
    assert created.json()["meta"]["version"] == version

    assert scim.get(f"Users/{user_id}", HTTP_IF_NONE_MATCH=version).status_code == 304
    title = {"schemas": [PATCH], "Operations": [{"op": "replace", "path": "title", "value": "A"}]}
    changed = scim.patch(f"Users/{user_id}", title, HTTP_IF_MATCH=version)
    assert changed.status_code == 200
    assert changed["ETag"] != version

    stale = scim.patch(f"Users/{user_id}", title, HTTP_IF_MATCH=version)
    assert_scim_error(stale, 412)
    assert scim.delete(f"Users/{user_id}", HTTP_IF_MATCH=version).status_code == 412


# --- Paging -------------------------------------------------------------------------------


def test_start_index_and_count_page_through_everyone(scim: ScimClient) -> None:
    for number in range(5):
        UserFactory(email=f"p{number}@example.com")
    total = User.objects.count()

    first = scim.get("Users?startIndex=1&count=2").json()
    rest = scim.get(f"Users?startIndex=3&count={total}").json()

    assert first["totalResults"] == rest["totalResults"] == total
    assert (first["itemsPerPage"], first["startIndex"]) == (2, 1)
    ids = [r["id"] for r in first["Resources"]] + [r["id"] for r in rest["Resources"]]
    assert len(set(ids)) == total
    assert scim.get("Users?count=0").json()["Resources"] == []
    assert scim.get("Users?startIndex=0").json()["startIndex"] == 1


# --- What deactivation keeps --------------------------------------------------------------


def test_deactivation_keeps_the_ledger_and_the_redemptions(scim: ScimClient) -> None:
    from plaudit.rewards.services import redeem_reward

    person = UserFactory(with_points=500)
    reward = RewardFactory(cost=100)
    redemption = redeem_reward(user=person, reward_id=reward.pk)

    response = scim.patch(
        f"Users/{person.pk}",
        {"schemas": [PATCH], "Operations": [{"op": "replace", "value": {"active": False}}]},
    )

    assert response.status_code == 200
    person.refresh_from_db()
    assert person.is_active is False
    assert balance_of(person) == 400
    assert Redemption.objects.get(pk=redemption.pk).status == redemption.status


def test_a_person_deleted_by_the_provider_comes_back_when_provisioned_again(
    scim: ScimClient,
) -> None:
    user_id = scim.post("Users", a_user(externalId="first")).json()["id"]
    assert scim.delete(f"Users/{user_id}").status_code == 204
    assert scim.get('Users?filter=userName eq "new.hire@example.com"').json()["totalResults"] == 0

    again = scim.post("Users", a_user(externalId="second"))

    assert again.status_code == 201
    assert again.json()["id"] == user_id
    assert again.json()["active"] is True
    assert User.objects.filter(email="new.hire@example.com").count() == 1


# --- Groups and roles -------------------------------------------------------------------


def test_hr_mapping_a_groups_name_gives_its_members_the_role_at_once(scim: ScimClient) -> None:
    member = UserFactory()
    scim.post("Groups", {"displayName": "Leads", "members": [{"value": str(member.pk)}]})
    member.refresh_from_db()
    assert member.role == Role.EMPLOYEE  # the group gives no role yet

    hr = User.objects.get(email="it-admin@example.com")
    mapping = sso.set_group_role(actor=hr, group="leads", role=Role.MANAGER)
    member.refresh_from_db()
    assert member.role == Role.MANAGER

    sso.set_group_role(actor=hr, group="leads", role=Role.HR_ADMIN, mapping=mapping)
    member.refresh_from_db()
    assert member.role == Role.HR_ADMIN

    sso.remove_group_role(actor=hr, mapping=mapping)
    member.refresh_from_db()
    # As at a sign-in: once the table is empty, roles are HR's to set by hand.
    assert member.role == Role.HR_ADMIN

    sso.set_group_role(actor=hr, group="Other team", role=Role.MANAGER)
    mapping = sso.set_group_role(actor=hr, group="Leads", role=Role.MANAGER)
    sso.remove_group_role(actor=hr, mapping=mapping)
    member.refresh_from_db()
    assert member.role == Role.EMPLOYEE  # no group of theirs maps to a role


def test_a_table_change_that_would_demote_the_last_hr_admin_changes_nothing(
    scim: ScimClient,
) -> None:
    from plaudit.core.errors import DomainError

    hr = User.objects.get(email="it-admin@example.com")
    User.objects.filter(role=Role.HR_ADMIN).exclude(pk=hr.pk).update(role=Role.EMPLOYEE)
    scim.post("Groups", {"displayName": "People team", "members": [{"value": str(hr.pk)}]})
    sso.set_group_role(actor=hr, group="Leads", role=Role.MANAGER)
    mapping = sso.set_group_role(actor=hr, group="People team", role=Role.HR_ADMIN)

    with pytest.raises(DomainError):
        sso.remove_group_role(actor=hr, mapping=mapping)

    assert GroupRoleMapping.objects.filter(group="People team").exists()
    hr.refresh_from_db()
    assert hr.role == Role.HR_ADMIN


def test_only_hr_maps_a_group_to_a_role(scim: ScimClient) -> None:
    from plaudit.core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        sso.set_group_role(actor=UserFactory(), group="Plaudit managers", role=Role.HR_ADMIN)


def test_the_highest_mapped_role_of_a_persons_groups_wins(scim: ScimClient) -> None:
    GroupRoleMapping.objects.create(group="Leads", role=Role.MANAGER)
    GroupRoleMapping.objects.create(group="People team", role=Role.HR_ADMIN)
    person = UserFactory()
    for name in ("Leads", "People team", "Chess club"):
        scim.post("Groups", {"displayName": name, "members": [{"value": str(person.pk)}]})
    person.refresh_from_db()
    assert person.role == Role.HR_ADMIN


def test_unmapped_groups_leave_roles_hr_set_by_hand(scim: ScimClient) -> None:
    manager = UserFactory(role=Role.MANAGER)
    scim.post("Groups", {"displayName": "Chess club", "members": [{"value": str(manager.pk)}]})
    manager.refresh_from_db()
    assert manager.role == Role.MANAGER  # the table is empty: roles are HR's


def test_renaming_a_group_into_a_mapped_name_gives_the_role(scim: ScimClient) -> None:
    GroupRoleMapping.objects.create(group="Managers", role=Role.MANAGER)
    person = UserFactory()
    group_id = scim.post(
        "Groups", {"displayName": "Leads", "members": [{"value": str(person.pk)}]}
    ).json()["id"]
    person.refresh_from_db()
    assert person.role == Role.EMPLOYEE

    renamed = scim.patch(
        f"Groups/{group_id}",
        {
            "schemas": [PATCH],
            "Operations": [{"op": "replace", "path": "displayName", "value": "Managers"}],
        },
    )
    assert renamed.status_code == 200, renamed.content
    person.refresh_from_db()
    assert person.role == Role.MANAGER

    assert scim.delete(f"Groups/{group_id}").status_code == 204
    person.refresh_from_db()
    assert person.role == Role.EMPLOYEE


def test_a_superusers_role_is_left_alone(scim: ScimClient) -> None:
    GroupRoleMapping.objects.create(group="Leads", role=Role.MANAGER)
    root = UserFactory(is_superuser=True, role=Role.HR_ADMIN)
    scim.post("Groups", {"displayName": "Leads", "members": [{"value": str(root.pk)}]})
    root.refresh_from_db()
    assert root.role == Role.HR_ADMIN


# --- Never a 500 ---------------------------------------------------------------------------

ODD_USERS = [
    {},
    {"schemas": [USER], "userName": 42, "emails": [{"value": "x@example.com"}]},
    {"schemas": [USER], "userName": "x@example.com", "emails": "x@example.com"},
    {
        "schemas": [USER],
        "userName": "x@example.com",
        "emails": [{"value": "x@example.com"}],
        "active": "maybe",
    },
    {"schemas": [USER], "userName": "x" * 300, "emails": [{"value": "x@example.com"}]},
    {
        "schemas": [USER],
        "userName": "x@example.com",
        "emails": [{"value": "x@example.com"}],
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"manager": ["1"]},
    },
    {"schemas": ["urn:example:not-a-schema"], "userName": "x@example.com"},
]

ODD_PATCHES = [
    {},
    {"schemas": [PATCH], "Operations": "replace"},
    {
        "schemas": [PATCH],
        "Operations": [{"op": "replace", "path": "name.givenName", "value": {"a": 1}}],
    },
    {"schemas": [PATCH], "Operations": [{"op": "add", "path": "emails[type eq", "value": "x"}]},
    {"schemas": [PATCH], "Operations": [{"op": "remove"}]},
    {"schemas": [PATCH], "Operations": [{"op": "replace", "path": "userName", "value": None}]},
    {
        "schemas": [PATCH],
        "Operations": [{"op": "add", "path": "groups", "value": [{"value": "1"}]}],
    },
]


@pytest.mark.parametrize("body", ODD_USERS)
def test_odd_users_are_scim_errors(scim: ScimClient, body: Any) -> None:
    for response in (scim.post("Users", body), scim.put(f"Users/{_someone().pk}", body)):
        assert 400 <= response.status_code < 500, response.content
        assert response.json()["schemas"] == [ERROR]


@pytest.mark.parametrize("body", ODD_PATCHES)
def test_odd_patches_are_scim_errors(scim: ScimClient, body: Any) -> None:
    response = scim.patch(f"Users/{_someone().pk}", body)

    assert 400 <= response.status_code < 500, response.content
    assert response.json()["schemas"] == [ERROR]


@pytest.mark.parametrize(
    "query",
    [
        "startIndex=abc",
        "count=-5",
        "attributes=no such thing",
        "filter=%00",
        "startIndex=100000000000000000000",
        'filter=meta.created gt "2024-13-45T00:00:00"',
        'filter=id eq "²"',
    ],
)
def test_odd_queries_never_fail(scim: ScimClient, query: str) -> None:
    response = scim.get(f"Users?{query}")

    assert response.status_code < 500, response.content


def test_odd_group_members_are_scim_errors(scim: ScimClient) -> None:
    group_id = scim.post("Groups", {"displayName": "Odd"}).json()["id"]
    for value in ("not a list", [{"value": "no-such-person"}], [{"value": "999999"}]):
        response = scim.patch(
            f"Groups/{group_id}",
            {"schemas": [PATCH], "Operations": [{"op": "add", "path": "members", "value": value}]},
        )
        assert 400 <= response.status_code < 500, response.content
        assert response.json()["schemas"] == [ERROR]


def _someone() -> User:
    return UserFactory()


def test_a_manager_named_by_ref_alone_is_found(scim: ScimClient) -> None:
    boss = UserFactory()
    enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

    created = scim.post(
        "Users",
        a_user(**{enterprise: {"manager": {"$ref": f"http://testserver/scim/v2/Users/{boss.pk}"}}}),
    )

    assert created.status_code == 201, created.content
    assert created.json()[enterprise]["manager"]["value"] == str(boss.pk)


def test_listing_users_and_groups_costs_the_same_queries_however_many(scim: ScimClient) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from plaudit.scim.models import ScimGroup

    def queries(path: str) -> int:
        scim.get(path)  # the token's last use is written once a minute: not counted twice
        with CaptureQueriesContext(connection) as captured:
            assert scim.get(path).status_code == 200
        return len(captured)

    boss = UserFactory()
    group = ScimGroup.objects.create(display_name="Plaudit managers")
    group.members.add(*[UserFactory(manager=boss) for _ in range(2)])
    few_users, few_groups = queries("Users"), queries("Groups")
    group.members.add(*[UserFactory(manager=boss) for _ in range(10)])

    assert queries("Users") == few_users
    assert queries("Groups") == few_groups


def test_an_id_python_calls_a_digit_is_not_found(scim: ScimClient) -> None:
    response = scim.get("Users/²")

    assert response.status_code == 404, response.content
    assert response.json()["schemas"] == [ERROR]
