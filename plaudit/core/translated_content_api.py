"""The API's door onto translated content (:mod:`plaudit.core.translated_content`).

``translations`` is read and written whole, as stored; the services judge it. The
translated fields (``name``, ``description``) read in the caller's language, falling
back to the company's text, and write the company's text.
"""

from typing import Any

from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .translated_content import TranslatedContent, shipped_languages


def _schema(model: type[TranslatedContent]) -> dict[str, Any]:
    texts: dict[str, Any] = {}
    for name in model.translated_fields:
        field = model._meta.get_field(name)
        text: dict[str, Any] = {"type": "string"}
        if isinstance(field, models.Field) and field.max_length:
            text["maxLength"] = field.max_length
        else:  # a TextField's bound is a validator, if any
            limits = [v.limit_value for v in field.validators if hasattr(v, "limit_value")]  # type: ignore[union-attr]
            if limits:
                text["maxLength"] = min(limits)
        texts[name] = text
    language = {"type": "object", "properties": texts, "additionalProperties": False}
    return {
        "type": "object",
        "properties": dict.fromkeys(shipped_languages(), language),
        "additionalProperties": False,
        "example": {"fr": dict.fromkeys(model.translated_fields, "…")},
    }


def translations_field(model: type[TranslatedContent]) -> serializers.JSONField:
    """The ``translations`` field of ``model``'s serializer, with its schema (on a class
    of its own: DRF copies a declared field by building it again)."""
    fields = " and ".join(model.translated_fields)
    documented = extend_schema_field(_schema(model))(
        type(f"{model.__name__}Translations", (serializers.JSONField,), {})
    )
    return documented(
        required=False,
        help_text=(
            f"Translations of the {fields} into languages Plaudit ships, by language code: "
            f'{{"fr": {{"name": "…"}}}}. Written whole (a PATCH replaces them all); a '
            "blank text is no translation. Each text is bounded as its base field."
        ),
    )


class TranslatedContentSerializer(serializers.ModelSerializer[Any]):
    """A model serializer whose translated fields read in the active language.

    Written, ``name`` and ``description`` are the company's own text; read, they are
    the caller's language's translation where there is one.
    """

    def to_representation(self, instance: Any) -> Any:
        data = super().to_representation(instance)
        for name in type(instance).translated_fields:
            if name in data:
                data[name] = instance.translated(name)
        return data
