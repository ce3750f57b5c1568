"""Once seeded two groups that gave roles ("Plaudit HR admins", "Plaudit managers").
Roles now come from the group-to-role table single sign-on uses too, which starts empty
(HR maps the groups it wants): nothing is seeded any more, and 0003 moves what an
existing installation had into that table."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("scim", "0001_initial")]

    operations: list = []
