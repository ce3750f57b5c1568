"""What the translation tests check in a set of .po files, as functions they also run on
deliberately broken catalogs (tests/i18n/test_catalog_checks.py).

- :func:`extract` runs ``makemessages`` (GNU gettext's xgettext and msgmerge) on a copy
  of the sources, merging into a copy of the shipped catalogs, so the repository's own
  files are never touched: what comes back is every marked string, as a translator
  would see it after ``make messages``.
- :func:`untranslated`, :func:`fuzzy` and :func:`obsolete` read one catalog.
- :func:`compile_problems` compiles it as ``make install`` does (Babel) and loads the
  result as Django would (``gettext.GNUTranslations``), with its placeholders checked and
  its plural forms compared with Django's own catalog for the language.
"""

import gettext
import io
import shutil
import subprocess
from collections.abc import Iterable
from contextlib import chdir
from pathlib import Path

import django
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

SOURCE_LANGUAGE = "en"  # the language the code is written in: it has no catalog
DOMAIN = "django"
# What `make messages` scans (its --ignore list, the other way round).
SOURCE_DIRECTORIES = ("config", "plaudit", "templates")


def shipped_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES if code != SOURCE_LANGUAGE]


def catalog_path(locale_dir: Path, language: str, domain: str = DOMAIN) -> Path:
    return locale_dir / language / "LC_MESSAGES" / f"{domain}.po"


def read(path: Path, *, strict: bool = False) -> Catalog:
    """The catalog at ``path``; ``strict``: a malformed entry (such as more plural forms
    than the header says) raises ``PoFileError`` instead of being read as Babel guesses."""
    with path.open("rb") as po:
        return read_po(po, abort_invalid=strict)


def _name(message: Message) -> str:
    return message.id[0] if isinstance(message.id, tuple | list) else str(message.id)


def _translations(message: Message) -> list[str]:
    string = message.string
    return list(string) if isinstance(string, tuple | list) else [string or ""]


def untranslated(catalog: Catalog) -> list[str]:
    """Each msgid with an empty translation (any plural form) or only a fuzzy guess."""
    return [
        _name(message)
        for message in catalog
        if message.id and (message.fuzzy or not all(_translations(message)))
    ]


def fuzzy(catalog: Catalog) -> list[str]:
    """Fuzzy entries; the header's own flag counts too (Babel skips a fuzzy catalog)."""
    found = ["(the header)"] if catalog.fuzzy else []
    return found + [_name(message) for message in catalog if message.id and message.fuzzy]


def obsolete(catalog: Catalog) -> list[str]:
    """``#~`` entries: strings no longer in the code, left behind."""
    return [_name(message) for message in catalog.obsolete.values()]


def djangos_plural_forms(language: str) -> tuple[int, str] | None:
    """Django's own catalog's plural forms for ``language`` (what makemessages copies)."""
    path = Path(django.__file__).parent / "conf" / "locale" / language / "LC_MESSAGES" / "django.po"
    if not path.exists():
        return None
    own = read(path)
    return own.num_plurals, own.plural_expr


def problems_of(path: Path, language: str) -> list[str]:
    """:func:`compile_problems` and :func:`msgfmt_problems` of the file at ``path``."""
    try:
        catalog = read(path, strict=True)
    except PoFileError as exc:
        return [f"does not parse: {exc}"]
    return compile_problems(catalog, language) + msgfmt_problems(path)


def compile_problems(catalog: Catalog, language: str) -> list[str]:
    """Why this catalog would not compile or would be wrong at run time; [] when it is fine."""
    problems = [
        f"{_name(message)!r}: {'; '.join(str(error) for error in errors)}"
        for message, errors in catalog.check()
    ]
    if catalog._num_plurals is None:  # Babel's: set only by a Plural-Forms header read
        problems.append("no Plural-Forms header")
    expected = djangos_plural_forms(language)
    actual = (catalog.num_plurals, catalog.plural_expr)
    if expected is not None and _normalised(actual) != _normalised(expected):
        problems.append(f"Plural-Forms {actual} where Django's catalog has {expected}")
    for message in catalog:
        if message.id and message.pluralizable:
            forms = len(_translations(message))
            if forms != catalog.num_plurals:
                problems.append(
                    f"{_name(message)!r}: {forms} plural forms, the header says "
                    f"{catalog.num_plurals}"
                )
    compiled = io.BytesIO()
    try:
        write_mo(compiled, catalog)
        compiled.seek(0)
        gettext.GNUTranslations(compiled)
    except Exception as exc:  # whatever the reason, it is the finding
        problems.append(f"does not compile: {exc}")
    return problems


def _normalised(forms: tuple[int, str]) -> tuple[int, str]:
    count, expression = forms
    return count, "".join(expression.split()).strip("();")


def msgfmt_problems(path: Path) -> list[str]:
    """GNU msgfmt's own checks (format strings, header), when it is installed."""
    if shutil.which("msgfmt") is None:
        return []
    result = subprocess.run(
        ["msgfmt", "--check", "--output-file=/dev/null", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    return [] if result.returncode == 0 else [line for line in result.stderr.splitlines() if line]


def extract(
    sources: Path, locale_dir: Path, work: Path, languages: Iterable[str], *, javascript: bool
) -> Path:
    """``make messages`` on copies: the sources' marked strings merged into a copy of the
    catalogs in ``locale_dir``; the copied locale directory, under ``work``."""
    copy = work / "project"
    for name in SOURCE_DIRECTORIES:
        if (sources / name).is_dir():
            shutil.copytree(
                sources / name, copy / name, ignore=shutil.ignore_patterns("__pycache__")
            )
    if javascript and (sources / "static" / "js").is_dir():
        shutil.copytree(sources / "static" / "js", copy / "static" / "js")
    copied_locale = copy / "locale"
    if locale_dir.is_dir():
        shutil.copytree(locale_dir, copied_locale, ignore=shutil.ignore_patterns("*.mo"))
    copied_locale.mkdir(parents=True, exist_ok=True)
    domains = [DOMAIN, "djangojs"] if javascript else [DOMAIN]
    with chdir(copy), override_settings(LOCALE_PATHS=[copied_locale]):
        for domain in domains:
            call_command(
                "makemessages",
                domain=domain,
                locale=list(languages),
                no_obsolete=True,
                add_location="file",
                ignore_patterns=["*.min.js"],
                verbosity=0,
                stdout=io.StringIO(),
            )
    return copied_locale


def marks_javascript(sources: Path) -> bool:
    """Whether a script of ours marks a string (``make messages`` then makes djangojs.po)."""
    scripts = sources / "static" / "js"
    markers = ("gettext(", "ngettext(", "pgettext(", "interpolate(")
    return scripts.is_dir() and any(
        any(marker in path.read_text(errors="ignore") for marker in markers)
        for path in scripts.glob("*.js")
        if not path.name.endswith(".min.js")
    )
