"""Plaudit speaks every shipped language completely, from catalogs that are clean.

- every string marked for translation (Python, templates, and scripts once they mark
  any) has a translation in every language of ``settings.LANGUAGES`` but English;
- no catalog keeps a fuzzy guess or an obsolete (``#~``) entry;
- every catalog compiles as ``make install`` compiles it, with the placeholders of its
  English and the plural forms of its language.

The first needs GNU gettext (``xgettext``, ``msgmerge``) to collect the marked strings,
as ``make messages`` does: it skips without them, and fails under
``PLAUDIT_REQUIRE_SERVICES`` (CI, where ``.ci/run`` installs gettext). The checks
themselves are tested on deliberately broken catalogs in ``test_catalog_checks.py``.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from .catalogs import (
    catalog_path,
    extract,
    fuzzy,
    marks_javascript,
    obsolete,
    problems_of,
    read,
    shipped_languages,
    untranslated,
)

ROOT = Path(settings.BASE_DIR)
LOCALE = ROOT / "locale"


def needs_gettext() -> None:
    if shutil.which("xgettext") and shutil.which("msgmerge"):
        return
    message = (
        "needs GNU gettext (xgettext, msgmerge) to collect the marked strings: "
        "apt-get install gettext"
    )
    if os.environ.get("PLAUDIT_REQUIRE_SERVICES"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def shipped_catalogs() -> list[tuple[str, Path]]:
    return [
        (language, path)
        for language in shipped_languages()
        for path in sorted((LOCALE / language / "LC_MESSAGES").glob("*.po"))
    ]


def test_each_shipped_language_has_a_catalog():
    missing = [
        language for language in shipped_languages() if not catalog_path(LOCALE, language).exists()
    ]

    assert not missing, f"No locale/<language>/LC_MESSAGES/django.po for {missing}: make messages"


def test_every_marked_string_is_translated_in_every_shipped_language(tmp_path):
    needs_gettext()
    languages = shipped_languages()

    extracted = extract(ROOT, LOCALE, tmp_path, languages, javascript=marks_javascript(ROOT))

    missing: dict[str, list[str]] = {}
    for language in languages:
        for path in sorted((extracted / language / "LC_MESSAGES").glob("*.po")):
            for msgid in untranslated(read(path)):
                missing.setdefault(msgid, []).append(f"{language}/{path.name}")
    assert not missing, (
        f"{len(missing)} marked strings have no translation (run `make messages`, then "
        "translate them in locale/<language>/LC_MESSAGES/*.po):\n"
        + "\n".join(f"  {msgid!r}: {', '.join(where)}" for msgid, where in missing.items())
    )


def test_no_catalog_keeps_fuzzy_or_obsolete_entries():
    left = {
        f"{language}/{path.name}": {
            "fuzzy": fuzzy(read(path)),
            "obsolete (#~)": obsolete(read(path)),
        }
        for language, path in shipped_catalogs()
    }

    found = {
        where: {kind: msgids for kind, msgids in kinds.items() if msgids}
        for where, kinds in left.items()
        if any(kinds.values())
    }
    assert not found, (
        "Review the fuzzy entries (then drop their '#, fuzzy' line) and delete the obsolete "
        f"ones (make messages does, with --no-obsolete): {found}"
    )


def test_every_catalog_compiles_with_its_placeholders_and_plural_forms():
    problems = {
        f"{language}/{path.name}": problems_of(path, language)
        for language, path in shipped_catalogs()
    }

    assert shipped_catalogs(), "no catalog to check"
    assert not any(problems.values()), {where: found for where, found in problems.items() if found}
