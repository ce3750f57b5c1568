"""Reading uploaded CSV files in bounded memory, and saying exactly what is wrong with them.

The same reader serves the up-front check (before any job starts) and the job
itself, so a file the check accepted reads the same way when it is processed.
"""

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .errors import FileTooLarge, InvalidImportFile
from .wording import a_file_of, columns

if TYPE_CHECKING:  # the kinds' runners read files with this module
    from .kinds.cleaning import ImportSpec

LINE_LIMIT = 256 * 1024  # characters in one physical line; longer means not a sane CSV
MAX_COLUMNS = 100
ECHO_LIMIT = 40


def max_upload_bytes() -> int:
    return int(settings.PLAUDIT["IMPORT_MAX_BYTES"])


def check_size(size: int | None) -> None:
    limit = max_upload_bytes()
    if size is not None and size > limit:
        raise FileTooLarge(
            _("The file is %(size)s bytes; the limit is %(limit)s bytes.")
            % {"size": size, "limit": limit}
        )


class LimitedTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """Streams every upload to a temporary file and stops at the import size limit.

    A request that announces a larger body is refused before a byte is read; one
    that lies about its length is cut off as soon as it passes the limit.
    """

    def handle_raw_input(
        self, input_data: Any, META: Any, content_length: int, *args: Any, **kwargs: Any
    ) -> None:
        # The multipart envelope adds a little to the file itself.
        check_size(content_length - 64 * 1024 if content_length else None)
        super().handle_raw_input(input_data, META, content_length, *args, **kwargs)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        # Counted over the whole request, so several files cannot add up past the limit.
        self.received = getattr(self, "received", 0) + len(raw_data)
        check_size(self.received)
        return super().receive_data_chunk(raw_data, start)


def _echo(value: str) -> str:
    return value if len(value) <= ECHO_LIMIT else value[:ECHO_LIMIT] + "…"


class _CheckedBytes(io.RawIOBase):
    """Passes the file's bytes through, refusing NUL bytes and invalid UTF-8 by line number."""

    def __init__(self, binary: IO[bytes]) -> None:
        self._binary = binary
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._line = 1

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._binary.read(len(buffer))
        try:
            self._decoder.decode(data, final=not data)
        except UnicodeDecodeError as exc:
            line = self._line + exc.object.count(b"\n", 0, max(exc.start, 0))
            raise InvalidImportFile(
                _(
                    "The file is not UTF-8 text: line %(line)s holds byte %(byte)s, which "
                    "UTF-8 does not allow. Save the file as 'CSV UTF-8'."
                )
                % {"line": line, "byte": f"0x{exc.object[exc.start]:02x}"}
            ) from exc
        if b"\x00" in data:
            line = self._line + data.count(b"\n", 0, data.index(b"\x00"))
            raise InvalidImportFile(
                _(
                    "The file holds binary data (a NUL byte on line %(line)s): it is not a CSV "
                    "text file. Save it as 'CSV UTF-8'."
                )
                % {"line": line}
            )
        self._line += data.count(b"\n")
        buffer[: len(data)] = data
        return len(data)


class CsvReader:
    """Iterates the records of a UTF-8 (optionally BOM-prefixed) CSV file.

    Yields ``(line, cells)`` where ``line`` is the file line the record starts on
    (the header is line 1). Raises :class:`InvalidImportFile` naming the line for
    binary content, bad encoding, broken quoting or an absurdly long line.
    """

    def __init__(self, binary: IO[bytes]) -> None:
        checked = io.BufferedReader(_CheckedBytes(binary), buffer_size=64 * 1024)
        self._text = io.TextIOWrapper(checked, encoding="utf-8-sig", newline="")
        self.physical_line = 0

    def __enter__(self) -> "CsvReader":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._text.close()  # closes our wrappers, never the caller's file

    def _lines(self) -> Iterator[str]:
        readline = self._text.readline
        while True:
            line = readline(LINE_LIMIT)
            if not line:
                return
            self.physical_line += 1
            if len(line) >= LINE_LIMIT and not line.endswith(("\n", "\r")):
                raise InvalidImportFile(
                    _(
                        "Line %(line)s is longer than %(limit)s characters; "
                        "no cell of an import may be that long."
                    )
                    % {"line": self.physical_line, "limit": LINE_LIMIT}
                )
            yield line

    def records(self) -> Iterator[tuple[int, list[str]]]:
        reader = csv.reader(self._lines(), strict=True)
        start = 1
        try:
            for cells in reader:
                yield start, cells
                start = self.physical_line + 1
        except csv.Error as exc:
            raise InvalidImportFile(
                # Translators: the last part is Python's csv module's own words, in English.
                _("Line %(line)s: the CSV is malformed (%(error)s).")
                % {"line": self.physical_line, "error": exc}
            ) from exc


def is_blank(cells: list[str]) -> bool:
    return not any(cell.strip() for cell in cells)


@dataclass
class Header:
    """Where each known column sits, and which columns the file has that we do not know."""

    positions: dict[str, int]
    width: int
    unknown: list[str] = field(default_factory=list)


def read_header(cells: list[str], spec: "ImportSpec") -> Header:
    if len(cells) > MAX_COLUMNS:
        raise InvalidImportFile(
            _(
                "The header has %(columns)s; %(a_file)s has %(expected)s and at most "
                "%(max)s are accepted."
            )
            % {
                "columns": columns(len(cells)),
                "a_file": a_file_of(spec.kind),
                "expected": columns(len(spec.columns)),
                "max": MAX_COLUMNS,
            }
        )
    names = [cell.strip().lower() for cell in cells]
    positions: dict[str, int] = {}
    unknown: list[str] = []
    for index, name in enumerate(names):
        if name in positions or (name and name in unknown):
            raise InvalidImportFile(
                _("Column '%(name)s' appears twice in the header.") % {"name": _echo(name)}
            )
        if name in spec.columns:
            positions[name] = index
        elif name:
            unknown.append(_echo(name))
    missing = [column for column in spec.columns if column not in positions]
    if missing:
        sentences = [
            ngettext(
                "The header lacks the column %(missing)s.",
                "The header lacks the columns %(missing)s.",
                len(missing),
            )
            % {"missing": ", ".join(missing)},
            # Translators: a_file is a whole noun phrase such as "an employees file".
            _("%(a_file)s has the columns %(columns)s (in any order).")
            % {"a_file": capfirst(a_file_of(spec.kind)), "columns": ",".join(spec.columns)},
        ]
        if len(cells) == 1 and any(sep in cells[0] for sep in ";\t|"):
            sentences.append(_("Columns must be separated by commas."))
        raise InvalidImportFile(" ".join(sentences))
    return Header(positions=positions, width=len(cells), unknown=unknown)


@dataclass
class Inspection:
    header: Header
    total_rows: int


def inspect_csv(binary: IO[bytes], spec: "ImportSpec") -> Inspection:
    """Read the whole file once, in constant memory, before any job starts.

    Refuses with :class:`InvalidImportFile` a file that is empty, binary, not
    UTF-8, not well-formed CSV, lacks the kind's columns, or has only a header.
    """
    start = binary.read(8192)
    binary.seek(0)
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InvalidImportFile(_("The file is UTF-16 text; save it as 'CSV UTF-8'."))
    if b"\x00" in start:
        raise InvalidImportFile(
            _("The file holds binary data: it is not a CSV text file. Upload a UTF-8 CSV file.")
        )
    header: Header | None = None
    total = 0
    with CsvReader(binary) as reader:
        for _line, cells in reader.records():
            if header is None:
                if is_blank(cells):
                    continue
                header = read_header(cells, spec)
            elif not is_blank(cells):
                total += 1
    if header is None:
        raise InvalidImportFile(_("The file is empty."))
    if total == 0:
        raise InvalidImportFile(_("The file has a header but no rows."))
    return Inspection(header=header, total_rows=total)
