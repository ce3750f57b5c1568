"""A tiny compiled translation catalogue for tests, so a test can prove *which* language
something was written in before (and whatever) the shipped ``.po`` files say.

``use_catalogue(settings, tmp_path, {"de": {...}})`` writes ``<lang>/LC_MESSAGES/django.mo``
under ``tmp_path`` and points ``LOCALE_PATHS`` there (Django resets its translation caches
when that setting changes, and again when the test ends). A plural entry's key is the
pair ``(singular, plural)`` and its value the tuple of forms. Written with the standard
library only (the GNU ``.mo`` layout), so no gettext tools are needed.
"""

import struct
from pathlib import Path
from typing import Any

Entries = dict[str | tuple[str, str], str | tuple[str, ...]]

HEADER = (
    "Content-Type: text/plain; charset=UTF-8\n"
    "Content-Transfer-Encoding: 8bit\n"
    "Plural-Forms: nplurals=2; plural=(n != 1);\n"
)


def write_mo(path: Path, entries: Entries) -> None:
    """The GNU ``.mo`` file of ``entries`` (with a UTF-8, two-plural-forms header)."""
    pairs: dict[bytes, bytes] = {b"": HEADER.encode()}
    for key, value in entries.items():
        msgid = "\0".join(key) if isinstance(key, tuple) else key
        msgstr = "\0".join(value) if isinstance(value, tuple) else value
        pairs[msgid.encode()] = msgstr.encode()
    ids = sorted(pairs)
    count = len(ids)
    originals_at = 7 * 4
    translations_at = originals_at + count * 8
    data_at = translations_at + count * 8
    originals, translations, data = [], [], b""
    for msgid in ids:
        originals.append((len(msgid), data_at + len(data)))
        data += msgid + b"\0"
    for msgid in ids:
        translations.append((len(pairs[msgid]), data_at + len(data)))
        data += pairs[msgid] + b"\0"
    header = struct.pack("<7I", 0x950412DE, 0, count, originals_at, translations_at, 0, 0)
    table = b"".join(struct.pack("<2I", *entry) for entry in [*originals, *translations])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(header + table + data)


def use_catalogue(settings: Any, directory: Path, languages: dict[str, Entries]) -> None:
    """Compile one catalogue per language under ``directory`` and make it the only
    project catalogue for the rest of the test (``settings`` is pytest-django's fixture)."""
    for language, entries in languages.items():
        write_mo(directory / language / "LC_MESSAGES" / "django.mo", entries)
    settings.LOCALE_PATHS = [str(directory)]
