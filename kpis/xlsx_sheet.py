"""What a sheet's XML says that openpyxl's read-only cells do not: merged ranges and formulas
without a stored result.

Read-only mode (the only one fast enough for a large sheet) never parses `<mergeCells>`, and with
`data_only` a formula whose result was never saved reads as an empty cell: both made figures go
to the wrong region or vanish without a word. The sheet's XML is streamed once more and searched
with byte patterns, not parsed: a cell never spans a `</row>`, so the text is cut there.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import NamedTuple

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
