"""Who answers for what (issue 16): an agency's indicators, owed figures and tasks; the
editor limits by plan and agency (what an import, an undo or a redo may touch; the limits
themselves: kpis/scope.py)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from kpis.errors import OutsideAgencies, Problem
from kpis.i18n import count_unit, fill, format_number, local_time
from kpis.plan import Plan
from kpis.scope import Scope
from kpis.ui_text import plan_short_label

MAX_NAMED = 8  # items named in one refusal; the rest counted


def owed_figures(plan: Plan, table: pd.DataFrame, year: int, region: str) -> list[str]:
    """Indicator ids that take figures and have none for `year` in `region`, in plan order."""
    reported = set(table.loc[(table["year"] == year) & (table["region"] == region), "indicator"])
    return [ind.id for ind in plan.indicators if not ind.is_derived and ind.id not in reported]


def owed_by_agency(
    plan: Plan, table: pd.DataFrame, year: int, region: str
) -> list[tuple[str, list[str]]]:
    """(agency id, missing indicator ids) for each agency of the plan, in plan order; the
    indicators no agency answers for come last under ""."""
    missing = owed_figures(plan, table, year, region)
    rows = [
        (a.id, [i for i in missing if a.id in plan.by_id[i].responsible_ids]) for a in plan.agencies
    ]
    nobody = [i for i in missing if not set(plan.by_id[i].responsible_ids) & set(plan.agency_by_id)]
    if nobody:
        rows.append(("", nobody))
    return rows


@dataclass(frozen=True)
class AgencyPage:
    """What /agency shows for one agency: its indicators with their statuses, the figures it
    still owes for the year, its tasks (a `kpis.tasks.task_table` slice)."""

    agency: str
    indicators: list[str]
    statuses: dict[str, list[str]]  # indicator id -> status of each of its targets
    owed: list[str]
    tasks: pd.DataFrame


def agency_page(
    plan: Plan,
    agency_id: str,
    table: pd.DataFrame,
    assessments: Sequence,
    tasks: pd.DataFrame,
    year: int | None,
    region: str,
) -> AgencyPage:
    indicators = [ind.id for ind in plan.indicators_of(agency_id)]
    statuses: dict[str, list[str]] = {i: [] for i in indicators}
    for row in assessments:
        if row.indicator in statuses and row.region == region:
            statuses[row.indicator].append(row.status)
    owed = (
        [i for i in owed_figures(plan, table, year, region) if i in statuses]
        if year is not None
        else []
    )
    return AgencyPage(
        agency=agency_id,
        indicators=indicators,
        statuses=statuses,
        owed=owed,
        tasks=tasks[tasks["agency"] == agency_id].reset_index(drop=True),
    )


# ---------------------------------------------------------------------------------------------
# Editors limited to agencies


def _item(plan: Plan | None, row: Mapping[str, object], lang: str) -> str:
    """An indicator's figure of a year (or a task) as a person reads it: the name in `lang`
    between «» and the year; the id only where the plan does not name it (no plan, or an
    indicator or task the plan no longer has)."""
    task = str(row.get("task") or "")
    if task:
        found = plan.task_by_id.get(task) if plan is not None else None
        return f"«{found.label(lang)}»" if found else task
    indicator = str(row.get("indicator") or "")
    year = row.get("year")
    year = f"{int(year)}" if isinstance(year, (int, float)) else str(year or "")
    found = plan.by_id.get(indicator) if plan is not None else None
    name = "«" + found.text("name", lang) + "»" if found else indicator
    return f"{name} {year}".strip()


def _listed(items: list[str]) -> str:
    shown = ", ".join(items[:MAX_NAMED])
    return shown + (f" (+{len(items) - MAX_NAMED})" if len(items) > MAX_NAMED else "")


def may_write(plan: Plan, indicator: str, allowed: Collection[str] | None) -> bool:
    """Whether an editor limited to `allowed` agencies (None: no limit) may write the figures
    of `indicator`: one of its agencies is theirs. An indicator no agency answers for (or one
    the plan no longer has) is outside every limit."""
    if allowed is None:
        return True
    owners = plan.by_id[indicator].responsible_ids if indicator in plan.by_id else []
    return bool(set(owners) & set(allowed))


def _lines(lines: list[int]) -> str:
    """Line numbers as a person reads them: «2–7, 9, 12–13» (the first ranges; the rest counted)."""
    ranges: list[list[int]] = []
    for line in sorted(set(lines)):
        if ranges and line == ranges[-1][1] + 1:
            ranges[-1][1] = line
        else:
            ranges.append([line, line])
    return _listed([f"{a}" if a == b else f"{a}–{b}" for a, b in ranges])


def plan_words(plan_id: str, lang: str, scope: Scope, plan: Plan | None = None) -> str:
    """A plan as people know it, as the sidebar names it («684/QĐ-UBND · Bắc Kạn»; `plan`'s
    own when it is that plan, else the catalogue's, through `scope`); its id only where an
    administrator types it (the secrets file's lines in `plan_refusal`)."""
    if plan is not None and plan.plan.id == plan_id:
        label = plan_short_label(plan.plan, lang)
    else:
        label = scope.label(plan_id, lang)
    # A name that says it is a plan ("Plan implementing Resolution 57 · …") is not prefixed
    # with the word again; a document number or an id (a plan the catalogue lacks) is.
    noun = "plan" if lang == "en" else "kế hoạch"
    if noun in label.casefold():
        return f"«{label}»"
    return f"{noun} «{label}»"


def plan_refusal(plan: Plan, scope: Scope, user: str, file: str = "-") -> Problem:
    """Why `user` may not write for `plan` at all: the plans the account may write for, what
    bare agency ids mean when the account lists no plan, and what to ask the administrator."""
    plan_id = plan.plan.id
    reached = sorted(scope.plans)
    mine_vi = ", ".join(plan_words(p, "vi", scope) for p in reached) or "không kế hoạch nào"
    mine_en = ", ".join(plan_words(p, "en", scope) for p in reached) or "no plan"
    bare_vi = bare_en = ""
    if scope.bare_default_only:
        default_vi = (
            f"«{scope.label(scope.default_plan, 'vi')}»"
            if scope.default_plan
            else "(targets.yaml, không đọc được)"
        )
        default_en = (
            f"«{scope.label(scope.default_plan, 'en')}»"
            if scope.default_plan
            else "(targets.yaml, unreadable)"
        )
        bare_vi = (
            'Mã cơ quan không kèm mã kế hoạch (agencies = ["so-khcn"]) chỉ áp dụng cho kế '
            f"hoạch mặc định {default_vi}. "
        )
        bare_en = (
            'Agency ids without a plan id (agencies = ["so-khcn"]) hold in the default plan '
            f"{default_en} only. "
        )
    return Problem(
        file,
        f"tài khoản «{user}» không được ghi số liệu hay tiến độ của "
        f"{plan_words(plan_id, 'vi', scope, plan)}: tài khoản chỉ được ghi cho {mine_vi}. "
        f"{bare_vi}Nếu tài khoản cần ghi cho kế hoạch này, nhờ quản trị viên thêm vào tài "
        f'khoản trong tệp secrets plans = ["{plan_id}"] hoặc agencies = '
        f'["{plan_id}:MÃ-CƠ-QUAN"]; nếu không, chọn kế hoạch của mình',
        f"account «{user}» may not write figures or progress of "
        f"{plan_words(plan_id, 'en', scope, plan)}: it may write only for {mine_en}. "
        f"{bare_en}If the account should write for this plan, ask the administrator to add "
        f'plans = ["{plan_id}"] or agencies = ["{plan_id}:AGENCY-ID"] to it in the secrets '
        "file; if not, choose your own plan",
    )


def refusal(
    plan: Plan,
    scope: Scope | None,
    user: str,
    figures=None,
    tasks=None,
    file: str = "-",
) -> list[Problem]:
    """Why an editor limited to `scope` may not save: one error when `plan` is outside it
    (`plan_refusal`); else an error at each line of the file that would change another
    agency's figure (`figures`: a `kpis.store.ImportPlan`) or task (`tasks`: a
    `kpis.tasks.TaskImport`), in column «indicator» or «task», naming the item and its agency;
    none when `scope` is None (an editor without limits). Past `MAX_NAMED` lines of one agency,
    the rest are one error that counts them and lists their lines, so that a whole national
    file is not a thousand."""
    if scope is None:
        return []
    if not scope.covers(plan.plan.id):
        return [plan_refusal(plan, scope, user, file)]
    allowed = scope.agencies(plan.plan.id)
    mine = sorted(allowed) if allowed is not None else []
    mine_vi = ", ".join(plan.agency_name(a, "vi") for a in mine) or plan_words(
        plan.plan.id, "vi", scope, plan
    )
    mine_en = ", ".join(plan.agency_name(a, "en") for a in mine) or plan_words(
        plan.plan.id, "en", scope, plan
    )
    foreign: dict[str, list[dict[str, object]]] = {}
    if figures is not None:
        changes = pd.concat([figures.added, figures.changed, figures.removed], ignore_index=True)
        for row in changes.itertuples(index=False):
            # Even a whole plan reaches only its own indicators: the store is every plan's.
            if row.indicator not in plan.by_id or not may_write(plan, row.indicator, allowed):
                owners = (
                    plan.by_id[row.indicator].responsible_ids if row.indicator in plan.by_id else []
                )
                foreign.setdefault(" ".join(owners), []).append(
                    {"indicator": row.indicator, "year": row.year, "line": row.line}
                )
    if tasks is not None and allowed is not None:
        for row in pd.concat([tasks.added, tasks.changed], ignore_index=True).itertuples():
            if row.agency not in allowed:
                foreign.setdefault(row.agency, []).append({"task": row.task, "line": row.line})
    problems = []
    for owners, rows in foreign.items():
        rows.sort(key=lambda r: _line(r) or 0)
        names_vi = ", ".join(plan.agency_name(a, "vi") for a in owners.split())
        names_en = ", ".join(plan.agency_name(a, "en") for a in owners.split())
        whose_vi = f"thuộc {names_vi}" if names_vi else "không thuộc cơ quan nào"
        whose_en = f"belongs to {names_en}" if names_en else "belongs to no agency"
        for row in rows[:MAX_NAMED]:
            problems.append(
                Problem(
                    file,
                    f"tài khoản «{user}» chỉ được ghi cho {mine_vi}; {_item(plan, row, 'vi')} "
                    f"{whose_vi}. Bỏ dòng này, hoặc nhờ cơ quan đó nhập",
                    f"account «{user}» may only write for {mine_en}; {_item(plan, row, 'en')} "
                    f"{whose_en}. Remove this line, or ask that agency",
                    line=_line(row),
                    column="task" if "task" in row else "indicator",
                )
            )
        rest = rows[MAX_NAMED:]
        if rest:
            lines = [line for line in map(_line, rest) if line is not None]
            n = len(rest)
            problems.append(
                Problem(
                    file,
                    f"tài khoản «{user}» chỉ được ghi cho {mine_vi}; {format_number(n, 'vi')} "
                    f"mục nữa {whose_vi}, ở các dòng {_lines(lines)}. Bỏ các dòng này, hoặc "
                    "nhờ cơ quan đó nhập",
                    f"account «{user}» may only write for {mine_en}; "
                    f"{format_number(n, 'en')} more {count_unit(n, 'items', 'en')} "
                    f"{whose_en.replace('belongs', 'belong') if n != 1 else whose_en}, on lines "
                    f"{_lines(lines)}. Remove those lines, or ask that agency",
                    line=lines[0] if lines else None,
                    column="task" if "task" in rest[0] else "indicator",
                )
            )
    return problems


def _line(row: Mapping[str, object]) -> int | None:
    """The row's line in the file (or the grid's row), None when it has none."""
    line = row.get("line")
    return None if line is None or pd.isna(line) else int(line)


def outside(rows: Iterable[Mapping[str, str]], scope: Scope | None) -> list[dict[str, str]]:
    """The audit rows that change a figure or task outside `scope` (`Scope.allows`: its plan
    not covered, or none of its agencies written for there; a row's `agency` is empty in a
    trail older than issue 16, or for an indicator no agency answers for: outside every agency
    limit, as an import treats it). None for `scope`: an editor without limits, nothing is
    outside."""
    if scope is None:
        return []
    return [dict(r) for r in rows if not scope.allows(r)]


def round_refusal(
    plan: Plan | None, editor: str, refused: OutsideAgencies, lang: str, when: str | None = None
) -> str:
    """Why an undo (redo) was refused to `editor`: the agencies it may write for, and each
    other agency with the indicators (name and year) or tasks the save changed for it. `plan`
    names the agencies, indicators and tasks (None: their ids); `when`: the save's time as the
    caller shows it (by default local time, as the /data page shows it)."""
    en = lang == "en"
    scope = refused.allowed
    here = plan.plan.id if plan is not None else None
    foreign: dict[tuple[str, str], list[str]] = {}
    for row in refused.rows:
        item = _item(plan, row, lang)
        # Agency ids are each plan's own words: another plan's «so-khcn» is not this one's.
        plans = scope.plans_of(row)
        key = ("" if here in plans or not plans else plans[0], (row.get("agency") or "").strip())
        items = foreign.setdefault(key, [])
        if item not in items:
            items.append(item)

    def name(agency: str, of_plan: str = "") -> str:
        if of_plan or plan is None:
            return agency
        return plan.agency_name(agency, lang)

    def tagged(text: str, of_plan: str) -> str:
        return f"{text} ({plan_words(of_plan, lang, scope, plan)})" if of_plan else text

    reach = []
    for plan_id in sorted(scope.plans):
        other = "" if plan_id == here else plan_id
        agencies = scope.plans[plan_id]
        if agencies is None:
            reach.append(plan_words(plan_id, lang, scope, plan))
        else:
            reach.append(tagged(", ".join(name(a, other) for a in sorted(agencies)), other))
    mine = "; ".join(reach) or "-"
    parts = []
    for (of_plan, owners), items in foreign.items():
        names = ", ".join(name(a, of_plan) for a in owners.split()) or (
            "no agency" if en else "không cơ quan nào"
        )
        names = tagged(names, of_plan)
        count = fill("{n} mục", "{n} items", lang, n=len(items))  # "1 item", not "1 items"
        parts.append(f"{count} {'of' if en else 'của'} {names}: {_listed(items)}")
    when = when or local_time(refused.time, lang)
    if en:
        verb, doing = ("redone", "redo") if refused.redo else ("undone", "undo")
        return (
            f"Nothing was {verb}: account «{editor}» may only write for {mine}, and the save of "
            f"{when} by {refused.user} changed {'; '.join(parts)}. Ask an editor of that agency "
            f"(or an account without agency limits) to {doing} it."
        )
    verb = "làm lại" if refused.redo else "hoàn tác"
    return (
        f"Không {verb}: tài khoản «{editor}» chỉ được ghi cho {mine}, mà lượt lưu lúc {when} "
        f"của {refused.user} đã thay đổi {'; '.join(parts)}. Chưa có gì thay đổi; nhờ cán bộ "
        f"của cơ quan đó (hoặc một tài khoản không giới hạn cơ quan) {verb}."
    )
