"""Who answers for what (issue 16): an agency's indicators, owed figures and tasks; the
editor limits by agency (what an import, an undo or a redo may touch)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from kpis.errors import OutsideAgencies, Problem
from kpis.i18n import count_unit, fill, format_number
from kpis.plan import Plan

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


def refusal(
    plan: Plan,
    allowed: Collection[str] | None,
    user: str,
    figures=None,
    tasks=None,
    file: str = "-",
) -> list[Problem]:
    """An error for each other agency whose figures (`figures`: a `kpis.store.ImportPlan`) or
    tasks (`tasks`: a `kpis.tasks.TaskImport`) the import would change; none when `allowed`
    is None (an editor without limits)."""
    if allowed is None:
        return []
    allowed = set(allowed)
    mine_vi = ", ".join(plan.agency_name(a, "vi") for a in sorted(allowed)) or "-"
    mine_en = ", ".join(plan.agency_name(a, "en") for a in sorted(allowed)) or "-"
    foreign: dict[str, list[dict[str, object]]] = {}
    if figures is not None:
        changes = pd.concat([figures.added, figures.changed, figures.removed], ignore_index=True)
        for row in changes.itertuples(index=False):
            owners = (
                plan.by_id[row.indicator].responsible_ids if row.indicator in plan.by_id else []
            )
            if not set(owners) & allowed:
                key = " ".join(owners) or ""
                foreign.setdefault(key, []).append({"indicator": row.indicator, "year": row.year})
    if tasks is not None:
        for row in pd.concat([tasks.added, tasks.changed], ignore_index=True).itertuples():
            if row.agency not in allowed:
                foreign.setdefault(row.agency, []).append({"task": row.task})
    problems = []
    for owners, rows in foreign.items():
        items_vi = [_item(plan, r, "vi") for r in rows]
        items_en = [_item(plan, r, "en") for r in rows]
        names_vi = (
            ", ".join(plan.agency_name(a, "vi") for a in owners.split()) or "không cơ quan nào"
        )
        names_en = ", ".join(plan.agency_name(a, "en") for a in owners.split()) or "no agency"
        problems.append(
            Problem(
                file,
                f"tài khoản «{user}» chỉ được ghi cho {mine_vi}; tệp có "
                f"{format_number(len(rows), 'vi')} mục của {names_vi}: {_listed(items_vi)}. "
                "Bỏ các dòng này, hoặc nhờ cơ quan đó nhập",
                f"account «{user}» may only write for {mine_en}; the file has "
                f"{format_number(len(rows), 'en')} {count_unit(len(rows), 'items', 'en')} of "
                f"{names_en}: {_listed(items_en)}. "
                "Remove those lines, or ask that agency",
            )
        )
    return problems


def outside(
    rows: Iterable[Mapping[str, str]], allowed: Collection[str] | None
) -> list[dict[str, str]]:
    """The audit rows that change a figure or task none of whose agencies is in `allowed` (a
    row's `agency`: ids, space-separated; empty in a trail older than issue 16, or for an
    indicator no agency answers for: outside every limit, as an import treats it). None
    for `allowed`: an editor without limits, nothing is outside."""
    if allowed is None:
        return []
    allowed = set(allowed)
    return [dict(r) for r in rows if not set((r.get("agency") or "").split()) & allowed]


def round_refusal(
    plan: Plan | None, editor: str, refused: OutsideAgencies, lang: str, when: str | None = None
) -> str:
    """Why an undo (redo) was refused to `editor`: the agencies it may write for, and each
    other agency with the indicators (name and year) or tasks the save changed for it. `plan`
    names the agencies, indicators and tasks (None: their ids); `when`: the save's time as the
    caller shows it."""
    en = lang == "en"
    foreign: dict[str, list[str]] = {}
    for row in refused.rows:
        item = _item(plan, row, lang)
        items = foreign.setdefault((row.get("agency") or "").strip(), [])
        if item not in items:
            items.append(item)

    def name(agency: str) -> str:
        return plan.agency_name(agency, lang) if plan is not None else agency

    mine = ", ".join(name(a) for a in sorted(refused.allowed)) or "-"
    parts = []
    for owners, items in foreign.items():
        names = ", ".join(name(a) for a in owners.split()) or (
            "no agency" if en else "không cơ quan nào"
        )
        count = fill("{n} mục", "{n} items", lang, n=len(items))  # "1 item", not "1 items"
        parts.append(f"{count} {'of' if en else 'của'} {names}: {_listed(items)}")
    when = when or refused.time
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
