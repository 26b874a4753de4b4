"""Every problem and exception the package reports, in Vietnamese and English.

A `Problem` is a value: readers collect all of them, so that a user fixes a file in one pass
instead of one error per run. Exceptions carry the list; callers (CLI, pages) render it.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from kpis.scope import Scope

Severity = Literal["error", "warning"]


# What a warning asks of whoever looked at its cell, in the pages' words: they have a box to tick
# («Tôi đã kiểm tra các cảnh báo trên»). The command line has none: `Problem.format` with
# `command_line=True` (`kpis.cli.print_problems`) says its own way instead, so that
# `python -m kpis import` never asks for a box that is not there.
ACCEPT_ON_PAGE = ("đánh dấu đã kiểm tra rồi lưu", "accept and save")
ACCEPT_ON_COMMAND_LINE = (
    "chạy lại lệnh với --accept-warnings để lưu",
    "run the command again with --accept-warnings to save",
)


# CONTRACT.md §2 has every error of a figures file read as `FILE:LINE: column: message`, and
# other provinces' scripts split it so; a problem of no one cell still needs a line and a column
# there, or those scripts miss the line (and may take the file for valid). This project's
# reading of the contract (docs/file-formats.md): a problem of the whole file (unreadable,
# empty, not a spreadsheet) is placed on line 1, where reading stopped, in the column `file`; a
# problem of a line as a whole (more cells than the header) in the column `row`; of the header
# line itself (not on line 1) in the column `header`. No column of the contract has these names.
WHOLE_FILE = "file"
WHOLE_ROW = "row"
HEADER_LINE = "header"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a plan or figures file, with its place and what to do."""

    file: str
    message_vi: str
    message_en: str
    line: int | None = None
    column: str | None = None  # a CSV column, or a plan field such as `rd_orgs: targets[2].min`
    severity: Severity = "error"

    def message(self, lang: str = "vi") -> str:
        return self.message_en if lang == "en" else self.message_vi

    def place(self) -> str:
        """`FILE:LINE: column` as CONTRACT.md §2 spells it (parts that are unknown left out)."""
        parts = [self.file if self.line is None else f"{self.file}:{self.line}"]
        if self.column:
            parts.append(self.column)
        return ": ".join(parts)

    def format(self, lang: str = "vi", command_line: bool = False) -> str:
        """`FILE:LINE: column: message`; `command_line`: what to do worded for the command
        line (`ACCEPT_ON_COMMAND_LINE`)."""
        prefix = ""
        if self.severity == "warning":
            prefix = "cảnh báo: " if lang != "en" else "warning: "
        message = self.message(lang)
        if command_line:
            which = 1 if lang == "en" else 0
            message = message.replace(ACCEPT_ON_PAGE[which], ACCEPT_ON_COMMAND_LINE[which])
        return f"{self.place()}: {prefix}{message}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def of_whole_file(self) -> Problem:
        """The problem of a figures file that gave no rows, with the place it lacks: line 1,
        column `WHOLE_FILE` (see above)."""
        if self.line is not None and self.column:
            return self
        return replace(self, line=self.line or 1, column=self.column or WHOLE_FILE)


def errors_only(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]


def warnings_only(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if not p.is_error]


def one_per_refused_cell(problems: list[Problem]) -> list[Problem]:
    """`problems` without the warnings about a cell an error names (file, line and column):
    the error says what to do there, and a warning to tick as looked at beside it asks to
    accept what cannot be saved. Once the error is mended, the next check says it again if it
    still holds."""
    refused = {(p.file, p.line, p.column) for p in problems if p.is_error and p.line is not None}
    if not refused:
        return problems
    return [p for p in problems if p.is_error or (p.file, p.line, p.column) not in refused]


class SortsProblems:
    """`errors` and `warnings` for a result that carries a `problems` list."""

    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return errors_only(self.problems)

    @property
    def warnings(self) -> list[Problem]:
        return warnings_only(self.problems)


class KpiError(Exception):
    """Base of every exception raised by `kpis`."""


class WordedError(KpiError):
    """An error whose `__init__` words it in both languages (`message_vi`, `message_en`)."""

    message_vi: str
    message_en: str

    def message(self, lang: str = "vi") -> str:
        return self.message_en if lang == "en" else self.message_vi


class InputNotFound(WordedError):
    """A plan file or data folder named by the user does not exist (CLI exit code 2)."""

    def __init__(self, path: str, what_vi: str, what_en: str):
        self.path = path
        self.message_vi = f"không tìm thấy {what_vi}: {path}"
        self.message_en = f"{what_en} not found: {path}"
        super().__init__(self.message_en)


class DatabaseSettingInvalid(InputNotFound):
    """`KPI_DATABASE_URL` or the secrets file's `[database]` is set but cannot be read as a
    database (CLI exit code 2). Refused, never read as "no database": the figures would go to
    a local folder no other machine sees. The value is never repeated: it may hold a password."""

    def __init__(self, where: str):
        self.path = where
        self.message_vi = (
            f"{where} không đọc được thành địa chỉ cơ sở dữ liệu (postgresql://vai_trò@máy:cổng/"
            "tên, hoặc host=… dbname=… user=…): sửa lại; số liệu không được đọc hay ghi ở thư "
            "mục data/ thay thế"
        )
        self.message_en = (
            f"{where} cannot be read as a database address (postgresql://role@host:port/name, "
            "or host=… dbname=… user=…): correct it; the figures are not read from or written "
            "to the data/ folder instead"
        )
        KpiError.__init__(self, self.message_en)


class InvalidInput(KpiError):
    """A file was read but is not valid: every problem found, not only the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(p.format("en") for p in problems))


class PlanInvalid(InvalidInput):
    """`targets.yaml` breaks the contract (CONTRACT.md §1)."""


class FiguresInvalid(InvalidInput):
    """A figures file breaks the contract (CONTRACT.md §2)."""


class WarningsNotAccepted(KpiError):
    """An import with warnings was to be saved without the person saying they checked them
    (the page's tick «Tôi đã kiểm tra», `--accept-warnings`)."""

    def __init__(self, warnings: list[Problem]):
        self.warnings = warnings
        super().__init__(f"{len(warnings)} warnings not accepted")


class StoreBusy(WordedError):
    """Another save holds the data folder's lock for longer than we are willing to wait, or
    (`read_s`) a read of the database did not finish in that many seconds."""

    def __init__(self, lock_path: str, database: bool = False, read_s: float | None = None):
        self.lock_path = lock_path
        # What a visitor who is not signed in may read: the database's role and host left out.
        self.public = None
        if read_s is not None:  # behind a lock or a query running away: not always a save
            vi_s, en_s = f"{read_s:g}".replace(".", ","), f"{read_s:g}"
            vi = (
                f"cơ sở dữ liệu đang bận, không trả lời trong {vi_s} giây{{where}}: thử lại sau "
                "ít phút; nếu vẫn bận, người quản trị xem pg_stat_activity (docs/deployment.md)"
            )
            en = (
                f"the database is busy and did not answer within {en_s} seconds{{where}}: try "
                "again in a few minutes; if it stays busy, an administrator checks "
                "pg_stat_activity (docs/deployment.md)"
            )
            self.message_vi = vi.format(where=f" ({lock_path})")
            self.message_en = en.format(where=f" ({lock_path})")
            self.public = (vi.format(where=""), en.format(where=""))
        elif database:  # the turn is a row lock; a stalled one ends with its session
            self.message_vi = (
                f"một lượt lưu khác đang giữ cơ sở dữ liệu ({lock_path}): thử lại sau ít phút; "
                "nếu vẫn bận, người quản trị xem pg_stat_activity (docs/deployment.md)"
            )
            self.message_en = (
                f"another save is holding the database ({lock_path}): try again in a few "
                "minutes; if it stays busy, an administrator checks pg_stat_activity "
                "(docs/deployment.md)"
            )
        else:
            self.message_vi = (
                f"một lượt lưu khác đang giữ thư mục số liệu ({lock_path}): thử lại sau ít phút"
            )
            self.message_en = (
                f"another save is holding the data folder ({lock_path}): try again in a few minutes"
            )
        super().__init__(self.message_en)

    def public_message(self, lang: str = "vi") -> str:
        if self.public is None:
            return self.message(lang)
        return self.public[1] if lang == "en" else self.public[0]


class DataChanged(KpiError):
    """The figures changed since an editor loaded them; saving would overwrite someone's work.

    `changes` are the audit-trail rows written since (dicts with time, user, indicator, region,
    year, old, new); empty when the files were changed outside the dashboard.
    """

    def __init__(self, changes: list[dict[str, str]]):
        self.changes = changes
        super().__init__(f"the figures changed since they were loaded ({len(changes)} changes)")


class OutsideAgencies(KpiError):
    """An undo or redo asked by an editor limited to some agencies would change figures or
    tasks of another agency: refused before anything is touched.

    `rows`: the history entry's audit rows outside the editor's agencies (each names its
    indicator or task, year and `agency`); `allowed`: the editor's `kpis.scope.Scope` (its
    plans and their agencies); `entry`, `user`,
    `time`: the save that would have been undone (redone). `kpis.agencies.round_refusal` says
    it in words.
    """

    def __init__(
        self,
        entry: str,
        user: str,
        time: str,
        rows: list[dict[str, str]],
        allowed: Scope,
        redo: bool = False,
    ):
        self.entry, self.user, self.time = entry, user, time
        self.rows, self.allowed, self.redo = rows, allowed, redo
        super().__init__(
            f"nothing was {'redone' if redo else 'undone'}: the save {entry} changed "
            f"{len(rows)} items outside the plans and agencies the account may write for"
        )


class HistoryNotKept(WordedError):
    """Undo or redo of a save made before the figures were moved into the database (`db load`):
    the audit trail came along, the files as they were before each save did not."""

    def __init__(self, redo: bool):
        self.message_vi = (
            f"không {'làm lại' if redo else 'hoàn tác'} được: lượt lưu này có trước khi số liệu "
            "được nạp vào cơ sở dữ liệu (python -m kpis db load), và lịch sử hoàn tác không được "
            "nạp theo (chỉ nhật ký thay đổi); sửa số liệu bằng một lượt nhập mới"
        )
        self.message_en = (
            f"cannot {'redo' if redo else 'undo'}: this save came before the figures were moved "
            "into the database (python -m kpis db load), which does not carry the undo history "
            "over (only the audit trail); correct the figures with a new import"
        )
        super().__init__(self.message_en)


class HistoryDamaged(WordedError):
    """A history entry that cannot be trusted (manifest unreadable, a path outside the data
    folder, a backup missing or changed): refused before any file is touched, never skipped."""

    def __init__(self, entry: str, reason_vi: str, reason_en: str, redo: bool = False):
        self.entry = entry
        self.message_vi = (
            f"bản lưu lịch sử .history/{entry} bị hỏng ({reason_vi}): không "
            f"{'làm lại' if redo else 'hoàn tác'} được; "
            "quản trị viên cần kiểm tra thư mục này (xem docs/deployment.md)"
        )
        self.message_en = (
            f"the history entry .history/{entry} is damaged ({reason_en}): nothing was "
            f"{'redone' if redo else 'undone'}; "
            "an operator needs to look at that folder (see docs/deployment.md)"
        )
        super().__init__(self.message_en)


class OutputNotAFile(WordedError):
    """`--out` names something other than a regular file (a folder, a device such as /dev/full,
    a pipe, a symbolic link): writing would replace it (CLI exit code 2, as a usage error)."""

    def __init__(self, path: str, kind_vi: str, kind_en: str):
        self.path = path
        self.message_vi = (
            f"không ghi vào {path}: đó là {kind_vi}, không phải một tệp (để nguyên, không ghi đè); "
            "chọn tên khác cho --out: một tệp chưa có, hoặc một tệp cũ để ghi đè (ví dụ --out "
            "bao-cao.pptx)"
        )
        self.message_en = (
            f"not writing to {path}: it is {kind_en}, not a file, and is left as it is; give "
            "--out another name: a new file, or an old file to overwrite (for example --out "
            "report.pptx)"
        )
        super().__init__(self.message_en)


# Why a folder could not be made or written (`OutputFolderUnwritable`), by the system's error
# number: its own words (strerror) are English, and name no remedy.
_FOLDER_REASONS = {
    errno.EACCES: ("không có quyền ghi vào đó", "no permission to write there"),
    errno.EPERM: ("không có quyền ghi vào đó", "no permission to write there"),
    errno.EROFS: ("ổ đĩa đó chỉ cho đọc", "that disk is read-only"),
    errno.ENOSPC: ("ổ đĩa đã đầy", "the disk is full"),
    errno.EDQUOT: ("ổ đĩa đã đầy (hết hạn mức)", "the disk is full (quota reached)"),
    errno.ENOENT: (
        "thư mục chứa nó không tồn tại và không tạo được",
        "the folder above it does not exist and cannot be created",
    ),
    # mkdir of a name a file holds (EEXIST), or of a path through a file (ENOTDIR).
    errno.EEXIST: ("đó là một tệp, không phải thư mục", "that is a file, not a folder"),
    errno.ENOTDIR: (
        "một phần của đường dẫn là một tệp, không phải thư mục",
        "part of the path is a file, not a folder",
    ),
}


class OutputFolderUnwritable(WordedError):
    """A folder to write files into (`db dump DIR`) cannot be made or written: why, in the
    user's words, and what to do (CLI exit code 2, as a usage error)."""

    def __init__(self, path: str, error: OSError):
        self.path = path
        reason_vi, reason_en = _FOLDER_REASONS.get(
            error.errno or 0,
            (
                f"lỗi hệ thống: {error.strerror or error}",
                f"system error: {error.strerror or error}",
            ),
        )
        self.message_vi = (
            f"không ghi được vào thư mục {path}: {reason_vi}; chọn một thư mục khác mà tài khoản "
            "này ghi được (ví dụ python -m kpis db dump ./ban-sao), hoặc nhờ người quản trị "
            "tạo thư mục đó và cấp quyền ghi"
        )
        self.message_en = (
            f"cannot write into the folder {path}: {reason_en}; choose another folder this "
            "account can write to (for example python -m kpis db dump ./export), or ask an "
            "administrator to create that folder and give write permission"
        )
        super().__init__(self.message_en)


class BrowserNotFound(WordedError):
    """No Chrome or Chromium to draw chart images with (kaleido needs one; we never download it)."""

    def __init__(self, path: str | None):
        self.path = path
        where_vi = f" tại BROWSER_PATH={path}" if path else ""
        where_en = f" at BROWSER_PATH={path}" if path else ""
        self.message_vi = (
            f"không tìm thấy trình duyệt Chromium/Chrome{where_vi} để vẽ ảnh biểu "
            "đồ: cài bằng `apt-get install chromium` (Debian/Ubuntu) hoặc cài "
            "Google Chrome, hoặc đặt BROWSER_PATH là đường dẫn tới trình duyệt"
        )
        self.message_en = (
            f"no Chromium/Chrome browser found{where_en} to draw chart images: "
            "install one with `apt-get install chromium` (Debian/Ubuntu) or "
            "install Google Chrome, or set BROWSER_PATH to the browser's path"
        )
        super().__init__(self.message_en)
