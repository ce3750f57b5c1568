"""The forms' and the admin's door onto translated content
(:mod:`plaudit.core.translated_content`): one input per translated field and language.

The inputs are named ``<field>_<language>`` (``name_fr``); the form's ``cleaned_data``
then carries ``translations`` as the services take it (the stored translations with
these inputs applied), and ``changed_data`` names ``translations`` when any input
changed, so an editor that passes the cleaned, changed fields to a service saves the
translations with no code of its own. The service judges them again.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import ModelFormMetaclass
from django.http import HttpRequest
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .translated_content import (
    TRANSLATIONS_FIELD,
    TranslatedContent,
    clean_translated_text,
    other_languages,
)


def input_name(field: str, language: str) -> str:
    return f"{field}_{language}"


def _label_now(field: Any, language_name: str) -> str:
    # Translators: a translation's input, e.g. "Name (Français)".
    return gettext("%(field)s (%(language)s)") % {
        "field": capfirst(field),
        "language": language_name,
    }


# Read when the form is shown, in the reader's language (forms are made at import).
_label = lazy(_label_now, str)


def translation_inputs(model: type[TranslatedContent]) -> dict[str, forms.Field]:
    """``{"name_fr": CharField(...), ...}``: for each language but the company's, each
    translated field as its base field's form field (its widget and ``max_length``),
    optional, labelled "Name (Français)"."""
    inputs: dict[str, forms.Field] = {}
    for language, language_name in other_languages():
        for name in model.translated_fields:
            base = model._meta.get_field(name)
            label = _label(base.verbose_name, language_name)  # type: ignore[union-attr]
            field = base.formfield(required=False, label=label, help_text="")  # type: ignore[union-attr]
            assert field is not None
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 3  # one per language: keep the form short
            inputs[input_name(name, language)] = field
    return inputs


class _DeclaresTranslationInputs(ModelFormMetaclass):
    """Declares the inputs on the class (where the admin looks for a form's fields) when
    its model, its own ``Meta``'s or an inherited one's, is translated content."""

    def __new__(mcs, name: str, bases: tuple[type, ...], attrs: dict[str, Any]) -> Any:
        meta = attrs.get("Meta") or next(
            (base.Meta for base in bases if hasattr(base, "Meta")), None
        )
        model = getattr(meta, "model", None)
        if isinstance(model, type) and issubclass(model, TranslatedContent):
            attrs = {**translation_inputs(model), **attrs}
        return super().__new__(mcs, name, bases, attrs)


class TranslationInputs(forms.ModelForm, metaclass=_DeclaresTranslationInputs):
    """A ModelForm of a :class:`TranslatedContent` model, with its translation inputs:
    see the module."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stored = self._stored()
        for language, _language_name in other_languages():
            for name in self._meta.model.translated_fields:
                key = input_name(name, language)
                if key in self.fields:
                    self.fields[key].initial = (stored.get(language) or {}).get(name, "")

    def _stored(self) -> dict[str, Any]:
        stored = getattr(self.instance, TRANSLATIONS_FIELD, None)
        return stored if isinstance(stored, dict) else {}

    def _inputs(self) -> list[tuple[str, str, str]]:
        """``(input, language, field)`` for each translation input on this form."""
        return [
            (input_name(name, language), language, name)
            for language, _language_name in other_languages()
            for name in self._meta.model.translated_fields
            if input_name(name, language) in self.fields
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        translations = {language: dict(texts) for language, texts in self._stored().items()}
        for key, language, name in self._inputs():
            if self.has_error(key):
                continue
            try:
                text = clean_translated_text(self._meta.model, name, cleaned.get(key, ""))
            except ValidationError as exc:
                self.add_error(key, exc)
                continue
            texts = translations.setdefault(language, {})
            if text:
                texts[name] = text
            else:
                texts.pop(name, None)
        cleaned[TRANSLATIONS_FIELD] = {
            language: texts for language, texts in translations.items() if texts
        }
        return cleaned

    @property
    def changed_data(self) -> list[str]:
        changed = list(super().changed_data)
        if any(key in changed for key, _language, _name in self._inputs()):
            changed.append(TRANSLATIONS_FIELD)
        return changed


class TranslationsAdmin(admin.ModelAdmin):
    """An admin whose translation inputs sit in their own section, after the rest."""

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if self.fieldsets or len(fieldsets) != 1:
            return fieldsets
        inputs = set(translation_inputs(self.model))
        ((name, options),) = fieldsets
        fields = list(options["fields"])
        return [
            (name, {**options, "fields": [f for f in fields if f not in inputs]}),
            (
                _("Translations"),
                {
                    "fields": [f for f in fields if f in inputs],
                    "description": _(
                        "The company's own text stays in the fields above; a blank "
                        "translation shows it."
                    ),
                },
            ),
        ]
