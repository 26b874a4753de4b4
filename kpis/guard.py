"""What a figures file must be before it is parsed: its size, rows and columns within the limits,
and an .xlsx whose parts cannot expand beyond them (kpis.limits).

The parsers allocate by what a file declares or seems to hold: pandas a column per cell of the
widest row, openpyxl a cell per position of the sheet's declared dimension, zlib whatever a
shared string unpacks to. These checks read the bytes as they are (counting, streaming the
xlsx XML through expat) and say no, with the place, before any of that happens.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import NamedTuple
from xml.parsers import expat

import numpy as np

from kpis import xlsx_sheet
from kpis.errors import HEADER_LINE, Problem
from kpis.i18n import format_number
from kpis.limits import Limits

_SEPARATORS = (b",", b";", b"\t")
_CELL_REF = re.compile(r"([A-Z]{1,4})?(\d{1,9})?")


def _too_big(
    file: str, what_vi: str, what_en: str, line: int | None = None, column: str | None = None
) -> Problem:
    return Problem(
        file,
        f"{what_vi}: tệp vượt giới hạn của máy chủ; tách thành nhiều tệp nhỏ hơn (quản trị viên "
        "có thể nâng giới hạn, xem docs/deployment.md)",
        f"{what_en}: the file is beyond the server's limits; split it into smaller files (an "
        "operator can raise the limit, see docs/deployment.md)",
        line=line,
        column=column,
    )


def check_size(size: int, file: str, limits: Limits) -> Problem | None:
    """The file's bytes within `file_mb` (checked from its size, before it is read)."""
    if size > limits.file_bytes:
        return _too_big(
            file,
            f"tệp nặng {format_number(size / 1048576, 'vi', 1)} MB, quá "
            f"{format_number(limits.file_mb, 'vi')} MB",
            f"the file is {format_number(size / 1048576, 'en', 1)} MB, more than "
            f"{format_number(limits.file_mb, 'en')} MB",
        )
    return None


class LineBreaks(NamedTuple):
    """The line breaks of some bytes, by convention."""

    line_feeds: int
    carriage_returns: int
    crlf: int  # carriage returns followed by a line feed (Windows' line ends)


def line_breaks(raw: bytes) -> LineBreaks:
    """The line feeds, carriage returns and carriage returns followed by a line feed in the
    bytes.

    A large file's are counted by numpy without holding Python's lock (a folder's files are
    read in several threads). A small file's are counted by `bytes.count`, which holds the
    lock for a fraction of a millisecond: numpy lets go of it and takes it back for every
    block, and beside busy threads each taking back waits (an import's check of its 340 new
    region files spent 0.07–0.15 s counting what takes 0.01 s alone, while other threads
    wrote and copied files)."""
    # Carriage returns counted only when there is one (found at memchr's speed): most files
    # end their lines with a line feed alone.
    any_carriage_return = b"\r" in raw
    if len(raw) <= _COUNTED_HOLDING_THE_LOCK:
        if not any_carriage_return:
            return LineBreaks(raw.count(b"\n"), 0, 0)
        # The pairs as the carriage returns less those without a line feed after them, which
        # are few: counting the two-byte b"\r\n" took three times as long as a byte (1,360
        # files of 300 KB with Windows' line ends: 0.6 s of a read's threads, now 0.4).
        carriage_returns = raw.count(b"\r")
        alone = sum(1 for _ in _LONE_CARRIAGE_RETURN.finditer(raw))
        return LineBreaks(raw.count(b"\n"), carriage_returns, carriage_returns - alone)
    data = np.frombuffer(raw, dtype=np.uint8)
    size = len(data)
    # A carriage return and a line feed after it, read as one little-endian 16-bit number:
    # each pair starts at an even byte (`even`'s numbers) or an odd one (`odd`'s), and is
    # counted once. (A 13 MB file with Windows' line ends: `bytes.count(b"\r\n")` held
    # Python's lock for 10 ms; each carriage return's next byte looked up took 4.4 ms, these
    # two passes over half the numbers each 1.4.)
    even = np.frombuffer(raw, dtype="<u2", count=size // 2)
    odd = np.frombuffer(raw, dtype="<u2", count=(size - 1) // 2, offset=1)
    line_feeds = carriage_returns = crlf = 0
    # A block at a time: the comparison's scratch stays small and in the cache (one scratch
    # the size of a 5 MB file is fresh memory, page-faulted in, for every file).
    for start in range(0, size, _BLOCK):
        block = data[start : start + _BLOCK]
        line_feeds += int(np.count_nonzero(block == 10))
        if any_carriage_return:
            carriage_returns += int(np.count_nonzero(block == 13))
            half = slice(start // 2, (start + _BLOCK) // 2)  # (_BLOCK is even)
            crlf += int(np.count_nonzero(even[half] == _CR_LF))
            crlf += int(np.count_nonzero(odd[half] == _CR_LF))
    return LineBreaks(line_feeds, carriage_returns, crlf)


_CR_LF = 0x0A0D  # b"\r\n" as a little-endian 16-bit number
_LONE_CARRIAGE_RETURN = re.compile(rb"\r(?!\n)")


_COUNTED_HOLDING_THE_LOCK = 1 << 20  # ~0.6 ms of bytes.count
# 256 KB: a block and its scratch stay within a core's cache, and there are few enough blocks
# that Python's lock is taken back rarely (64 KB blocks: 1.9 ms for a 15.6 MB file, 1.2 here;
# a national read 20 ms faster).
_BLOCK = 1 << 18


def check_csv(
    raw: bytes, file: str, limits: Limits, breaks: LineBreaks | None = None
) -> Problem | None:
    """Size, rows (line breaks of any convention) and the header's width, counted in the bytes.

    `breaks`: `line_breaks(raw)`, when the caller has counted them already."""
    problem = check_size(len(raw), file, limits)
    if problem:
        return problem
    lines = max(breaks or line_breaks(raw))
    if lines > limits.rows + 1:
        return _too_big(
            file,
            f"tệp có hơn {format_number(limits.rows)} dòng",
            f"the file has more than {limits.rows:,} rows",
        )
    end = min((i for i in (raw.find(b"\n"), raw.find(b"\r")) if i >= 0), default=len(raw))
    header = raw[:end]
    if max(header.count(sep) for sep in _SEPARATORS) + 1 > limits.columns:
        return _too_big(
            file,
            f"dòng tiêu đề có hơn {limits.columns} cột",
            f"the header has more than {limits.columns} columns",
            line=1,
            column=HEADER_LINE,
        )
    return None


def widest_row(lines: list[str], sep: str) -> int:
    """Cells of the widest line, counting every separator (quoted ones too: an upper bound)."""
    return max((line.count(sep) for line in lines), default=0) + 1


class _Refused(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem


def check_xlsx(raw: bytes, file: str, limits: Limits) -> Problem | None:
    """Everything in the workbook within the limits, read as a stream before openpyxl opens it:
    the unzipped size of its parts (as the zip declares them: zipfile never reads past that),
    no DTD (entities) in any XML part, every cell's column and text within the limits, the
    length of every shared string, and the rows and cells of the sheet that is read (the
    first: kpis.figures reads no other whole), named by its tab.

    The other sheets' rows are not counted: a workbook may carry a large reference sheet
    beside its figures, and openpyxl reads only a sheet's first rows to see whether it holds
    figures. When the workbook does not say which sheet is first, every sheet is counted."""
    problem = check_size(len(raw), file, limits)
    if problem:
        return problem
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        parts = archive.infolist()
        unzipped = sum(part.file_size for part in parts)
        if unzipped > limits.xlsx_bytes:
            return _too_big(
                file,
                f"tệp Excel giải nén ra {unzipped / 1048576:.0f} MB, quá {limits.xlsx_mb:g} MB",
                f"the Excel file unzips to {unzipped / 1048576:.0f} MB, more than "
                f"{limits.xlsx_mb:g} MB",
            )
        tabs = xlsx_sheet.sheets(archive)
        names = {sheet.part: sheet.name for sheet in tabs or ()}
        read = tabs[0].part if tabs else None

        def counted(part: str) -> bool:
            return part == read if read else _is_sheet(part)

        # Rows first, counted at the speed of a byte search: expat's pass below calls Python for
        # every cell, and took as long to reach a 900,000-row sheet's limit as openpyxl to read
        # 100,000 rows.
        for part in parts:
            if counted(part.filename):
                with archive.open(part) as stream:
                    _count_rows(stream, _Place(part.filename, names), file, limits)
        for part in parts:
            name = part.filename
            if name.endswith((".xml", ".rels", ".vml")) or counted(name) or name in names:
                with archive.open(part) as stream:
                    _scan(stream, _Place(name, names), file, limits, counted(name))
    except _Refused as refused:
        return refused.problem
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        # Nearly always a file cut short (a download or copy that stopped): its zip directory,
        # at the end, is missing; Excel cannot open it either.
        return Problem(
            file,
            "tệp Excel bị hỏng hoặc không trọn vẹn (thường do tải về hay chép chưa xong): tải "
            "về hoặc chép lại tệp gốc, kiểm tra Excel mở được, rồi tải lên lại",
            "the Excel file is damaged or incomplete (usually a download or copy that did not "
            "finish): download or copy the original again, check that Excel opens it, and "
            "upload it again",
        )
    except NotImplementedError:  # a compression method zipfile does not know
        return Problem(
            file,
            "tệp Excel nén theo cách không đọc được: lưu lại dạng .xlsx",
            "the Excel file uses a compression that cannot be read: save it again as .xlsx",
        )
    return None


def _is_sheet(part: str) -> bool:
    return part.startswith("xl/worksheets/") and part.endswith(".xml")


class _Place(NamedTuple):
    """A part of the workbook as its messages name it: a sheet by its tab."""

    part: str
    names: dict[str, str]  # a worksheet's part -> its tab name

    @property
    def sheet(self) -> bool:
        return self.part in self.names or _is_sheet(self.part)

    def words(self, lang: str) -> str:
        name = self.names.get(self.part)
        if name is None:
            return self.part
        return f"trang tính «{name}»" if lang == "vi" else f"sheet «{name}»"


# A row's opening tag, prefixed or not (`<row r="2">`, `<x:row>`, `<row/>`); not `</row>`, and
# not `<rowBreaks>`.
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")


def _count_rows(stream, place: _Place, file: str, limits: Limits) -> None:
    """Refuse a sheet of more than `xlsx_rows` rows as soon as it has them, reading no further.
    Raises _Refused with the problem."""
    rows, carry = 0, b""
    while chunk := stream.read(1 << 20):
        text = carry + chunk
        # Cut before the last "<": a tag is never split, and each is counted once.
        cut = text.rfind(b"<")
        cut = len(text) if cut < 0 else cut
        rows += sum(1 for _ in _ROW_TAG.finditer(text, 0, cut))
        carry = text[cut:]
        if rows > limits.xlsx_rows + 1:  # (the header is a row)
            break
    else:
        rows += sum(1 for _ in _ROW_TAG.finditer(carry))
    if rows > limits.xlsx_rows + 1:
        n_vi, n_en = format_number(limits.xlsx_rows, "vi"), f"{limits.xlsx_rows:,}"
        all_vi, all_en = format_number(limits.rows, "vi"), f"{limits.rows:,}"
        raise _Refused(
            Problem(
                file,
                f"{_sheet_words(place, 'vi')} có hơn {n_vi} hàng, giới hạn của một tệp Excel (đọc "
                "tệp Excel chậm hơn CSV nhiều): tách thành nhiều tệp nhỏ hơn (ví dụ mỗi năm một "
                "tệp), hoặc lưu dạng «CSV UTF-8» (nhận đến "
                f"{all_vi} dòng); quản trị viên có thể nâng giới hạn bằng KPI_MAX_XLSX_ROWS hoặc "
                "--limit xlsx_rows=SỐ (xem docs/deployment.md)",
                f"{_sheet_words(place, 'en')} has more than {n_en} rows, the limit for an Excel "
                "file (an Excel file is much slower to read than a CSV): split it into smaller "
                "files (one per year, say), or save it as «CSV UTF-8» (up to "
                f"{all_en} rows); an operator can raise the limit with KPI_MAX_XLSX_ROWS or "
                "--limit xlsx_rows=N (see docs/deployment.md)",
            )
        )


def _sheet_words(place: _Place, lang: str) -> str:
    """ "the Excel sheet «Số liệu»", or its part when the workbook does not name it."""
    name = place.names.get(place.part)
    if lang == "vi":
        return f"trang tính Excel «{name}»" if name else f"trang tính Excel ({place.part})"
    return f"the Excel sheet «{name}»" if name else f"the Excel sheet ({place.part})"


def _scan(stream, place: _Place, file: str, limits: Limits, read: bool = True) -> None:
    """One XML part through expat, refusing a DTD and, in sheets and shared strings, anything
    beyond the limits: in every sheet a cell's column and text, in the sheet that is read
    (`read`) its rows and cells too. Raises _Refused with the problem."""
    parser = expat.ParserCreate()
    part = place.part
    sheet = place.sheet
    counted = sheet and read
    strings = part == "xl/sharedStrings.xml"
    state = {"rows": 0, "text": 0, "strings": 0}

    def refuse(vi: str, en: str) -> None:
        raise _Refused(_too_big(file, f"{vi} ({place.words('vi')})", f"{en} ({place.words('en')})"))

    def doctype(*_args) -> None:
        raise _Refused(
            Problem(
                file,
                f"tệp Excel chứa khai báo DTD ({place.words('vi')}), điều mà Excel không bao giờ "
                "ghi: lưu lại "
                "dạng .xlsx bằng Excel hoặc LibreOffice",
                f"the Excel file carries a DTD ({place.words('en')}), which Excel never writes: "
                "save it again "
                "as .xlsx in Excel or LibreOffice",
            )
        )

    def start(name: str, attrs: dict[str, str]) -> None:
        local = name.rsplit(":", 1)[-1]
        if sheet and local == "dimension":
            rows, columns = _span(attrs.get("ref", ""))
            # (another sheet's rows are not read: its columns still widen every row read)
            rows = rows if counted else 0
            if rows > limits.rows + 1 or columns > limits.columns:
                refuse(
                    f"trang tính khai báo {format_number(rows)} hàng × "
                    f"{format_number(columns)} cột",
                    f"the sheet declares {rows:,} rows × {columns:,} columns",
                )
            if rows * columns > limits.xlsx_cells:
                refuse(
                    f"trang tính khai báo {format_number(rows * columns)} ô",
                    f"the sheet declares {rows * columns:,} cells",
                )
        elif counted and local == "row":
            state["rows"] += 1
            number = _int(attrs.get("r"))
            if state["rows"] > limits.rows + 1 or number > limits.rows + 1:
                refuse(f"hơn {format_number(limits.rows)} hàng", f"more than {limits.rows:,} rows")
            state["last_row"] = max(state.get("last_row", 0), number or state["rows"])
        elif sheet and local == "c":
            ref = attrs.get("r", "")
            columns = _column(ref)
            if columns > limits.columns:
                refuse(
                    f"ô {ref} nằm ngoài {limits.columns} cột",
                    f"cell {ref} is beyond {limits.columns} columns",
                )
            state["widest"] = max(state.get("widest", 0), columns)
            if counted and state.get("last_row", 0) * state["widest"] > limits.xlsx_cells:
                refuse(
                    f"trang tính trải trên hơn {format_number(limits.xlsx_cells)} ô",
                    f"the sheet spans more than {limits.xlsx_cells:,} cells",
                )
        elif strings and local == "si":
            state["strings"] += 1
            state["text"] = 0
            if state["strings"] > limits.xlsx_cells:
                refuse(
                    f"hơn {format_number(limits.xlsx_cells)} chuỗi",
                    f"more than {limits.xlsx_cells:,} strings",
                )

    def text(data: str) -> None:
        state["text"] += len(data)
        if state["text"] > limits.cell_chars:
            refuse(
                f"một ô dài hơn {format_number(limits.cell_chars)} ký tự",
                f"a cell is longer than {limits.cell_chars:,} characters",
            )

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.StartElementHandler = start
    if strings or sheet:
        parser.CharacterDataHandler = text

        def end(name: str) -> None:
            if name.rsplit(":", 1)[-1] in ("c", "is", "si"):
                state["text"] = 0

        parser.EndElementHandler = end
    try:
        while chunk := stream.read(1 << 16):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise _Refused(
            Problem(
                file,
                f"tệp Excel bị hỏng: {_damaged(place, 'vi')} không đọc được "
                f"({expat.ErrorString(exc.code)}, "
                f"dòng {exc.lineno}): mở bằng Excel hoặc LibreOffice và lưu lại dạng .xlsx",
                f"the Excel file is damaged: {_damaged(place, 'en')} cannot be read "
                f"({expat.ErrorString(exc.code)}, line {exc.lineno}): open it in Excel or "
                "LibreOffice and save it again as .xlsx",
            )
        ) from None


def _damaged(place: _Place, lang: str) -> str:
    """A damaged part, by its tab's name when it is a sheet, and by its path (which whoever
    repairs the file looks for)."""
    name = place.names.get(place.part)
    if lang == "vi":
        return f"trang tính «{name}» (phần {place.part})" if name else f"phần {place.part}"
    return f"sheet «{name}» (part {place.part})" if name else f"part {place.part}"


def _int(text: str | None) -> int:
    try:
        return int(text) if text else 0
    except ValueError:
        return 0


def _column(ref: str) -> int:
    """The column number of a cell reference (`XFD60002` -> 16384); 0 when there is none."""
    letters = _CELL_REF.match(ref.upper()).group(1) or ""  # type: ignore[union-attr]
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _span(ref: str) -> tuple[int, int]:
    """(rows, columns) that a dimension such as `A1:XFD60002` spans."""
    first, _, last = ref.upper().partition(":")
    last = last or first
    start, end = _CELL_REF.match(first), _CELL_REF.match(last)
    rows = _int(end.group(2)) - _int(start.group(2)) + 1 if end and start else 0  # type: ignore[union-attr]
    columns = _column(last) - _column(first) + 1
    return max(rows, 0), max(columns, 0)
