"""The requests Okta sends, replayed in its order.

Written from memory of Okta's "SCIM 2.0 protocol reference" (Okta developer docs:
"SCIM V2.0" request/response examples for users and groups): Okta checks for the user
by ``userName eq`` with ``startIndex`` and ``count``, creates with a password and
locale Plaudit does not keep, updates a profile with PUT, deactivates and reactivates
with a path-less ``replace`` whose value is ``{"active": false}``, pushes a password
the same way, and pushes groups: create, rename with ``{"id": ..., "displayName": ...}``,
add members with their ``display``, remove one with a ``members[value eq "..."]`` path.
The shapes are the documentation's; the ids and names are ours.
"""

from typing import Any

from plaudit.people.models import GroupRoleMapping, User
from plaudit.people.roles import Role
from plaudit.scim.models import ScimGroup

from ..factories import UserFactory

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def okta_patch(*operations: dict[str, Any]) -> dict[str, Any]:
    return {"schemas": [PATCH], "Operations": list(operations)}


def okta_user(**changes: Any) -> dict[str, Any]:
    return {
        "schemas": [USER],
        "userName": "test.user@okta.local",
        "name": {"givenName": "Test", "familyName": "User"},
        "emails": [{"primary": True, "value": "test.user@okta.local", "type": "work"}],
        "displayName": "Test User",
        "locale": "en-US",
        "externalId": "00ujl29u0le5T6Aj10h7",
        "groups": [],
        "password": "1mz050nq",
        "active": True,
        **changes,
    }


def test_okta_user_lifecycle(scim: Any) -> None:
    empty = scim.get('Users?filter=userName eq "test.user@okta.local"&startIndex=1&count=100')
    assert empty.status_code == 200
    assert empty.json()["totalResults"] == 0

    created = scim.post("Users", okta_user())
    assert created.status_code == 201, created.content
    user_id = created.json()["id"]
    person = User.objects.get(pk=user_id)
    assert person.email == "test.user@okta.local"
    assert not person.has_usable_password()  # Okta's password is not Plaudit's

    # Provisioning the same person twice: 409, then Okta finds them and carries on.
    twice = scim.post("Users", okta_user())
    assert twice.status_code == 409
    assert twice.json()["scimType"] == "uniqueness"
    found = scim.get('Users?filter=userName eq "test.user@okta.local"&startIndex=1&count=100')
    assert [resource["id"] for resource in found.json()["Resources"]] == [user_id]

    # Profile update: the whole user, with PUT.
    replaced = scim.put(
        f"Users/{user_id}",
        okta_user(id=user_id, name={"givenName": "Another", "familyName": "User"}, title="Chef"),
    )
    assert replaced.status_code == 200, replaced.content
    assert replaced.json()["name"] == {"givenName": "Another", "familyName": "User"}
    person.refresh_from_db()
    assert (person.first_name, person.title) == ("Another", "Chef")

    # Deactivate, with no path.
    deactivated = scim.patch(
        f"Users/{user_id}", okta_patch({"op": "replace", "value": {"active": False}})
    )
    assert deactivated.status_code == 200, deactivated.content
    assert deactivated.json()["active"] is False
    person.refresh_from_db()
    assert person.is_active is False

    # Reactivate.
    reactivated = scim.patch(
        f"Users/{user_id}", okta_patch({"op": "replace", "value": {"active": True}})
    )
    assert reactivated.json()["active"] is True
    person.refresh_from_db()
    assert person.is_active is True

    # A password push changes nothing Plaudit keeps.
    pushed = scim.patch(
        f"Users/{user_id}", okta_patch({"op": "replace", "value": {"password": "t1meMa$heen"}})
    )
    assert pushed.status_code == 200, pushed.content
    person.refresh_from_db()
    assert not person.has_usable_password()


def test_okta_group_push(scim: Any) -> None:
    ada, bob = UserFactory(), UserFactory()
    created = scim.post("Groups", {"schemas": [GROUP], "displayName": "Test SCIMv2", "members": []})
    assert created.status_code == 201, created.content
    group_id = created.json()["id"]
    GroupRoleMapping.objects.create(group="Managers", role=Role.MANAGER)  # the name it will have

    found = scim.get('Groups?filter=displayName eq "Test SCIMv2"&startIndex=1&count=100')
    assert [group["id"] for group in found.json()["Resources"]] == [group_id]
    listed = scim.get("Groups?startIndex=1&count=100").json()
    assert listed["totalResults"] == ScimGroup.objects.count()

    renamed = scim.patch(
        f"Groups/{group_id}",
        okta_patch({"op": "replace", "value": {"id": group_id, "displayName": "Managers"}}),
    )
    assert renamed.status_code == 200, renamed.content
    assert renamed.json()["displayName"] == "Managers"

    added = scim.patch(
        f"Groups/{group_id}",
        okta_patch(
            {
                "op": "add",
                "path": "members",
                "value": [
                    {"value": str(ada.pk), "display": ada.email},
                    {"value": str(bob.pk), "display": bob.email},
                ],
            }
        ),
    )
    assert added.status_code == 200, added.content
    ada.refresh_from_db()
    bob.refresh_from_db()
    assert (ada.role, bob.role) == (Role.MANAGER, Role.MANAGER)

    removed = scim.patch(
        f"Groups/{group_id}",
        okta_patch({"op": "remove", "path": f'members[value eq "{ada.pk}"]'}),
    )
    assert removed.status_code == 200, removed.content
    ada.refresh_from_db()
    assert ada.role == Role.EMPLOYEE

    assert scim.delete(f"Groups/{group_id}").status_code == 204
    bob.refresh_from_db()
    assert bob.role == Role.EMPLOYEE
