"""Which sheet of a workbook is read, by its tab name, and what its XML says that openpyxl's
read-only cells do not: merged ranges and formulas without a stored result.

Read-only mode (the only one fast enough for a large sheet) never parses `<mergeCells>`, and with
`data_only` a formula whose result was never saved reads as an empty cell: both made figures go
to the wrong region or vanish without a word. The sheet's XML is streamed once more and searched
with byte patterns, not parsed: a cell never spans a `</row>`, so the text is cut there.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from typing import NamedTuple
from xml.parsers import expat

_CHUNK = 4 << 20
# Writers may prefix the spreadsheetml namespace (`<x:c>`), so every tag allows a prefix.
_MERGE = re.compile(
    rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="\$?([A-Za-z]{1,3})\$?(\d+)(?::\$?([A-Za-z]{1,3})\$?(\d+))?"'
)
_ANY_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
# A cell with a formula, and its stored result when there is one (`<f>` comes first in `<c>`).
_FORMULA_CELL = re.compile(
    rb"<(?:\w+:)?c\b([^>]*)>\s*<(?:\w+:)?f\b[^>]*?(?:/>|>[^<]*</(?:\w+:)?f>)\s*"
    rb"(<(?:\w+:)?v\b[^>]*?(?:/>|>([^<]*)</(?:\w+:)?v>))?"
)
_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_STRING_RESULT = re.compile(rb'\bt="str"')


class Merged(NamedTuple):
    ref: str  # as Excel shows it: "B2:B3"
    first_row: int
    last_row: int
    first_column: int  # 1-based
    last_column: int


class Unstored(NamedTuple):
    ref: str  # "D3"
    row: int
    column: int  # 1-based


class SheetXml(NamedTuple):
    merged: list[Merged]
    unstored: list[Unstored]


class Sheet(NamedTuple):
    name: str  # as its tab shows it: "Số liệu"
    part: str  # its path in the zip: "xl/worksheets/sheet1.xml"


# The workbook part's content types, in the order openpyxl looks for them (_find_workbook_part).
_WORKBOOK_TYPES = tuple(
    f"application/vnd.{kind}.main+xml"
    for kind in (
        "ms-excel.template.macroEnabled",
        "openxmlformats-officedocument.spreadsheetml.template",
        "ms-excel.sheet.macroEnabled",
        "openxmlformats-officedocument.spreadsheetml.sheet",
    )
)
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# Beyond this many sheets the workbook is not resolved (the caller then counts every sheet):
# the names kept while the workbook's parts stream by stay few, whatever the parts hold.
_MOST_SHEETS = 1_000


class _Unresolved(Exception):
    pass


def sheets(archive: zipfile.ZipFile) -> list[Sheet] | None:
    """The workbook's worksheets in its order, as openpyxl lists them (`workbook.worksheets`:
    chartsheets and sheets whose part is missing left out), with their tab names. None when
    the workbook's own parts do not say (missing, damaged, a DTD, too many sheets): the caller
    then treats every sheet as one that is read.

    The parts are streamed through expat, with a DTD refused, so this is as bounded as the
    guard's other reads (kpis.guard has already bounded what each part unzips to)."""
    try:
        return _sheets(archive)
    except (
        _Unresolved,
        KeyError,
        expat.ExpatError,
        zipfile.BadZipFile,
        OSError,
        ValueError,
        EOFError,
        NotImplementedError,
    ):
        return None


def _sheets(archive: zipfile.ZipFile) -> list[Sheet]:
    names = set(archive.namelist())
    overrides: dict[str, str] = {}
    defaults: set[str] = set()

    def content_type(local: str, attrs: dict[str, str]) -> None:
        kind = attrs.get("ContentType", "")
        if local == "Override" and kind in _WORKBOOK_TYPES:
            overrides.setdefault(kind, attrs.get("PartName", ""))
        elif local == "Default":
            defaults.add(kind)

    _stream(archive, "[Content_Types].xml", content_type)
    workbook = next((overrides[kind] for kind in _WORKBOOK_TYPES if kind in overrides), None)
    if workbook is None and defaults & set(_WORKBOOK_TYPES):
        workbook = "/xl/workbook.xml"
    if not workbook:
        raise _Unresolved
    workbook = workbook[1:]  # (openpyxl drops the first character: the "/" of a part name)
    listed: list[tuple[str, str]] = []  # (tab name, relationship id)

    def sheet(local: str, attrs: dict[str, str]) -> None:
        if local != "sheet":
            return
        rel = attrs.get(f"{_RELATIONSHIPS} id")
        if rel:  # (openpyxl leaves out a sheet without one)
            if len(listed) >= _MOST_SHEETS:
                raise _Unresolved
            listed.append((attrs.get("name", ""), rel))

    _stream(archive, workbook, sheet)
    folder, base = posixpath.split(workbook)
    rels_part = posixpath.join(folder, "_rels", f"{base}.rels")
    wanted = {rel for _, rel in listed}
    targets: dict[str, tuple[str, str]] = {}  # id -> (type, part)

    def relationship(local: str, attrs: dict[str, str]) -> None:
        rel = attrs.get("Id")
        if local != "Relationship" or rel not in wanted or rel in targets:
            return
        target = attrs.get("Target", "")
        if attrs.get("TargetMode") != "External":  # as openpyxl's get_dependents
            if target.startswith("/"):
                target = target[1:]
            else:
                target = posixpath.normpath(posixpath.join(folder, target))
        targets[rel] = (attrs.get("Type", ""), target)

    _stream(archive, rels_part, relationship)
    found = []
    for name, rel in listed:
        kind, part = targets[rel]  # (a KeyError: openpyxl cannot open the workbook either)
        if part in names and "chartsheet" not in kind:
            found.append(Sheet(name, part))
    return found


def _stream(archive: zipfile.ZipFile, part: str, start) -> None:
    """`start(local name, attributes)` for each element of `part`, streamed; a DTD refused."""
    parser = expat.ParserCreate(namespace_separator=" ")

    def refuse(*_args) -> None:
        raise _Unresolved

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = lambda name, attrs: start(name.rsplit(" ", 1)[-1], attrs)
    with archive.open(part) as stream:
        while chunk := stream.read(1 << 16):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)


def column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def scan(raw: bytes, part: str) -> SheetXml:
    """The merged ranges and the formula cells without a stored result of one sheet (`part`,
    its path in the zip). kpis.guard has already bounded what the part unzips to."""
    merged: list[Merged] = []
    unstored: list[Unstored] = []
    with zipfile.ZipFile(io.BytesIO(raw)) as archive, archive.open(part) as stream:
        carry = b""
        while True:
            chunk = stream.read(_CHUNK)
            text = carry + chunk
            if chunk:
                cut = text.rfind(b"row>") + 4  # after a `</row>`: no cell is cut in two
                if cut < 4:
                    carry = text
                    continue
                text, carry = text[:cut], text[cut:]
            _search(text, merged, unstored)
            if not chunk:
                break
    return SheetXml(merged, unstored)


def _has_formula(text: bytes) -> bool:
    """Whether the text may hold a formula tag (`<f>`, `<f t=…/>`, `<x:f>`), by substring
    searches: ~10 times faster than the pattern over a sheet of typed figures. No other tag
    of a sheet ends in "f", and text never holds a bare ">" (it is written `&gt;`)."""
    return b"f>" in text or b"<f " in text or b":f " in text


def _search(text: bytes, merged: list[Merged], unstored: list[Unstored]) -> None:
    if b"mergeCell" not in text and not _has_formula(text):
        return
    for first, top, last, bottom in _MERGE.findall(text):
        last, bottom = last or first, bottom or top
        ref = f"{first.decode().upper()}{int(top)}"
        if (last, bottom) != (first, top):
            ref += f":{last.decode().upper()}{int(bottom)}"
        merged.append(
            Merged(
                ref,
                int(top),
                int(bottom),
                column_number(first.decode()),
                column_number(last.decode()),
            )
        )
    if not _has_formula(text) or _ANY_FORMULA.search(text) is None:  # the usual sheet
        return
    for match in _FORMULA_CELL.finditer(text):
        attributes, value_element, value = match.groups()
        if value_element is not None and (value or _STRING_RESULT.search(attributes)):
            continue  # a stored result; an empty one is stored so only for a text result
        place = _REF.search(attributes)
        if place is None:  # (no writer leaves a formula cell without its place)
            continue
        letters, row = place.group(1).decode(), int(place.group(2))
        unstored.append(Unstored(f"{letters}{row}", row, column_number(letters)))
