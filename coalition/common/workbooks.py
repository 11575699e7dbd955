"""Workbooks from outside are checked before openpyxl reads them.

An XLSX file is a zip of XML parts, and a 700 KB upload can unpack to hundreds of megabytes
of sheet XML (a "decompression bomb"), or declare a 1,048,576-row sheet that openpyxl would
walk row by empty row. `workbook_check` looks at the file the way an attacker built it, before
any parser does: the zip's own directory (how many parts, their declared sizes, how much each
one expands), then every part streamed through a counting decompressor (declared sizes can
lie) and an XML scanner that refuses document type declarations (entity expansion) and
measures each worksheet's real rows and columns. Limits come from settings
(`COALITION_XLSX_MAX_UNCOMPRESSED_BYTES`, `COALITION_XLSX_MAX_RATIO`, `COALITION_XLSX_MAX_ROWS`,
`COALITION_XLSX_MAX_COLUMNS`); anything over one is a `WorkbookRefused` whose message says
which limit, and which sheet and row when there is one.

`workbook_open` checks, then opens the workbook read-only with every sheet's declared
dimension dropped: openpyxl's read-only mode otherwise trusts the `<dimension>` tag and
silently stops at the row it names, so rows written after it would be lost.

Both XLSX readers (offline progress reports and indicator files) go through here, and read
numbers as a person sees them (a cell formatted as 30 % is 30) through `common.workbook_cells`.
"""

import posixpath
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from xml.etree import ElementTree
from xml.parsers import expat

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Compound File: .xls, or an encrypted .xlsx
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
MAX_PARTS = 10_000  # a workbook of a few sheets has a few dozen parts
RATIO_CHECKED_FROM = 1024 * 1024  # small parts (styles, relationships) compress very well
CHUNK = 256 * 1024
EXCEL_MAX_ROWS, EXCEL_MAX_COLUMNS = 1_048_576, 16_384


class WorkbookRefused(Exception):
    """A workbook that is not read: not XLSX, damaged, encrypted, or over a limit.

    `message` is for the person who uploaded it; `sheet` and `row` say where, when known.
    """

    def __init__(self, message: str, *, sheet: str = "", row: int | None = None):
        super().__init__(message)
        self.message, self.sheet, self.row = str(message), sheet, row


@dataclass(frozen=True)
class Limits:
    uncompressed_bytes: int
    ratio: int
    rows: int
    columns: int

    @classmethod
    def from_settings(cls) -> "Limits":
        return cls(
            uncompressed_bytes=settings.COALITION_XLSX_MAX_UNCOMPRESSED_BYTES,
            ratio=settings.COALITION_XLSX_MAX_RATIO,
            rows=settings.COALITION_XLSX_MAX_ROWS,
            columns=settings.COALITION_XLSX_MAX_COLUMNS,
        )


@dataclass
class Shape:
    """A worksheet's real extent: the last row and the widest column it uses."""

    sheet: str
    rows: int = 0
    columns: int = 0


def workbook_open(file, *, name: str, limits: Limits | None = None, beat: Callable[[], None] | None = None):
    """`workbook_check` the file, then open it with openpyxl, read-only, formulas kept as text.

    `file` is a path or a binary file object. Every worksheet's dimension is reset, so the rows
    are those of the file, not of its `<dimension>` tag. The caller closes the workbook.
    """
    from openpyxl import load_workbook

    workbook_check(file, name=name, limits=limits, beat=beat)
    if hasattr(file, "seek"):
        file.seek(0)
    try:
        book = load_workbook(file, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types on a part it cannot make sense of
        raise WorkbookRefused(_damaged(name)) from exc
    for sheet in book.worksheets:
        sheet.reset_dimensions()
    return book


def workbook_check(file, *, name: str, limits: Limits | None = None,
                   beat: Callable[[], None] | None = None) -> dict[str, Shape]:
    """Refuse (`WorkbookRefused`) a workbook that is unsafe or too large to parse; else return
    each worksheet's shape by sheet name.

    `beat` is called now and then during the scan, which reads every byte once (long-running
    callers keep a heartbeat with it).
    """
    limits = limits or Limits.from_settings()
    beat = beat or (lambda: None)
    _check_signature(file, name)
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise WorkbookRefused(_damaged(name)) from exc
    with archive:
        parts = archive.infolist()
        _check_directory(parts, name, limits)
        sheets = _sheet_names(archive, name, limits)
        shapes: dict[str, Shape] = {}
        total = 0
        for part in parts:
            if part.is_dir():
                continue
            # Every part whose root is a worksheet is measured, named or not: a part the
            # relationships do not name for us might still be one openpyxl finds.
            total, shape = _scan(archive, part, name=name, limits=limits, total=total,
                                 sheet=sheets.get(part.filename, part.filename), beat=beat)
            if shape is not None:
                shapes[shape.sheet] = shape
    if not sheets:
        raise WorkbookRefused(_not_xlsx(name))
    return shapes


# --- what kind of file ----------------------------------------------------------------------------

def _check_signature(file, name: str) -> None:
    if hasattr(file, "seek"):
        file.seek(0)
        head = file.read(len(OLE_MAGIC))
        file.seek(0)
    else:
        with open(file, "rb") as handle:
            head = handle.read(len(OLE_MAGIC))
    if head.startswith(ZIP_MAGIC):
        return
    if head == OLE_MAGIC:
        if _has_encrypted_package(file):
            raise WorkbookRefused(_(
                "“%(name)s” is protected with a password (encrypted), so it cannot be read. Open it in your "
                "spreadsheet program, remove the password, save it as Excel Workbook (.xlsx) and upload it again."
            ) % {"name": name})
        raise WorkbookRefused(_(
            "“%(name)s” is an Excel 97–2003 workbook (.xls) or another older Office file, not XLSX. Open it in "
            "your spreadsheet program, save it as Excel Workbook (.xlsx) and upload that."
        ) % {"name": name})
    raise WorkbookRefused(_not_xlsx(name))


def _has_encrypted_package(file) -> bool:
    """Whether a Compound File holds an `EncryptedPackage` stream (its directory names the
    streams in UTF-16); read in chunks, at most the first few megabytes."""
    handle = file if hasattr(file, "read") else open(file, "rb")
    try:
        handle.seek(0)
        seen, tail = 0, b""
        while seen < 8 * 1024 * 1024 and (chunk := handle.read(CHUNK)):
            if ENCRYPTED_PACKAGE in tail + chunk:
                return True
            seen += len(chunk)
            tail = chunk[-len(ENCRYPTED_PACKAGE):]
        return False
    finally:
        if handle is file:
            handle.seek(0)
        else:
            handle.close()


def _not_xlsx(name: str) -> str:
    return _("“%(name)s” is not an XLSX file. Save it from your spreadsheet program as Excel Workbook (.xlsx) "
             "and upload that.") % {"name": name}


def _damaged(name: str) -> str:
    return _("“%(name)s” is not an XLSX file that can be read: it is damaged or incomplete (cut short while "
             "saving, copying or uploading). Save it again as Excel Workbook (.xlsx) and upload it.") % {"name": name}


def _unsafe(name: str, part: str) -> str:
    return _("“%(name)s” was refused as unsafe: its part “%(part)s” is not what a spreadsheet program writes. "
             "Save the workbook again from a spreadsheet program and upload it.") % {"name": name, "part": part}


# --- the zip's directory --------------------------------------------------------------------------

def _check_directory(parts: list[zipfile.ZipInfo], name: str, limits: Limits) -> None:
    if len(parts) > MAX_PARTS:
        raise WorkbookRefused(_unsafe(name, f"{len(parts):,} parts"))
    declared = 0
    for part in parts:
        if part.flag_bits & 0x1:
            raise WorkbookRefused(_(
                "“%(name)s” is protected with a password (encrypted), so it cannot be read. Remove the password, "
                "save it as Excel Workbook (.xlsx) and upload it again.") % {"name": name})
        declared += part.file_size
        _check_ratio(name, part.filename, part.file_size, part.compress_size, limits)
    _check_total(name, declared, limits)


def _check_total(name: str, size: int, limits: Limits) -> None:
    if size > limits.uncompressed_bytes:
        raise WorkbookRefused(_(
            "“%(name)s” unpacks to more than %(limit)s of data, the most a workbook may unpack to. Split it into "
            "smaller files.") % {"name": name, "limit": filesizeformat(limits.uncompressed_bytes)})


def _check_ratio(name: str, part: str, size: int, stored: int, limits: Limits) -> None:
    if size > RATIO_CHECKED_FROM and size > limits.ratio * max(stored, 1):
        raise WorkbookRefused(_(
            "“%(name)s” was refused as unsafe: its part “%(part)s” unpacks to %(ratio)s times its stored size, and "
            "at most %(limit)s times is accepted (files built to exhaust a server look like this). Save the workbook "
            "again from a spreadsheet program and upload it.") % {
                "name": name, "part": part, "ratio": number_format(size // max(stored, 1), force_grouping=True),
                "limit": limits.ratio})


# --- which part is which sheet --------------------------------------------------------------------

_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_OFFICE_DOCUMENT = "/officeDocument"
_SHEET = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}sheet"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_SMALL_PART = 8 * 1024 * 1024  # the package and workbook relationships, the workbook part


def _sheet_names(archive: zipfile.ZipFile, name: str, limits: Limits) -> dict[str, str]:
    """{part path: sheet name} from the package's relationships and the workbook part."""
    root_rels = _small_xml(archive, "_rels/.rels", name, limits)
    if root_rels is None:
        raise WorkbookRefused(_not_xlsx(name))
    workbook = next((rel.get("Target", "") for rel in root_rels.iter(_REL)
                     if (rel.get("Type") or "").endswith(_OFFICE_DOCUMENT)), "")
    workbook = workbook.lstrip("/")
    book = _small_xml(archive, workbook, name, limits) if workbook else None
    if book is None:
        raise WorkbookRefused(_not_xlsx(name))
    folder, base = posixpath.split(workbook)
    rels = _small_xml(archive, posixpath.join(folder, "_rels", f"{base}.rels"), name, limits)
    targets = {}
    for rel in rels.iter(_REL) if rels is not None else ():
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        targets[rel.get("Id")] = path
    return {targets[sheet.get(_R_ID)]: sheet.get("name", "")
            for sheet in book.iter(_SHEET) if sheet.get(_R_ID) in targets}


def _small_xml(archive: zipfile.ZipFile, path: str, name: str, limits: Limits):
    """A small XML part parsed (after the same scan every part gets), or None when absent."""
    try:
        part = archive.getinfo(path)
    except KeyError:
        return None
    if part.file_size > _SMALL_PART:
        raise WorkbookRefused(_unsafe(name, path))
    _scan(archive, part, name=name, limits=limits, total=0, sheet=path, beat=lambda: None)
    try:
        return ElementTree.fromstring(archive.read(part))
    except ElementTree.ParseError as exc:
        raise WorkbookRefused(_damaged(name)) from exc


# --- every byte of every part ---------------------------------------------------------------------

def _scan(archive: zipfile.ZipFile, part: zipfile.ZipInfo, *, name: str, limits: Limits, total: int,
          sheet: str, beat: Callable[[], None]) -> tuple[int, "Shape | None"]:
    """Decompress `part` in chunks, counting what really comes out; XML parts go through
    `_XmlScan`. Returns the running total of unpacked bytes and, for a worksheet, its shape
    (named `sheet`)."""
    scanner = _XmlScan(name, part.filename, sheet, limits) if _is_xml(part.filename) else None
    size = 0
    last = time.monotonic()
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > part.file_size:  # zipfile stops at the declared size; never trust that alone
                    raise WorkbookRefused(_unsafe(name, part.filename))
                _check_total(name, total + size, limits)
                _check_ratio(name, part.filename, size, part.compress_size, limits)
                if scanner is not None:
                    scanner.feed(chunk)
                if time.monotonic() - last > 1:
                    beat()
                    last = time.monotonic()
        if scanner is not None:
            scanner.close()
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, ValueError) as exc:
        raise WorkbookRefused(_damaged(name)) from exc
    return total + size, scanner.shape if scanner is not None else None


def _is_xml(path: str) -> bool:
    return path.endswith((".xml", ".rels", ".vml")) or path == "[Content_Types].xml"


class _XmlScan:
    """Feed an XML part through expat: refuse a document type declaration (entity expansion
    lives there) and, in a worksheet, measure its real rows and columns, stopping at the first
    one over the limit."""

    def __init__(self, name: str, part: str, sheet: str, limits: Limits):
        self.name, self.part, self.sheet, self.limits = name, part, sheet, limits
        self.shape: Shape | None = None
        self.parser = expat.ParserCreate(namespace_separator="}")
        self.parser.StartDoctypeDeclHandler = self._doctype
        self.parser.EntityDeclHandler = self._doctype
        self.parser.StartElementHandler = self._root
        self.row = 0
        self.cell = 0

    def feed(self, chunk: bytes) -> None:
        try:
            self.parser.Parse(chunk, False)
        except expat.ExpatError as exc:
            raise self._damaged(exc) from exc

    def close(self) -> None:
        try:
            self.parser.Parse(b"", True)
        except expat.ExpatError as exc:
            raise self._damaged(exc) from exc

    def _damaged(self, exc: expat.ExpatError) -> WorkbookRefused:
        """Not well-formed XML: often text in another encoding than the UTF-8 it declares."""
        values = {"name": self.name, "line": exc.lineno, "problem": expat.ErrorString(exc.code)}
        if self.shape is not None:
            return WorkbookRefused(_(
                "“%(name)s” is damaged: the sheet “%(sheet)s” is not well-formed XML (line %(line)s of its XML: "
                "%(problem)s). Save the workbook again as Excel Workbook (.xlsx) and upload it.")
                % {**values, "sheet": self.shape.sheet}, sheet=self.shape.sheet)
        return WorkbookRefused(_(
            "“%(name)s” is damaged: its part “%(part)s” is not well-formed XML (line %(line)s: %(problem)s). "
            "Save the workbook again as Excel Workbook (.xlsx) and upload it.") % {**values, "part": self.part})

    def _doctype(self, *args) -> None:
        raise WorkbookRefused(_unsafe(self.name, self.part))

    def _root(self, tag: str, attributes: dict) -> None:
        """The first element says what the part is: only worksheets are measured."""
        if tag.rpartition("}")[2] == "worksheet":
            self.shape = Shape(self.sheet)
            self.parser.StartElementHandler = self._element
        else:
            self.parser.StartElementHandler = None

    def _element(self, tag: str, attributes: dict) -> None:
        local = tag.rpartition("}")[2]
        if local == "row":
            reference = attributes.get("r")
            self.row = _number(reference, self) if reference is not None else self.row + 1
            self.cell = 0
            if self.row > self.shape.rows:
                self.shape.rows = self.row
                if self.row > self.limits.rows:
                    raise WorkbookRefused(_(
                        "“%(name)s”: the sheet “%(sheet)s” goes on to row %(row)s; at most %(limit)s rows are "
                        "accepted. Split it into several files.") % {
                            "name": self.name, "sheet": self.shape.sheet,
                            "row": number_format(self.row, force_grouping=True),
                            "limit": number_format(self.limits.rows, force_grouping=True)},
                        sheet=self.shape.sheet, row=self.limits.rows + 1)
        elif local == "c":
            reference = attributes.get("r")
            self.cell = _column(reference, self) if reference else self.cell + 1
            if self.cell > self.shape.columns:
                self.shape.columns = self.cell
                if self.cell > self.limits.columns:
                    raise WorkbookRefused(_(
                        "“%(name)s”: the sheet “%(sheet)s” uses %(columns)s columns (row %(row)s); at most "
                        "%(limit)s are accepted.") % {
                            "name": self.name, "sheet": self.shape.sheet, "row": self.row,
                            "columns": number_format(self.cell, force_grouping=True), "limit": self.limits.columns},
                        sheet=self.shape.sheet, row=self.row or None)


def _number(text: str, scan: _XmlScan) -> int:
    if not text.isdigit() or not 0 < int(text) <= EXCEL_MAX_ROWS:
        raise WorkbookRefused(_unsafe(scan.name, scan.part))
    return int(text)


def _column(reference: str, scan: _XmlScan) -> int:
    letters = reference.rstrip("0123456789")
    if not letters or len(letters) > 3 or not letters.isalpha() or not letters.isascii():
        raise WorkbookRefused(_unsafe(scan.name, scan.part))
    index = 0
    for letter in letters.upper():
        index = index * 26 + ord(letter) - 64
    if index > EXCEL_MAX_COLUMNS:
        raise WorkbookRefused(_unsafe(scan.name, scan.part))
    return index
