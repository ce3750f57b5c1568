"""A SCIM group no longer keeps a role (the column goes in 0004, a migration of its own:
PostgreSQL alters no table with this one's deletes pending): the roles its display name gives come from the
group-to-role table single sign-on uses too (people.GroupRoleMapping).

Each role HR had chosen for a group moves into that table under the group's name,
unless the table already maps that name (letter case ignored; the table wins). The two
groups 0002 once seeded ("Plaudit HR admins", "Plaudit managers") are removed when the
identity provider never used them (no members, no external id, their seeded role):
the table starts empty, and HR maps the groups it wants."""

from django.db import migrations

SEEDED = {"Plaudit HR admins": "hr_admin", "Plaudit managers": "manager"}


def move_roles(apps, schema_editor):
    ScimGroup = apps.get_model("scim", "ScimGroup")
    GroupRoleMapping = apps.get_model("people", "GroupRoleMapping")
    for group in ScimGroup.objects.order_by("pk"):
        untouched_seed = (
            SEEDED.get(group.display_name) == group.role
            and not group.external_id
            and not group.members.exists()
        )
        if untouched_seed:
            group.delete()
            continue
        if group.role and not GroupRoleMapping.objects.filter(
            group__iexact=group.display_name
        ).exists():
            GroupRoleMapping.objects.create(group=group.display_name, role=group.role)


def restore_roles(apps, schema_editor):
    ScimGroup = apps.get_model("scim", "ScimGroup")
    GroupRoleMapping = apps.get_model("people", "GroupRoleMapping")
    for mapping in GroupRoleMapping.objects.all():
        ScimGroup.objects.filter(display_name__iexact=mapping.group).update(role=mapping.role)


class Migration(migrations.Migration):
    dependencies = [
        ("scim", "0002_role_groups"),
        ("people", "0007_group_role_mapping"),
    ]

    operations = [
        migrations.RunPython(move_roles, restore_roles),
    ]
