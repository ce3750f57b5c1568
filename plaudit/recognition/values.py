"""The company's values (``#teamwork``): every write and every rule about them.

HR admins keep the list. A value's slug is how kudos name it, so it is stored
lower-case and no two living values share it (a retired value's slug is free again);
each field's bounds are its model field's, and so are those of its ``translations``
(:func:`~plaudit.core.translated_content.check_translations`). The API, the admin and
any script call these functions and show their refusals; none of them keeps a copy of
a rule.
"""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plaudit.core.after_commit import run_after_commit
from plaudit.core.constraints import constraint_name, refusal_for
from plaudit.core.errors import DomainError, InvalidInput, NotAllowed
from plaudit.core.services import check_fields, check_model_values
from plaudit.core.translated_content import TRANSLATIONS_FIELD, check_translations
from plaudit.people.models import User
from plaudit.people.roles import is_hr_admin

from .cache import invalidate_reports
from .models import CompanyValue

VALUE_FIELDS = frozenset({"name", "slug", "description", "emoji", TRANSLATIONS_FIELD})
SLUG_TAKEN = gettext_lazy("Another company value already uses this slug.")


def can_edit_values(actor: User | None) -> bool:
    """HR admins keep the company's values; ``None`` is Plaudit itself (seed data)."""
    return actor is None or is_hr_admin(actor)


def check_can_edit_values(actor: User | None) -> None:
    if not can_edit_values(actor):
        raise NotAllowed(_("Only HR admins may change the company's values."))


def check_value_fields(
    values: dict[str, Any], *, value: CompanyValue | None = None
) -> dict[str, Any]:
    """The rules for the given fields of a value (``value`` when it is stored): each
    field's model bounds, and a slug no other living value uses in any letter case.
    Returns the fields as they are stored, the slug lower-cased."""
    checked = dict(values)
    if isinstance(checked.get("slug"), str):
        checked["slug"] = checked["slug"].lower()
    if TRANSLATIONS_FIELD in checked:
        checked[TRANSLATIONS_FIELD] = check_translations(CompanyValue, checked[TRANSLATIONS_FIELD])
    check_model_values(
        CompanyValue, {name: v for name, v in checked.items() if name != TRANSLATIONS_FIELD}
    )
    if "slug" in checked:
        taken = CompanyValue.objects.alive().filter(slug=checked["slug"])
        if value is not None and value.pk is not None:
            taken = taken.exclude(pk=value.pk)
        if taken.exists():
            raise InvalidInput(SLUG_TAKEN, field="slug")
    return checked


def _save(value: CompanyValue, *, update_fields: list[str] | None = None) -> None:
    """Under a savepoint: two saves of one slug at once get the check's words."""
    try:
        with transaction.atomic():
            value.save(update_fields=update_fields)
    except IntegrityError as exc:
        raise _refusal(exc) from exc


def _refusal(exc: IntegrityError) -> DomainError:
    if constraint_name(exc) == "value_slug_unique":
        return InvalidInput(SLUG_TAKEN, field="slug")
    return refusal_for(exc, where="the company values")


def create_value(*, actor: User | None, **fields: Any) -> CompanyValue:
    check_fields(fields, VALUE_FIELDS, kind="value")
    check_can_edit_values(actor)
    value = CompanyValue(**check_value_fields({"description": "", "emoji": "", **fields}))
    _save(value)
    return value


def update_value(value: CompanyValue, *, actor: User | None, **changes: Any) -> CompanyValue:
    check_fields(changes, VALUE_FIELDS, kind="value")
    check_can_edit_values(actor)
    for name, change in check_value_fields(changes, value=value).items():
        setattr(value, name, change)
    _save(value, update_fields=[*changes, "updated_at"])
    if {"name", "emoji", TRANSLATIONS_FIELD} & set(changes):
        run_after_commit(invalidate_reports)  # the trends name it
    return value


def delete_value(value: CompanyValue, *, actor: User | None) -> None:
    """Soft delete: no new kudos name it; past ones keep it; its slug is free again."""
    check_can_edit_values(actor)
    if value.deleted_at is None:
        value.deleted_at = timezone.now()
        value.save(update_fields=["deleted_at", "updated_at"])
        run_after_commit(invalidate_reports)
