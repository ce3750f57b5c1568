"""The two groups that give roles, ready for an identity provider to find by name and
fill ("Plaudit HR admins", "Plaudit managers"); HR may rename them or map others."""

from django.db import migrations

ROLE_GROUPS = {"Plaudit HR admins": "hr_admin", "Plaudit managers": "manager"}


def create_role_groups(apps, schema_editor):
    ScimGroup = apps.get_model("scim", "ScimGroup")
    for name, role in ROLE_GROUPS.items():
        ScimGroup.objects.get_or_create(display_name=name, defaults={"role": role})


class Migration(migrations.Migration):
    dependencies = [("scim", "0001_initial")]

    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
