"""The translation checks themselves, on deliberately incomplete and broken catalogs:
what test_translations_complete.py would report, it reports."""

from pathlib import Path

import pytest

from .catalogs import extract, fuzzy, obsolete, problems_of, read, untranslated
from .test_translations_complete import needs_gettext

HEADER = """msgid ""
msgstr ""
"Project-Id-Version: Plaudit\\n"
"Language: {language}\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: {plural_forms}\\n"
"""
FRENCH = "nplurals=2; plural=(n > 1);"  # Django's own, for fr
SPANISH = "nplurals=3; plural=n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;"


def write_catalog(
    path: Path, entries: str, *, language: str = "fr", plural_forms: str = FRENCH
) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    header = HEADER.format(language=language, plural_forms=plural_forms)
    path.write_text(header + "\n" + entries, encoding="utf-8")
    return path


INCOMPLETE = """
msgid "Thanks"
msgstr "Merci"

msgid "Rewards"
msgstr ""

#, fuzzy
msgid "Approvals"
msgstr "Approbations"

#, python-format
msgid "%(count)s point"
msgid_plural "%(count)s points"
msgstr[0] "%(count)s point"
msgstr[1] ""

#~ msgid "Old words"
#~ msgstr "Vieux mots"
"""


def test_an_empty_a_fuzzy_and_a_half_translated_plural_entry_are_untranslated(tmp_path):
    catalog = read(write_catalog(tmp_path / "django.po", INCOMPLETE))

    assert untranslated(catalog) == ["Rewards", "Approvals", "%(count)s point"]


def test_fuzzy_and_obsolete_entries_are_found(tmp_path):
    catalog = read(write_catalog(tmp_path / "django.po", INCOMPLETE))

    assert fuzzy(catalog) == ["Approvals"]
    assert obsolete(catalog) == ["Old words"]


def test_a_fuzzy_header_is_found(tmp_path):
    path = tmp_path / "django.po"
    path.write_text("#, fuzzy\n" + HEADER.format(language="fr", plural_forms=FRENCH))

    assert fuzzy(read(path)) == ["(the header)"]


def test_a_complete_clean_catalog_passes_every_check(tmp_path):
    path = write_catalog(
        tmp_path / "django.po",
        """
#, python-format
msgid "%(name)s thanked you"
msgstr "%(name)s vous a remercié"

#, python-format
msgid "%(count)s point"
msgid_plural "%(count)s points"
msgstr[0] "%(count)s point"
msgstr[1] "%(count)s points"
""",
    )

    catalog = read(path)
    assert (untranslated(catalog), fuzzy(catalog), obsolete(catalog)) == ([], [], [])
    assert problems_of(path, "fr") == []


def test_a_placeholder_the_english_has_not_is_a_problem(tmp_path):
    path = write_catalog(
        tmp_path / "django.po",
        """
#, python-format
msgid "%(name)s thanked you"
msgstr "%(nom)s vous a remercié"
""",
    )

    assert any("nom" in problem for problem in problems_of(path, "fr"))


def test_plural_forms_other_than_djangos_for_the_language_are_a_problem(tmp_path):
    path = write_catalog(
        tmp_path / "django.po", "", language="es", plural_forms="nplurals=2; plural=(n != 1);"
    )

    assert any("Plural-Forms" in problem for problem in problems_of(path, "es"))


def test_too_few_plural_forms_for_the_header_are_a_problem(tmp_path):
    path = write_catalog(
        tmp_path / "django.po",
        """
#, python-format
msgid "%(count)s point"
msgid_plural "%(count)s points"
msgstr[0] "%(count)s punto"
msgstr[1] "%(count)s puntos"
""",
        language="es",
        plural_forms=SPANISH,
    )

    assert any("2 plural forms" in problem for problem in problems_of(path, "es"))


def test_too_many_plural_forms_for_the_header_are_a_problem(tmp_path):
    path = write_catalog(
        tmp_path / "django.po",
        """
#, python-format
msgid "%(count)s point"
msgid_plural "%(count)s points"
msgstr[0] "%(count)s point"
msgstr[1] "%(count)s points"
msgstr[2] "%(count)s points"
""",
    )

    assert problems_of(path, "fr")


def test_a_catalog_without_plural_forms_is_a_problem(tmp_path):
    path = tmp_path / "django.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    )

    assert "no Plural-Forms header" in problems_of(path, "fr")


def test_extraction_finds_strings_marked_in_code_and_templates_that_no_catalog_translates(
    tmp_path,
):
    needs_gettext()
    sources = tmp_path / "sources"
    (sources / "plaudit").mkdir(parents=True)
    (sources / "plaudit" / "words.py").write_text(
        "from django.utils.translation import gettext as _, ngettext\n"
        "def words(n):\n"
        "    return _('Thanks'), ngettext('%(count)s kudos', '%(count)s kudos', n) % {'count': n}\n"
    )
    (sources / "templates").mkdir()
    (sources / "templates" / "page.html").write_text(
        '{% load i18n %}<h1>{% translate "Rewards" %}</h1>'
    )
    shipped = write_catalog(
        sources / "locale" / "fr" / "LC_MESSAGES" / "django.po",
        """
msgid "Thanks"
msgstr "Merci"

msgid "Gone from the code"
msgstr "Parti du code"
""",
    )
    before = shipped.read_bytes()

    extracted = extract(sources, sources / "locale", tmp_path / "work", ["fr"], javascript=False)

    catalog = read(extracted / "fr" / "LC_MESSAGES" / "django.po")
    assert sorted(untranslated(catalog)) == ["%(count)s kudos", "Rewards"]
    assert "Gone from the code" not in [message.id for message in catalog]
    assert obsolete(catalog) == []
    assert shipped.read_bytes() == before  # the catalogs themselves are never touched


@pytest.mark.parametrize("language", ["fr", "de", "es"])
def test_a_missing_catalog_leaves_every_string_untranslated(tmp_path, language):
    needs_gettext()
    sources = tmp_path / "sources"
    (sources / "plaudit").mkdir(parents=True)
    (sources / "plaudit" / "words.py").write_text(
        "from django.utils.translation import gettext as _\nTHANKS = _('Thanks')\n"
    )

    extracted = extract(
        sources, sources / "locale", tmp_path / "work", [language], javascript=False
    )

    assert untranslated(read(extracted / language / "LC_MESSAGES" / "django.po")) == ["Thanks"]
