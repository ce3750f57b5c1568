"""The HR admins' group, and every active HR admin in it with access to the admin.

Its permissions are set after ``migrate`` (``plaudit.people.access``), once every app's
permissions exist; from now on the people services keep its members in step.
"""

from django.db import migrations
from django.db.models import Q

HR_ADMINS_GROUP = "HR admins"  # plaudit.people.access.HR_ADMINS_GROUP, as it was


def join_hr_admins(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("people", "User")
    group, _ = Group.objects.get_or_create(name=HR_ADMINS_GROUP)
    hr_admins = User.objects.filter(Q(role="hr_admin") | Q(is_superuser=True), is_active=True)
    hr_admins.update(is_staff=True)
    group.user_set.add(*hr_admins)


def leave_hr_admins(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=HR_ADMINS_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("people", "0002_case_insensitive_email_and_department"),
    ]

    operations = [migrations.RunPython(join_hr_admins, leave_hr_admins)]
