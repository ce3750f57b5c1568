"""The requests Microsoft Entra ID sends, replayed in its order.

Written from memory of Microsoft's "Tutorial: Develop and plan provisioning for a SCIM
endpoint in Microsoft Entra ID" (its "User operations" and "Group operations" request
examples) and its notes on known compliance issues: capitalised ops ("Replace",
"Add"), booleans sent as strings ("False"), the path ``emails[type eq "work"].value``,
the enterprise manager as a bare id, and removal of members by value. The shapes are
the documentation's; the ids and names are ours.
"""

from typing import Any

from plaudit.audit import actions
from plaudit.audit.models import AuditEvent
from plaudit.people import sso
from plaudit.people.models import GroupRoleMapping, User
from plaudit.people.roles import Role

from ..factories import UserFactory

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse"


def patch(*operations: dict[str, Any]) -> dict[str, Any]:
    return {"schemas": [PATCH], "Operations": list(operations)}


def entra_user(**extra: Any) -> dict[str, Any]:
    return {
        "schemas": [USER, ENTERPRISE],
        "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
        "userName": "Test_User_ab6490ee@testuser.com",
        "active": True,
        "emails": [{"primary": True, "type": "work", "value": "Test_User_fd0ea19b@testuser.com"}],
        "meta": {"resourceType": "User"},
        "name": {
            "formatted": "givenName familyName",
            "familyName": "familyName",
            "givenName": "givenName",
        },
        "roles": [],
        ENTERPRISE: {"employeeNumber": "E-1001", "department": "Research"},
        **extra,
    }


def test_entra_user_lifecycle(scim: Any) -> None:
    # Matching: Entra looks for the user before creating them.
    response = scim.get('Users?filter=userName eq "Test_User_ab6490ee@testuser.com"')
    assert response.status_code == 200
    assert response.json() == {
        "schemas": [LIST],
        "totalResults": 0,
        "startIndex": 1,
        "itemsPerPage": 0,
        "Resources": [],
    }

    created = scim.post("Users", entra_user())
    assert created.status_code == 201, created.content
    assert created["Content-Type"] == "application/scim+json"
    body = created.json()
    user_id = body["id"]
    assert created["Location"].endswith(f"/scim/v2/Users/{user_id}")
    assert body["userName"] == "Test_User_ab6490ee@testuser.com"
    assert body["externalId"] == "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"
    assert body["emails"] == [{"value": "Test_User_fd0ea19b@testuser.com", "type": "work"}]
    assert body[ENTERPRISE] == {"employeeNumber": "E-1001", "department": "Research"}
    person = User.objects.get(pk=user_id)
    assert (person.email, person.first_name, person.last_name) == (
        "Test_User_fd0ea19b@testuser.com",
        "givenName",
        "familyName",
    )
    assert person.department is not None
    assert person.department.name == "Research"

    # Get user, and get user by query.
    assert scim.get(f"Users/{user_id}").json()["id"] == user_id
    found = scim.get('Users?filter=userName eq "Test_User_ab6490ee@testuser.com"').json()
    assert [resource["id"] for resource in found["Resources"]] == [user_id]
    assert found["totalResults"] == 1

    # Update user, multi-valued and single-valued properties.
    updated = scim.patch(
        f"Users/{user_id}",
        patch(
            {
                "op": "Replace",
                "path": 'emails[type eq "work"].value',
                "value": "updatedEmail@testuser.com",
            },
            {"op": "Replace", "path": "name.familyName", "value": "updatedFamilyName"},
        ),
    )
    assert updated.status_code == 200, updated.content
    person.refresh_from_db()
    assert (person.email, person.last_name) == ("updatedEmail@testuser.com", "updatedFamilyName")

    renamed = scim.patch(
        f"Users/{user_id}",
        patch({"op": "Replace", "path": "userName", "value": "5b50642d@testuser.com"}),
    )
    assert renamed.json()["userName"] == "5b50642d@testuser.com"

    # The manager, as Entra sends it: the manager's id alone.
    boss = UserFactory(email="boss@testuser.com")
    managed = scim.patch(
        f"Users/{user_id}",
        patch({"op": "Add", "path": f"{ENTERPRISE}:manager", "value": str(boss.pk)}),
    )
    assert managed.json()[ENTERPRISE]["manager"]["value"] == str(boss.pk)
    person.refresh_from_db()
    assert person.manager_id == boss.pk

    # Disable user: a string boolean, as Entra sends for some applications.
    disabled = scim.patch(
        f"Users/{user_id}", patch({"op": "Replace", "path": "active", "value": "False"})
    )
    assert disabled.status_code == 200, disabled.content
    assert disabled.json()["active"] is False
    person.refresh_from_db()
    assert person.is_active is False

    # Entra sends it again (a retry) and after 30 days deletes.
    again = scim.patch(
        f"Users/{user_id}", patch({"op": "Replace", "path": "active", "value": False})
    )
    assert again.status_code == 200
    assert scim.delete(f"Users/{user_id}").status_code == 204
    assert scim.get(f"Users/{user_id}").status_code == 404
    assert User.objects.filter(pk=user_id, is_active=False).exists()  # never deleted

    done = set(AuditEvent.objects.filter(target_id=str(user_id)).values_list("action", flat=True))
    assert {
        actions.SCIM_USER_CREATED,
        actions.SCIM_USER_UPDATED,
        actions.SCIM_USER_DEACTIVATED,
        actions.SCIM_USER_REMOVED,
    } <= done


def test_entra_finds_a_person_hired_before_provisioning_and_links_them(scim: Any) -> None:
    hired = UserFactory(email="ada@testuser.com")
    found = scim.get('Users?filter=userName eq "ada@testuser.com"').json()
    assert [resource["id"] for resource in found["Resources"]] == [str(hired.pk)]

    linked = scim.patch(
        f"Users/{hired.pk}",
        patch({"op": "Replace", "path": "externalId", "value": "9f1d-entra-object-id"}),
    )
    assert linked.json()["externalId"] == "9f1d-entra-object-id"
    by_external_id = scim.get('Users?filter=externalId eq "9f1d-entra-object-id"').json()
    assert by_external_id["totalResults"] == 1


def test_entra_group_lifecycle_gives_and_takes_the_role(scim: Any) -> None:
    ada, bob = UserFactory(), UserFactory()
    created = scim.post(
        "Groups",
        {
            "schemas": [
                GROUP,
                "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group",
            ],
            "externalId": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
            "displayName": "Sales managers",
            "meta": {"resourceType": "Group"},
        },
    )
    assert created.status_code == 201, created.content
    group_id = created.json()["id"]
    # HR maps the name the group will have (the same table as single sign-on's; any case)
    GroupRoleMapping.objects.create(group="sales team managers", role=Role.MANAGER)

    fetched = scim.get(f"Groups/{group_id}?excludedAttributes=members")
    assert fetched.status_code == 200
    assert "members" not in fetched.json()
    by_name = scim.get('Groups?excludedAttributes=members&filter=displayName eq "Sales managers"')
    assert [group["id"] for group in by_name.json()["Resources"]] == [group_id]

    renamed = scim.patch(
        f"Groups/{group_id}",
        patch({"op": "Replace", "path": "displayName", "value": "Sales team managers"}),
    )
    assert renamed.json()["displayName"] == "Sales team managers"

    added = scim.patch(
        f"Groups/{group_id}",
        patch(
            {
                "op": "Add",
                "path": "members",
                "value": [
                    {"$ref": None, "value": str(ada.pk)},
                    {"$ref": None, "value": str(bob.pk)},
                ],
            }
        ),
    )
    assert added.status_code == 200, added.content
    ada.refresh_from_db()
    assert ada.role == Role.MANAGER

    removed = scim.patch(
        f"Groups/{group_id}",
        patch({"op": "Remove", "path": "members", "value": [{"$ref": None, "value": str(ada.pk)}]}),
    )
    assert removed.status_code == 200, removed.content
    assert [member["value"] for member in removed.json()["members"]] == [str(bob.pk)]
    ada.refresh_from_db()
    assert ada.role == Role.EMPLOYEE

    assert scim.delete(f"Groups/{group_id}").status_code == 204
    bob.refresh_from_db()
    assert bob.role == Role.EMPLOYEE
    assert scim.get(f"Groups/{group_id}").status_code == 404


def test_entra_group_named_in_the_table_gives_its_role(scim: Any) -> None:
    hr = User.objects.get(email="it-admin@example.com")
    sso.set_group_role(actor=hr, group="Plaudit HR admins", role=Role.HR_ADMIN)
    # Plaudit seeds no group: Entra looks for it by name, then creates it.
    assert scim.get('Groups?filter=displayName eq "Plaudit HR admins"').json()["Resources"] == []
    created = scim.post("Groups", {"schemas": [GROUP], "displayName": "Plaudit HR admins"})
    assert created.status_code == 201, created.content
    person = UserFactory()
    scim.patch(
        f"Groups/{created.json()['id']}",
        patch({"op": "Add", "path": "members", "value": [{"value": str(person.pk)}]}),
    )
    person.refresh_from_db()
    assert person.role == Role.HR_ADMIN
