"""Helpers every app's services share."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.db import models
from django.utils.translation import gettext as _

from .errors import InvalidInput


def check_fields(given: Iterable[str], allowed: Iterable[str], *, kind: str) -> None:
    """Refuse keyword arguments a service does not accept: a programming error, not bad input."""
    unknown = set(given) - set(allowed)
    if unknown:
        raise TypeError(f"Unknown {kind} fields: {sorted(unknown)}")


def check_model_values(model: type[models.Model], values: dict[str, Any]) -> None:
    """Refuse a value its model field would not store, in that field's own words.

    A field's bounds are defined once, as its validators next to the model (with
    ``null``, ``blank`` and ``max_length``); a service runs them here, so every door
    gets the refusal the API's serializer and Django's forms give for the same bound.
    Raises :class:`InvalidInput` naming the first field at fault.
    """
    for name, value in values.items():
        try:
            model._meta.get_field(name).clean(value, None)  # type: ignore[union-attr]
        except ValidationError as exc:
            raise InvalidInput(exc.messages[0], field=name) from exc


def check_value(value: Any, validators: Iterable[Any], *, field: str) -> None:
    """Run Django validators on one input value; the first refusal is an :class:`InvalidInput`."""
    try:
        for validate in validators:
            validate(value)
    except ValidationError as exc:
        raise InvalidInput(exc.messages[0], field=field) from exc


def check_text(value: object, *, field: str, max_length: int, missing: str) -> str:
    """Text a person must write (a reason, a message): not blank once trimmed, at most
    ``max_length`` characters, no NUL character (PostgreSQL's text cannot hold one, and
    DRF's fields refuse it too: a chat command or a form must not reach the database with
    it). Returns it trimmed; ``missing`` is the words for blank."""
    if not isinstance(value, str):
        raise InvalidInput(_("Write it as text."), field=field)
    text = value.strip()
    if not text:
        raise InvalidInput(missing, field=field)
    check_value(
        text, [ProhibitNullCharactersValidator(), MaxLengthValidator(max_length)], field=field
    )
    return text
