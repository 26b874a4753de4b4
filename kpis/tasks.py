"""Task progress (issue 16): what each task of the plan has come to, overdue tasks, the counts.

A plan lists its tasks (`kpis.plan.Task`); their progress is data, one row a task, in the
store's side file `_tasks-<plan id>.csv` (in the data folder a file the figures reader skips:
it starts with «_»; in PostgreSQL its bytes, kpis/pgstore.py). Staff send a CSV or Excel file
with the columns below (docs/huong-dan-nhiem-vu.md); an import is planned (added, changed,
unchanged, every problem), then saved in one turn of the store (`kpis.store.Store.side_files`:
history entry, the file whole, audit trail, undo), whichever store holds the figures.

A task is overdue as of a date when its deadline is before that date and it is not closed
(done, cancelled or not the province's) by then. A task with no progress row, or whose row is
dated after the date shown, counts as "not reported" then.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import hashlib
import io
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, field

import pandas as pd

from kpis import plausibility, store
from kpis.errors import DataChanged, InvalidInput, Problem, SortsProblems, WarningsNotAccepted
from kpis.figures import cells_of, separator_hint, unused_column
from kpis.i18n import format_date
from kpis.plan import Plan
from kpis.safe_cells import neutralise_cell
from kpis.scope import Scope
from kpis.store import SideTurn, Store
from kpis.ui_text import t

STATES = ("not_started", "in_progress", "done", "cancelled", "not_ours")
UNREPORTED = "unreported"  # no progress row (yet) as of the date shown
CLOSED = frozenset({"done", "cancelled", "not_ours"})
STATE_WORDS = {
    "not_started": ("chưa bắt đầu", "not started"),
    "in_progress": ("đang triển khai", "in progress"),
    "done": ("hoàn thành", "done"),
    "cancelled": ("đã huỷ", "cancelled"),
    "not_ours": ("không thuộc phạm vi của tỉnh", "not the province's"),
    UNREPORTED: ("chưa báo cáo", "not reported"),
}
# The counts line's phrases, each with its subject: «chưa báo cáo: 64» said what had not been
# reported by whom only to those who knew; "{n} nhiệm vụ chưa được báo cáo tiến độ" says it.
COUNT_WORDS = {
    "not_started": ("{n} nhiệm vụ chưa bắt đầu", "{n} {tasks} not started"),
    "in_progress": ("{n} nhiệm vụ đang triển khai", "{n} {tasks} in progress"),
    "done": ("{n} nhiệm vụ hoàn thành", "{n} {tasks} done"),
    "cancelled": ("{n} nhiệm vụ đã huỷ", "{n} {tasks} cancelled"),
    "not_ours": (
        "{n} nhiệm vụ không thuộc phạm vi của tỉnh",
        "{n} {tasks} not the province's",
    ),
    UNREPORTED: (
        "{n} nhiệm vụ chưa được báo cáo tiến độ",
        "{n} {tasks} without a progress report",
    ),
}
COLUMNS = ["task", "state", "date", "evidence", "note"]
REQUIRED = ("task", "state")
_ALIASES = {
    "task": ("task", "nhiệm vụ", "nhiem_vu", "mã nhiệm vụ", "ma_nhiem_vu"),
    "state": ("state", "trạng thái", "trang_thai", "tình trạng"),
    "date": ("date", "ngày", "ngay", "ngày cập nhật", "ngày cập nhật tiến độ"),
    "evidence": ("evidence", "căn cứ", "can_cu", "minh chứng", "minh_chung", "văn bản"),
    "note": ("note", "ghi chú", "ghi_chu"),
    "name": ("name", "tên nhiệm vụ", "ten_nhiem_vu", "tên"),  # for people; ignored
}
_HEADER = {alias: column for column, aliases in _ALIASES.items() for alias in aliases}
MAX_TEXT = 2000  # characters of evidence or note: a pasted document does not belong here


def progress_name(plan: Plan) -> str:
    """The side file of the store that holds the plan's task progress."""
    return f"_tasks-{plan.plan.id}.csv"


def state_word(state: str, lang: str = "vi") -> str:
    vi, en = STATE_WORDS[state]
    return en if lang == "en" else vi


def _fold(text: str) -> str:
    """Lower case, no diacritics, single spaces: «Đã hủy» and «da huy» are one word."""
    text = unicodedata.normalize("NFD", text.strip().lower().replace("đ", "d"))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return re.sub(r"[\s_]+", " ", text)


_STATE_BY_WORD = {
    _fold(word): state
    for state in STATES
    for word in (state, *STATE_WORDS[state], state.replace("_", " "))
} | {
    _fold("đã hoàn thành"): "done",
    _fold("not ours"): "not_ours",
    _fold("không thuộc phạm vi"): "not_ours",
    _fold("đang thực hiện"): "in_progress",
}


def parse_state(text: str) -> str | None:
    return _STATE_BY_WORD.get(_fold(text))


def parse_date(text: str) -> dt.date | None:
    """YYYY-MM-DD or DD/MM/YYYY (as Vietnamese documents write dates); None if neither."""
    text = text.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%dT%H:%M:%S"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


# ---------------------------------------------------------------------------------------------
# Reading a progress file


def parse_progress(
    raw: bytes, file: str, plan: Plan, today: dt.date | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """A task progress file (CSV or XLSX) -> rows task, state, date, evidence, note, line.

    Every problem at once, each with its line and column: an unknown task (naming the closest
    ids), an unknown state (naming the accepted words), a date that is not a date or is in the
    future, a task given twice.
    """
    today = today or dt.date.today()
    header, cells, lines, problems = cells_of(raw, file)
    empty = pd.DataFrame(columns=[*COLUMNS, "line"])
    if not header:
        return empty, problems
    hint = separator_hint(header, file)
    if hint is not None:
        return empty, [*problems, hint]
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        column = _HEADER.get(
            unicodedata.normalize("NFC", name.replace("\ufeff", "").strip().lower())
        )
        if column is None:
            if name.strip():
                problems.append(unused_column(file, name))
        elif column not in positions:
            positions[column] = index
    missing = [c for c in REQUIRED if c not in positions]
    for column in missing:
        accepted = ", ".join(_ALIASES[column])
        problems.append(
            Problem(
                file,
                f"thiếu cột bắt buộc «{column}» (tên được chấp nhận: {accepted})",
                f"missing required column «{column}» (accepted names: {accepted})",
                line=1,
                column=column,
            )
        )
    if missing:
        return empty, problems
    known = sorted(plan.task_by_id)
    rows, first_line = [], {}
    accepted_vi = ", ".join(f"«{state_word(s)}»" for s in STATES)
    accepted_en = ", ".join(f"«{s}»" for s in STATES)
    for position, line in enumerate(lines.tolist()):

        def cell(column: str, at: int = position) -> str:
            index = positions.get(column)
            return str(cells.iat[at, index]).strip() if index is not None else ""

        task, state_text, date_text = cell("task"), cell("state"), cell("date")
        if not state_text:
            continue  # not reported (a blank line, or a template row left empty)
        bad = False
        if task not in plan.task_by_id:
            close = difflib.get_close_matches(task, known, n=3)
            hint = f" ({', '.join(close)}?)" if close else ""
            problems.append(
                Problem(
                    file,
                    f"«{task}» không phải nhiệm vụ của kế hoạch{hint}",
                    f"«{task}» is not a task of the plan{hint}",
                    line=line,
                    column="task",
                )
            )
            bad = True
        elif task in first_line:
            problems.append(
                Problem(
                    file,
                    f"nhiệm vụ {plan.task_by_id[task].named('vi')} có hai dòng (dòng "
                    f"{first_line[task]} và {line}): giữ một",
                    f"task {plan.task_by_id[task].named('en')} is given twice (lines "
                    f"{first_line[task]} and {line}): keep one",
                    line=line,
                    column="task",
                )
            )
            bad = True
        else:
            first_line[task] = line
        state = parse_state(state_text)
        if state is None:
            problems.append(
                Problem(
                    file,
                    f"trạng thái «{state_text}» không hợp lệ; ghi một trong: {accepted_vi}",
                    f"state «{state_text}» is not valid; write one of: {accepted_en}",
                    line=line,
                    column="state",
                )
            )
            bad = True
        date = parse_date(date_text) if date_text else None
        if date_text and date is None:
            problems.append(
                Problem(
                    file,
                    f"«{date_text}» không phải ngày: ghi dạng 30/06/2025 hoặc 2025-06-30",
                    f"«{date_text}» is not a date: write 30/06/2025 or 2025-06-30",
                    line=line,
                    column="date",
                )
            )
            bad = True
        elif date is not None and date > today:
            problems.append(
                Problem(
                    file,
                    f"ngày {date:%d/%m/%Y} chưa đến: ghi ngày trạng thái thay đổi",
                    f"{date:%d/%m/%Y} is in the future: give the day the state changed",
                    line=line,
                    column="date",
                )
            )
            bad = True
        evidence, note = cell("evidence"), cell("note")
        for column, text in (("evidence", evidence), ("note", note)):
            if len(text) > MAX_TEXT:
                problems.append(
                    Problem(
                        file,
                        f"quá dài ({len(text)} ký tự, tối đa {MAX_TEXT}): ghi số văn bản hoặc "
                        "đường dẫn",
                        f"too long ({len(text)} characters, at most {MAX_TEXT}): give a "
                        "document number or a link",
                        line=line,
                        column=column,
                    )
                )
                bad = True
        if not bad:
            rows.append(
                {
                    "task": task,
                    "state": state,
                    "date": date,
                    "evidence": evidence,
                    "note": note,
                    "line": line,
                }
            )
    table = pd.DataFrame(rows, columns=[*COLUMNS, "line"])
    table.attrs["file"] = file
    return table, problems


def read_progress(figures_store: Store, plan: Plan) -> tuple[pd.DataFrame, list[Problem]]:
    """The saved progress of the plan's tasks (empty when none was ever imported)."""
    name = progress_name(plan)
    return _parse_saved(figures_store.read_side(name), figures_store.side_label(name), plan)


def _parse_saved(raw: bytes | None, label: str, plan: Plan) -> tuple[pd.DataFrame, list[Problem]]:
    if raw is None:
        return pd.DataFrame(columns=[*COLUMNS, "line"]), []
    return parse_progress(raw, label, plan, today=dt.date.max)


def canonical_bytes(rows: pd.DataFrame) -> bytes:
    """Canonical CSV as figures are written: UTF-8 with BOM, comma, sorted by task."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows.sort_values("task", kind="stable").itertuples(index=False):
        date = row.date.isoformat() if isinstance(row.date, dt.date) else ""
        writer.writerow([row.task, row.state, date, row.evidence, row.note])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# ---------------------------------------------------------------------------------------------
# Where each task stands, as of a date


def is_overdue(deadline: dt.date | None, state: str, as_of: dt.date) -> bool:
    """Past its deadline (the deadline day itself is still in time) and not closed."""
    return deadline is not None and as_of > deadline and state not in CLOSED


def task_table(
    plan: Plan, progress: pd.DataFrame, as_of: dt.date, lang: str = "vi"
) -> pd.DataFrame:
    """One row per task of the plan, in plan order: task, name, clause, agency (id),
    agency_name, deadline, deadline_inferred, indicator, state (as of `as_of`), date, evidence,
    note, overdue."""
    saved = {row.task: row for row in progress.itertuples(index=False)}
    rows = []
    for task in plan.tasks:
        row = saved.get(task.id)
        holds = row is not None and (row.date is None or pd.isna(row.date) or row.date <= as_of)
        state = row.state if holds else UNREPORTED
        rows.append(
            {
                "task": task.id,
                "name": task.label(lang),
                "clause": task.text("clause", lang),  # for people; machines: plan.task_by_id
                "agency": task.responsible,
                "agency_name": plan.agency_name(task.responsible, lang),
                "deadline": task.deadline,
                "deadline_inferred": task.deadline_inferred,
                "indicator": task.indicator or "",
                "state": state,
                "date": row.date if holds and isinstance(row.date, dt.date) else None,
                "evidence": row.evidence if holds else "",
                "note": row.note if holds else "",
                "overdue": is_overdue(task.deadline, state, as_of),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "task",
            "name",
            "clause",
            "agency",
            "agency_name",
            "deadline",
            "deadline_inferred",
            "indicator",
            "state",
            "date",
            "evidence",
            "note",
            "overdue",
        ],
    )


@dataclass(frozen=True)
class TaskSummary:
    """The counts provinces report: "19/92 nhiệm vụ hoàn thành · 3 quá hạn"."""

    total: int
    counts: dict[str, int]
    overdue: int

    def text(self, lang: str = "vi") -> str:
        done = self.counts.get("done", 0)
        if lang == "en":
            return f"{done}/{self.total} tasks done · {self.overdue} overdue"
        return f"{done}/{self.total} nhiệm vụ hoàn thành · {self.overdue} quá hạn"

    def counts_text(self, lang: str = "vi") -> str:
        """ "19 nhiệm vụ hoàn thành · 38 nhiệm vụ đang triển khai · 7 nhiệm vụ chưa được báo
        cáo tiến độ": every state that has tasks, each with its subject."""
        vi_en = [(COUNT_WORDS[state], n) for state, n in self.counts.items() if n]
        return " · ".join(
            (en if lang == "en" else vi).format(n=n, tasks="task" if n == 1 else "tasks")
            for (vi, en), n in vi_en
        )

    @property
    def none_reported(self) -> bool:
        """The plan lists tasks and no progress is reported for any of them: its overdue tasks
        are overdue by their deadlines alone (docs/tasks.md), not a finding anyone reported."""
        return self.total > 0 and self.counts.get(UNREPORTED, 0) == self.total

    def unreported_note(self, lang: str = "vi") -> str:
        """What to say beside the counts when no task's progress is reported; "" otherwise."""
        if not self.none_reported:
            return ""
        return t("tasks_none_reported" if self.overdue else "tasks_none_reported_short", lang)


def summarise(table: pd.DataFrame) -> TaskSummary:
    counts = {state: int((table["state"] == state).sum()) for state in (*STATES, UNREPORTED)}
    return TaskSummary(total=len(table), counts=counts, overdue=int(table["overdue"].sum()))


def as_of_date(as_of_year: int | None, today: dt.date | None = None) -> dt.date:
    """The date tasks are judged at: today, or the last day of an earlier as-of year."""
    today = today or dt.date.today()
    if as_of_year is None or as_of_year >= today.year:
        return today
    return dt.date(as_of_year, 12, 31)


def day_text(value: object) -> str:
    """A date as Vietnamese documents write it, 30/06/2025 (on every page); empty if none."""
    return format_date(value) if isinstance(value, dt.date) else ""


def audit_state_text(state: object, date: object, lang: str = "vi") -> str:
    """A task's state as the audit trail wrote it (`done`, with its date `2025-11-20` when
    recorded), in the words /tasks uses: «hoàn thành (20/11/2025)»; empty when none."""
    if not isinstance(state, str) or state not in STATE_WORDS:
        return state if isinstance(state, str) and state else ""
    word = state_word(state, lang)
    try:
        day = dt.date.fromisoformat(date) if isinstance(date, str) and date else None
    except ValueError:
        day = None
    return f"{word} ({day_text(day)})" if day else word


def display_frame(table: pd.DataFrame, lang: str = "vi", agency: bool = True) -> pd.DataFrame:
    """A `task_table` for people: names, dates as 30/06/2025, states in words; an inferred
    deadline says so. `agency=False` leaves out the lead agency (the agency's own page).

    The task, its state, whether it is overdue and its deadline come first: what leadership
    reads, in view without scrolling sideways on a projector of 1,366 pixels or a phone."""
    inferred = f" {t('deadline_inferred', lang)}"
    columns = {
        t("col_task", lang): table["name"],
        t("col_state", lang): [state_word(s, lang) for s in table["state"]],
        t("col_overdue", lang): [
            t("overdue_mark", lang) if late else "" for late in table["overdue"]
        ],
        t("col_deadline", lang): [
            (day_text(d) + (inferred if flag else "")) if d else "–"
            for d, flag in zip(table["deadline"], table["deadline_inferred"], strict=True)
        ],
    }
    if agency:
        columns[t("col_agency", lang)] = table["agency_name"]
    columns[t("col_clause", lang)] = table["clause"]
    columns[t("col_progress_date", lang)] = [day_text(d) for d in table["date"]]
    columns[t("col_evidence", lang)] = table["evidence"].map(neutralise_cell)
    return pd.DataFrame(columns)


def progress_template(
    plan: Plan, table: pd.DataFrame, lang: str = "vi", agencies: Collection[str] | None = None
) -> bytes:
    """The progress file to fill in: every task with its name and its state as saved (empty
    when none was reported), in the format `parse_progress` reads; formulas neutralised.
    `agencies`: an editor limited to these gets only the tasks they lead (None: every task),
    as the figures template (`templates.template_csv`): a row they may not write would be
    refused once filled in."""
    if agencies is not None:
        table = table[table["agency"].isin(list(agencies))]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if lang == "en":
        writer.writerow(["task", "name", "state", "date", "evidence", "note"])
    else:
        writer.writerow(["nhiệm vụ", "tên nhiệm vụ", "trạng thái", "ngày", "căn cứ", "ghi chú"])
    for row in table.itertuples(index=False):
        writer.writerow(
            [
                row.task,
                neutralise_cell(row.name),
                "" if row.state == UNREPORTED else state_word(row.state, lang),
                row.date.strftime("%d/%m/%Y") if isinstance(row.date, dt.date) else "",
                neutralise_cell(row.evidence),
                neutralise_cell(row.note),
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# ---------------------------------------------------------------------------------------------
# Importing progress: plan, then write with the store's journal


@dataclass
class TaskImport(SortsProblems):
    """What a task progress import would do: `added`, `changed`, `unchanged` rows (task, state,
    date, evidence, note, line, old_state, agency), every problem, and the file's digest then.

    `to_accept`: the warnings of `problems` the person saving must accept first, as a figures
    import's (`accept_warnings`): dates long before the plan. The others (a closed task
    without evidence) are advice and do not hold the save."""

    added: pd.DataFrame
    changed: pd.DataFrame
    unchanged: pd.DataFrame
    problems: list[Problem]
    digest: str
    file: str
    to_accept: list[Problem] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(len(self.added) or len(self.changed))

    @property
    def agencies(self) -> set[str]:
        """The agencies whose tasks would change."""
        return set(self.added["agency"]) | set(self.changed["agency"])

    def summary(self, lang: str = "vi") -> str:
        return store.summary_text(len(self.added), len(self.changed), len(self.unchanged), lang)


def _digest(raw: bytes | None) -> str:
    return hashlib.sha256(raw).hexdigest() if raw is not None else ""


def plan_task_import(
    figures_store: Store, plan: Plan, incoming: pd.DataFrame, problems: list[Problem] | tuple = ()
) -> TaskImport:
    """Compare `incoming` (from `parse_progress`) with the saved progress."""
    with figures_store.side_files() as turn:
        return _plan_in(turn, plan, incoming, list(problems))


def _plan_in(
    turn: SideTurn, plan: Plan, incoming: pd.DataFrame, problems: list[Problem]
) -> TaskImport:
    name = progress_name(plan)
    raw = turn.read(name)
    saved, saved_problems = _parse_saved(raw, turn.label(name), plan)
    if [p for p in saved_problems if p.is_error]:
        problems.append(
            Problem(
                turn.label(name),
                "tiến độ nhiệm vụ đã lưu đang có lỗi (liệt kê dưới đây): sửa tệp trước",
                "the saved task progress has errors (listed below): fix the file first",
            )
        )
        problems.extend(saved_problems)
    old = {row.task: row for row in saved.itertuples(index=False)}
    added, changed, unchanged = [], [], []
    dated = []  # the rows whose date the import would write anew
    for row in incoming.itertuples(index=False):
        before = old.get(row.task)
        record = {
            **row._asdict(),
            "old_state": before.state if before is not None else "",
            "old_note": before.note if before is not None else "",
            "old_date": before.date if before is not None else None,
            "agency": plan.task_by_id[row.task].responsible,
        }
        # An empty note cell keeps the saved note, as a figure's does (store.plan_against): a
        # file filled from an older download, or typed anew, would otherwise take out every
        # note without a word. Writing a new note replaces it.
        if before is not None and not row.note:
            record["note"] = before.note
            row = row._replace(note=before.note)
        if before is None or before.date != row.date:
            dated.append(record)
        if before is None:
            added.append(record)
        elif (before.state, before.date, before.evidence, before.note) == (
            row.state,
            row.date,
            row.evidence,
            row.note,
        ):
            unchanged.append(record)
        else:
            changed.append(record)
    columns = [*COLUMNS, "line", "old_state", "old_note", "old_date", "agency"]
    file = str(incoming.attrs.get("file", "-"))
    # A date saved before was looked at then: a row that changes only its note asks nothing.
    to_accept = plausibility.early_task_dates(plan, pd.DataFrame(dated, columns=columns), file)
    # Evidence or a note that begins as a formula (= + - @): checked before saving, as a
    # figure's source is: the progress file opened in Excel would run it.
    to_accept += plausibility.formula_cells(
        pd.DataFrame(added + changed, columns=columns),
        file,
        plausibility.TASK_TEXTS,
        "tệp tiến độ nhiệm vụ",
        "the task progress file",
    )
    problems.extend(to_accept)
    for record in added + changed:
        if not record["evidence"] and record["state"] in CLOSED:
            task = plan.task_by_id[record["task"]]
            problems.append(
                Problem(
                    file,
                    f"nhiệm vụ {task.named('vi')}: chưa ghi căn cứ (số văn bản hoặc đường dẫn)",
                    f"task {task.named('en')}: no evidence given (a document number or a link)",
                    line=int(record["line"]),
                    column="evidence",
                    severity="warning",
                )
            )
    return TaskImport(
        added=pd.DataFrame(added, columns=columns),
        changed=pd.DataFrame(changed, columns=columns),
        unchanged=pd.DataFrame(unchanged, columns=columns),
        problems=problems,
        digest=_digest(raw),
        file=name,
        to_accept=to_accept,
    )


@dataclass
class TaskImportResult:
    added: int
    changed: int
    unchanged: int
    entry: str | None
    files: list[str] = field(default_factory=list)

    def summary(self, lang: str = "vi") -> str:
        return store.summary_text(self.added, self.changed, self.unchanged, lang)


def apply_task_import(
    figures_store: Store,
    plan: Plan,
    planned: TaskImport,
    user: str,
    accept_warnings: bool = False,
) -> TaskImportResult:
    """Write `planned`, refusing (`DataChanged`) when the progress changed since planned, and
    (`WarningsNotAccepted`) when it has warnings to accept and `accept_warnings` is not given."""
    if planned.errors:
        raise InvalidInput(planned.errors)
    if planned.to_accept and not accept_warnings:
        raise WarningsNotAccepted(planned.to_accept)
    with figures_store.side_files(write=True) as turn:
        if _digest(turn.read(planned.file)) != planned.digest:
            raise DataChanged([])
        return _apply_in(turn, plan, planned, user)


def import_tasks(
    figures_store: Store,
    plan: Plan,
    incoming: pd.DataFrame,
    problems: list[Problem] | tuple,
    user: str,
    allowed: Scope | None = None,
    accept_warnings: bool = False,
) -> tuple[TaskImport, TaskImportResult | None]:
    """Plan and, when there is no error and no warning to accept left unaccepted
    (`TaskImport.to_accept`), write in one turn of the store (the command line).
    `allowed`: the plans and agencies the user may write for (None: any); others are refused."""
    from kpis.agencies import refusal

    with figures_store.side_files(write=True) as turn:
        planned = _plan_in(turn, plan, incoming, list(problems))
        where = str(incoming.attrs.get("file", "-"))
        planned.problems.extend(refusal(plan, allowed, user, tasks=planned, file=where))
        if planned.errors or (planned.to_accept and not accept_warnings):
            return planned, None
        return planned, _apply_in(turn, plan, planned, user)


def _iso(value: object) -> str:
    """A progress date as the audit trail writes it: 2025-06-30, empty for none."""
    return value.isoformat() if isinstance(value, dt.date) else ""


def _apply_in(turn: SideTurn, plan: Plan, planned: TaskImport, user: str) -> TaskImportResult:
    counts = (len(planned.added), len(planned.changed), len(planned.unchanged))
    if not planned.has_changes:
        return TaskImportResult(*counts, entry=None)
    saved, _ = _parse_saved(turn.read(planned.file), turn.label(planned.file), plan)
    incoming = pd.concat([planned.added, planned.changed], ignore_index=True)
    kept = saved[~saved["task"].isin(incoming["task"])]
    rows = pd.concat([kept[COLUMNS], incoming[COLUMNS]], ignore_index=True)
    audit = [
        {
            "indicator": "",
            "region": "",
            "year": "",
            "old": row.old_state,
            "new": row.state,
            "source": row.evidence,
            "file": planned.file,
            "task": row.task,
            "agency": row.agency,
            "old_note": row.old_note,
            "new_note": row.note,
            "old_date": _iso(row.old_date),
            "new_date": _iso(row.date),
        }
        for row in incoming.itertuples(index=False)
    ]
    entry = turn.write({planned.file: canonical_bytes(rows)}, user, "tasks", audit)
    return TaskImportResult(*counts, entry=entry, files=[planned.file])
