"""Content the company writes (a value's name, a reward's description), in other languages.

The base fields keep the company's own text, in its language (``LANGUAGE_CODE``). A
model that mixes in :class:`TranslatedContent` also stores its translations in one JSON
column, ``{"fr": {"name": "…", "description": "…"}}``: only languages Plaudit ships
(``settings.LANGUAGES``), only the model's ``translated_fields``, each within its base
field's bounds (:func:`check_translations`, which the services run at every door). A
reader gets the active language's text and, where there is none, the company's
(:meth:`TranslatedContent.translated`). Why a JSON column rather than a column per
language: docs/architecture.md, "Content the company writes".
"""

from collections.abc import Mapping
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language, get_supported_language_variant, gettext_lazy
from django.utils.translation import gettext as _

from .errors import InvalidInput

TRANSLATIONS_FIELD = "translations"


def shipped_languages() -> dict[str, str]:
    """``{code: name}`` of the languages Plaudit ships, in the settings' order."""
    return dict(settings.LANGUAGES)


def company_language() -> str:
    """The language of the base fields: the company default, as a shipped code."""
    try:
        return get_supported_language_variant(settings.LANGUAGE_CODE)
    except LookupError:
        return str(settings.LANGUAGE_CODE)


def other_languages() -> list[tuple[str, str]]:
    """The shipped languages a company translates its content into: all but its own."""
    own = company_language()
    return [(code, name) for code, name in settings.LANGUAGES if code != own]


def _candidates(language: str) -> list[str]:
    """``fr-ca`` is read as ``fr-ca``, then ``fr``."""
    language = language.lower()
    generic = language.split("-")[0]
    return [language] if generic == language else [language, generic]


def text_in_language(translations: Any, field: str, base: str, language: str | None = None) -> str:
    """``field``'s text in ``language`` (default: the active one), else ``base``."""
    language = language or get_language()
    if not language or not isinstance(translations, Mapping):
        return base
    for code in _candidates(language):
        texts = translations.get(code)
        if isinstance(texts, Mapping) and (text := texts.get(field)):
            return str(text)
    return base


class Localised:
    """A row's translated fields, read in the active language: ``{{ reward.localised.name }}``."""

    def __init__(self, content: "TranslatedContent") -> None:
        self._content = content

    def __getattr__(self, field: str) -> str:
        if field.startswith("_") or field not in type(self._content).translated_fields:
            raise AttributeError(field)
        return self._content.translated(field)


class TranslatedContent(models.Model):
    """A model whose ``translated_fields`` the company may translate; see the module."""

    translated_fields: ClassVar[tuple[str, ...]] = ()

    translations = models.JSONField(
        default=dict,
        blank=True,
        help_text=gettext_lazy(
            'Other languages\' texts: {"fr": {"name": "…"}}. The base fields keep the '
            "company's own."
        ),
    )

    class Meta:
        abstract = True

    def translated(self, field: str, language: str | None = None) -> str:
        """``field`` in ``language`` (default: the active one), else the company's text."""
        return text_in_language(self.translations, field, getattr(self, field), language)

    @property
    def localised(self) -> Localised:
        return Localised(self)


def check_translations(model: type[TranslatedContent], given: object) -> dict[str, dict[str, str]]:
    """The translations as they are stored, or :class:`InvalidInput` naming ``translations``.

    Only shipped languages, only the model's translated fields, each text trimmed and
    within its base field's bounds (the model field's own ``clean``: ``max_length`` and
    validators). A blank text is no translation (the company's text shows); a language
    left with none is dropped. Languages and fields are stored in a fixed order.
    """
    if not isinstance(given, Mapping):
        raise InvalidInput(
            _('Write the translations as an object of languages: {"fr": {"name": "…"}}.'),
            field=TRANSLATIONS_FIELD,
        )
    languages = shipped_languages()
    fields = model.translated_fields
    for language, texts in given.items():
        if language not in languages:
            raise InvalidInput(
                _("“%(language)s” is not a language Plaudit ships; use one of %(languages)s.")
                % {"language": language, "languages": ", ".join(languages)},
                field=TRANSLATIONS_FIELD,
            )
        if not isinstance(texts, Mapping):
            raise InvalidInput(
                _('Write each language\'s texts as an object of fields: {"name": "…"}.'),
                field=TRANSLATIONS_FIELD,
            )
        for name in texts:
            if name not in fields:
                raise InvalidInput(
                    _("“%(field)s” cannot be translated; only %(fields)s can.")
                    % {"field": name, "fields": ", ".join(fields)},
                    field=TRANSLATIONS_FIELD,
                )
    stored: dict[str, dict[str, str]] = {}
    for language in languages:
        texts = given.get(language) or {}
        checked = {}
        for name in fields:
            if name not in texts:
                continue
            text = _checked_text(model, language, name, texts[name])
            if text:
                checked[name] = text
        if checked:
            stored[language] = checked
    return stored


def clean_translated_text(model: type[TranslatedContent], name: str, text: object) -> str:
    """One translation's text as stored (trimmed; ``""`` for none), or Django's
    ``ValidationError`` in its base field's words: what a form shows beside its input."""
    if text is None:
        return ""
    if not isinstance(text, str):
        raise ValidationError(_("Write it as text."), code="invalid")
    text = text.strip()
    if text:
        model._meta.get_field(name).clean(text, None)  # type: ignore[union-attr]
    return text


def _checked_text(model: type[TranslatedContent], language: str, name: str, text: object) -> str:
    try:
        return clean_translated_text(model, name, text)
    except ValidationError as exc:
        # Translators: where a translation is at fault, e.g. "fr.name: Ensure this value…".
        where = _("%(language)s.%(field)s: %(problem)s")
        raise InvalidInput(
            where % {"language": language, "field": name, "problem": exc.messages[0]},
            field=TRANSLATIONS_FIELD,
        ) from exc
