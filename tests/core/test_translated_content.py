"""The mechanism behind translated content (plaudit/core/translated_content.py)."""

import pytest
from django.test import override_settings
from django.utils import translation

from plaudit.core.errors import InvalidInput
from plaudit.core.translated_content import check_translations, other_languages
from plaudit.rewards.models import Reward


def test_a_regional_reader_gets_the_languages_text_and_anyone_else_the_companys():
    reward = Reward(name="Mug", translations={"fr": {"name": "Tasse"}})

    with translation.override("fr-ca"):
        regional = reward.translated("name")
    with translation.override("de"):
        german = reward.translated("name")

    assert (regional, german, reward.translated("name", "fr")) == ("Tasse", "Mug", "Tasse")
    assert reward.name == "Mug"  # the base field stays the company's text


def test_translations_are_stored_trimmed_in_a_fixed_order_without_blanks():
    stored = check_translations(
        Reward,
        {"es": {"name": " Taza "}, "de": {"name": "", "description": "  "}, "fr": {"name": None}},
    )

    assert stored == {"es": {"name": "Taza"}}


def test_the_base_fields_bounds_are_the_translations_bounds():
    check_translations(Reward, {"fr": {"name": "T" * 200}})

    with pytest.raises(InvalidInput) as refused:
        check_translations(Reward, {"fr": {"name": "T" * 201}})

    assert refused.value.field == "translations"
    assert (
        str(refused.value) == "fr.name: Ensure this value has at most 200 characters (it has 201)."
    )


@override_settings(LANGUAGE_CODE="de")
def test_the_forms_offer_every_shipped_language_but_the_companys():
    assert [code for code, _name in other_languages()] == ["en", "fr", "es"]
