"""Emails and department names become unique ignoring letter case; constraints get words.

What happens to rows that would break the new constraints:

- Departments whose names differ only by case ("Research", "research", made by
  older CSV imports) are merged into the oldest of them (lowest id): its members
  move over and the others are deleted. Every door already treated them as one
  department by name, so nobody loses anything they could tell apart.
- People whose emails differ only by case cannot be merged (each signs in and owns
  points), so the migration stops, names them, and changes nothing: give each a
  distinct email (the admin or ``PATCH /api/v1/people/{id}/``), then migrate again.

Reversing drops the constraints; merged departments stay merged.
"""

from typing import Any

from decimal import Decimal

import django.core.validators
from django.db import migrations, models
from django.db.models import Count
from django.db.models.functions import Lower


def merge_departments_differing_only_by_case(apps: Any, schema_editor: Any) -> None:
    Department = apps.get_model("people", "Department")
    User = apps.get_model("people", "User")
    kept: dict[str, int] = {}
    # The database's own lower(), so the merge agrees with the constraint it prepares.
    for pk, key in (
        Department.objects.annotate(key=Lower("name"))
        .order_by("key", "pk")
        .values_list("pk", "key")
    ):
        if key not in kept:
            kept[key] = pk
            continue
        User.objects.filter(department_id=pk).update(department_id=kept[key])
        Department.objects.filter(pk=pk).delete()
    if schema_editor.connection.vendor == "postgresql":
        # The moves queued deferred foreign-key checks, and PostgreSQL builds no index on
        # a table with checks pending: run them now, then defer again as before.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


def refuse_emails_differing_only_by_case(apps: Any, schema_editor: Any) -> None:
    User = apps.get_model("people", "User")
    by_email: dict[str, list[int]] = {}
    clashing = (
        User.objects.annotate(key=Lower("email"))
        .values("key")
        .annotate(people=Count("pk"))
        .filter(people__gt=1)
        .values("key")
    )
    for key, pk in (
        User.objects.annotate(key=Lower("email"))
        .filter(key__in=clashing)
        .order_by("key", "pk")
        .values_list("key", "pk")
    ):
        by_email.setdefault(key, []).append(pk)
    if by_email:
        listed = "; ".join(
            f"{email}: people {', '.join(map(str, ids))}"
            for email, ids in list(by_email.items())[:20]
        )
        more = f"; and {len(by_email) - 20} more" if len(by_email) > 20 else ""
        raise RuntimeError(
            f"{len(by_email)} emails are each held by several people, differing only by letter "
            f"case ({listed}{more}). Give each person a distinct email (the admin, or PATCH "
            "/api/v1/people/{id}/), then run migrate again. Nothing was changed."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="salary",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=12,
                null=True,
                validators=[
                    django.core.validators.MinValueValidator(0),
                    django.core.validators.MaxValueValidator(Decimal("9999999999")),
                ],
            ),
        ),
        migrations.RunPython(merge_departments_differing_only_by_case, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="department",
            constraint=models.UniqueConstraint(
                Lower("name"),
                name="department_name_unique_ignoring_case",
                violation_error_message=(
                    "A department with this name already exists (names ignore letter case)."
                ),
            ),
        ),
        migrations.RunPython(refuse_emails_differing_only_by_case, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                Lower("email"),
                name="person_email_unique_ignoring_case",
                violation_error_message=(
                    "Another person already has this email (emails ignore letter case)."
                ),
            ),
        ),
        migrations.AlterConstraint(
            model_name="user",
            name="salary_not_negative",
            constraint=models.CheckConstraint(
                condition=models.Q(("salary__isnull", True), ("salary__gte", 0), _connector="OR"),
                name="salary_not_negative",
                violation_error_message="A salary cannot be negative.",
            ),
        ),
        migrations.AlterConstraint(
            model_name="user",
            name="person_not_own_manager",
            constraint=models.CheckConstraint(
                condition=models.Q(("manager", models.F("pk")), _negated=True),
                name="person_not_own_manager",
                violation_error_message="A person cannot be their own manager.",
            ),
        ),
    ]
