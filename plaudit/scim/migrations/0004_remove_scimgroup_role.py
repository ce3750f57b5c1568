"""The role a SCIM group gave now lives in people.GroupRoleMapping (see 0003)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("scim", "0003_roles_into_group_role_mapping")]

    operations = [migrations.RemoveField(model_name="scimgroup", name="role")]
