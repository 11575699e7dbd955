"""The bad-input corpus for the XLSX readers: hostile workbooks, built here rather than committed.

Every file is made in memory by these functions (a few milliseconds each; the bomb streams its
sheet into the zip, so nothing large is ever held). The one committed file is
`data/hostile/password-protected.xlsx`: a two-row workbook encrypted with the password
"coalition" by msoffcrypto-tool 6.1.0 (`OOXMLFile(plain).encrypt("coalition", out)`), 10 KB, so
the suite needs no encryption library.

`workbook(sheets)` writes a minimal valid XLSX (the parts openpyxl needs, inline strings) whose
sheets are lists of rows; a cell is a str, a number, None or a `Formula`. `part_replace` rewrites
one part of an existing workbook (the template the platform writes, for example).
"""

import io
import zipfile
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter

HOSTILE = Path(__file__).resolve().parent / "data" / "hostile"
PASSWORD_PROTECTED = HOSTILE / "password-protected.xlsx"

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


class Formula(str):
    """A cell holding this formula (without its "=")."""


def cell_xml(reference: str, value) -> str:
    if value is None:
        return ""
    if isinstance(value, Formula):
        return f'<c r="{reference}"><f>{escape(value)}</f><v>0</v></c>'
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f'<c r="{reference}"><v>{value}</v></c>'
    return f'<c r="{reference}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'


def rows_xml(rows: Iterable[list], *, first: int = 1) -> Iterable[str]:
    for number, row in enumerate(rows, start=first):
        cells = "".join(cell_xml(f"{get_column_letter(index)}{number}", value) for index, value in enumerate(row, 1))
        yield f'<row r="{number}">{cells}</row>'


def sheet_xml(rows: Iterable[list] | None = None, *, dimension: str | None = None, body: str = "") -> str:
    """A worksheet part; `dimension` is the ref its <dimension> tag declares (e.g. "A1:D2")."""
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    content = body or "".join(rows_xml(rows or []))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}">{declared}'
            f"<sheetData>{content}</sheetData></worksheet>")


def workbook(sheets: dict[str, list | str | bytes], *, extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal XLSX: one part per sheet (rows, or the worksheet XML itself), plus `extra` parts."""
    names = list(sheets)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        f'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(names) + 1))
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
            '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
            f'main+xml"/>{overrides}</Types>'),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}"><Relationship Id="rId1" '
            f'Type="{OFFICE}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{OFFICE}"><sheets>'
            + "".join(f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>' for i, name in enumerate(names, 1))
            + "</sheets></workbook>"),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}">'
            + "".join(f'<Relationship Id="rId{i}" Type="{OFFICE}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                      for i in range(1, len(names) + 1))
            + "</Relationships>"),
    }
    for i, content in enumerate(sheets.values(), 1):
        parts[f"xl/worksheets/sheet{i}.xml"] = content if isinstance(content, (str, bytes)) else sheet_xml(content)
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in {**parts, **(extra or {})}.items():
            archive.writestr(name, content)
    return stream.getvalue()


def part_replace(xlsx: bytes, part: str, content: bytes | str) -> bytes:
    """`xlsx` with one part's content replaced."""
    stream = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source, zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, content if info.filename == part else source.read(info))
    return stream.getvalue()


def part_read(xlsx: bytes, part: str) -> str:
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        return archive.read(part).decode()


# --- the corpus -------------------------------------------------------------------------------------

def bomb(*, megabytes: int = 64, sheet: str = "Data") -> bytes:
    """A workbook of a few dozen kilobytes whose sheet XML unpacks to `megabytes` MB (one huge
    text cell, which deflate squeezes about a thousand times)."""
    base = workbook({sheet: [["country"]]})
    stream = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as source, zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                target.writestr(info.filename, source.read(info))
        with target.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'.encode())
            block = b"A" * (1024 * 1024)
            for _ in range(megabytes):
                part.write(block)
            part.write(b"</t></is></c></row></sheetData></worksheet>")
    return stream.getvalue()


def bomb_that_lies(*, megabytes: int = 8) -> bytes:
    """A bomb whose zip directory declares its sheet a few hundred bytes long."""
    data = bytearray(bomb(megabytes=megabytes))
    # Rewrite every central-directory record of the sheet: uncompressed size (offset 24) to 300.
    position = data.find(b"PK\x01\x02")
    while position != -1:
        name_length = int.from_bytes(data[position + 28:position + 30], "little")
        name = bytes(data[position + 46:position + 46 + name_length])
        if name == b"xl/worksheets/sheet1.xml":
            extra_length = int.from_bytes(data[position + 30:position + 32], "little")
            data[position + 24:position + 28] = (300).to_bytes(4, "little")
            # force_zip64 keeps the real sizes in the zip64 extra field: say 300 there too.
            extra = position + 46 + name_length
            end = extra + extra_length
            while extra < end:
                tag = int.from_bytes(data[extra:extra + 2], "little")
                size = int.from_bytes(data[extra + 2:extra + 4], "little")
                if tag == 0x0001 and size >= 8:
                    data[extra + 4:extra + 12] = (300).to_bytes(8, "little")
                extra += 4 + size
        position = data.find(b"PK\x01\x02", position + 4)
    return bytes(data)


def far_row(*, row: int = 1_048_576) -> bytes:
    """A tiny workbook whose only data row is the last one a sheet can have."""
    return workbook({"Data": sheet_xml(body=f'<row r="1"><c r="A1"><v>1</v></c></row><row r="{row}">'
                                            f'<c r="A{row}"><v>1</v></c></row>')})


def far_column() -> bytes:
    """A tiny workbook with a cell in the last column a sheet can have (XFD)."""
    return workbook({"Data": sheet_xml(body='<row r="1"><c r="A1"><v>1</v></c><c r="XFD1"><v>1</v></c></row>')})


def csv_renamed() -> bytes:
    return b"country,indicator,year,value\nKEN,internet-use,2022,29.5\n"


def old_excel() -> bytes:
    """The signature of a Compound File (.xls) with nothing encrypted in it."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


def password_protected() -> bytes:
    return PASSWORD_PROTECTED.read_bytes()


def truncated(xlsx: bytes | None = None) -> bytes:
    """A valid workbook cut short (its zip directory lost), as an interrupted upload leaves it."""
    xlsx = xlsx or workbook({"Data": [["country", "indicator", "year", "value"], ["KEN", "internet-use", 2022, 29.5]]})
    return xlsx[: len(xlsx) // 2]


def latin1_text() -> bytes:
    """Semicolon-separated text in Latin-1, as a French spreadsheet program exports it."""
    return "pays;indicateur;année;valeur\nCôte d'Ivoire;internet-use;2022;37,1\n".encode("latin-1")


def latin1_inside() -> bytes:
    """A workbook whose sheet XML claims UTF-8 but holds a Latin-1 byte (ô as 0xF4)."""
    content = sheet_xml([["country", "indicator", "year", "value"], ["KEN", "Côte", 2022, 1]]).encode()
    return workbook({"Data": content.replace("ô".encode(), b"\xf4")})


def entity_expansion() -> bytes:
    """A sheet with a document type declaration ("billion laughs")."""
    laughs = ('<!DOCTYPE worksheet [<!ENTITY a "hahahahahahahahahaha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
              '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>')
    content = sheet_xml([["country"], ["&c;"]]).replace("&amp;c;", "&c;").replace("?>\n", "?>\n" + laughs, 1)
    return workbook({"Data": content})


def beyond_dimension(rows: list[list], *, declared: int = 2, sheet: str = "Data") -> bytes:
    """A workbook whose <dimension> tag declares only the first `declared` rows of `rows`."""
    width = max(len(row) for row in rows)
    return workbook({sheet: sheet_xml(rows, dimension=f"A1:{get_column_letter(width)}{declared}")})


def with_formulas(rows: list[list]) -> bytes:
    return workbook({"Data": rows})
