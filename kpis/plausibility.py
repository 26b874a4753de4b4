"""Plausibility of figures about to be saved: jumps against the previous year, stale sources,
years not yet come, new regions; and of task progress: dates long before the plan.

The reader (`kpis.figures`) judges each cell alone; these checks need what is already saved,
so `kpis.store.plan_import` runs them on the figures an import would add or change. Each
finding is a warning: a real figure may jump, but the person saving must have looked at it
(the page's tick «Tôi đã kiểm tra», `--accept-warnings` on the command line). The task check,
likewise, is run by `kpis.tasks` on the progress rows an import would date anew.
"""

from __future__ import annotations

import datetime as dt
import difflib
from typing import NamedTuple

import numpy as np
import pandas as pd

from kpis.errors import ACCEPT_ON_PAGE, Problem
from kpis.i18n import plain_number
from kpis.plan import Plan
from kpis.regions import fold_diacritics
from kpis.safe_cells import FORMULA_START_PATTERN
from kpis.ui_text import is_illustrative

# A ratio this far from 1 is what a slipped thousands separator (×1000, ×1/1000), a
# percentage typed as a fraction (×1/100) or a unit mix-up (×100) gives; real yearly changes
# of a provincial indicator are rarely that large.
JUMP_FACTOR = 50.0


def jumps(
    plan: Plan,
    saved: pd.DataFrame,
    incoming: pd.DataFrame,
    changes: pd.DataFrame,
    file: str,
    saved_keys=None,
) -> list[Problem]:
    """A warning for each figure of `changes` about 100×, 1000×, 1/100 or 1/1000 of the
    previous year's figure of the same indicator and region, or a count that changes sign.

    The previous year is the latest earlier year with a figure, taken from `incoming` where it
    gives one (a file with several years is judged against itself) and else from `saved`.
    `changes` has indicator, region, year, new and line (the plan's added and changed rows).
    `saved_keys`: `saved`'s indicator and region columns as its reader coded them
    (`kpis.figures.Keys`), which a million saved figures need not be coded again for.
    """
    if not len(changes):
        return []
    keys = ["indicator", "region", "year"]
    given, kept = incoming[[*keys, "value"]], saved[[*keys, "value"]]
    if not len(kept) + len(given):
        return []
    # Each (indicator, region) as one integer, each figure as (pair, year) in one int64: the
    # previous year among a million saved figures is found in numpy, with no Python per
    # figure (a year of a national set: 34,000 figures).
    n_given = len(given)
    coded = [
        _codes(
            [changes[name], given[name], kept[name]],
            saved_keys[position] if saved_keys is not None else None,
        )
        for position, name in enumerate(["indicator", "region"])
    ]
    (indicator, _), (region, regions) = coded
    pair = indicator * (regions + 1) + region
    year = np.concatenate(
        [
            changes["year"].to_numpy(dtype=np.int64),
            given["year"].to_numpy(dtype=np.int64),
            kept["year"].to_numpy(dtype=np.int64),
        ]
    )
    # Years are 1990-2100 (the reader refuses others): well within one step of the key.
    key = pair * _YEAR_STEP + (year - _YEAR_BASE)
    n_changes = len(changes)
    given_part = slice(n_changes, n_changes + n_given)
    kept_part = slice(n_changes + n_given, None)
    prev, prev_year, found = _previous_figures(
        key[:n_changes],
        (key[given_part], given["value"].to_numpy(dtype=np.float64), year[given_part]),
        (key[kept_part], kept["value"].to_numpy(dtype=np.float64), year[kept_part]),
    )
    new = changes["new"].to_numpy(dtype=np.float64)
    found &= ~np.isnan(prev) & ~np.isnan(new)
    counts = {i.id for i in plan.indicators if i.integer}
    is_count = changes["indicator"].isin(counts).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.abs(new / prev)
        flagged = found & (
            (is_count & (new * prev < 0))
            | (
                (new != 0)
                & (prev != 0)
                & (new * prev >= 0)
                & ~((ratio > 1 / JUMP_FACTOR) & (ratio < JUMP_FACTOR))
            )
        )
    rows = np.flatnonzero(flagged)
    if not len(rows):
        return []
    # In the order of the lines (ties: by year, as the changes are then sorted).
    lines = changes["line"].to_numpy()
    rows = rows[np.argsort(year[:n_changes][rows], kind="stable")]
    rows = rows[np.argsort(lines[rows], kind="stable")]
    indicators, regions_of = changes["indicator"].to_numpy(), changes["region"].to_numpy()
    problems = []
    for i in rows:
        row = _Jump(indicators[i], regions_of[i], year[i], new[i], prev[i], prev_year[i])
        message = _jump_message(row, bool(is_count[i]), *indicator_names(plan, indicators[i]))
        if message:
            problems.append(
                Problem(
                    file,
                    *message,
                    line=int(lines[i]) or None,
                    column="value",
                    severity="warning",
                )
            )
    return problems


def _codes(columns: list[pd.Series], saved=None) -> tuple[np.ndarray, int]:
    """One code per distinct text of the columns joined (each row's, as int64) and how many
    codes there are. `saved`: the last column as its reader coded it (`kpis.figures.Factorized`):
    the others' texts take the same codes, a text not saved one after them, so that the
    million saved texts are not hashed again. Missing cells share one code."""
    if saved is not None:
        saved_codes, names = saved
        if len(saved_codes) == len(columns[-1]) and all(isinstance(n, str) for n in names):
            head_codes, head_names = pd.factorize(
                pd.concat(columns[:-1], ignore_index=True), use_na_sentinel=False
            )
            code_of = {name: code for code, name in enumerate(names)}
            new = iter(range(len(names), len(names) + len(head_names)))
            mapped = np.asarray(
                [
                    code_of[n] if isinstance(n, str) and n in code_of else next(new)
                    for n in head_names
                ],
                dtype=np.int64,
            )
            codes = np.concatenate([mapped[head_codes], saved_codes.astype(np.int64)])
            return codes, len(names) + len(head_names)
    codes, uniques = pd.factorize(pd.concat(columns, ignore_index=True), use_na_sentinel=False)
    return codes.astype(np.int64), len(uniques)


_YEAR_BASE = 1000
_YEAR_STEP = 10_000

_Series = tuple[np.ndarray, np.ndarray, np.ndarray]  # keys, values, years


def _previous_figures(
    keys: np.ndarray, given: _Series, kept: _Series
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each key (pair, year): the value and year of the latest earlier figure of the same
    pair, and whether there is one; a figure of `given` (the file) replaces the `kept` one
    (saved) of the same key.

    Usually that is the year just before, found by hashing the figures of the years just
    before those asked about (a year's import against a million saved figures: one year's
    keys hashed, no sort of the million); the others (a gap, a first year, a key given twice)
    by a sort and a binary search over the figures of their pairs only."""
    prev = np.full(len(keys), np.nan)
    prev_year = np.zeros(len(keys), dtype=np.int64)
    found = np.zeros(len(keys), dtype=bool)
    slow = np.ones(len(keys), dtype=bool)
    before = keys - 1  # the same pair, the year before
    # (a key's year is its remainder, less the base: `jumps` keeps years within one step)
    near = np.isin(kept[2], np.unique(before % _YEAR_STEP) + _YEAR_BASE)
    near_kept = (kept[0][near], kept[1][near], kept[2][near])
    given_index, kept_index = pd.Index(given[0]), pd.Index(near_kept[0])
    # Of two figures with the key looked for, which is meant is for the sort below to tell.
    if given_index.is_unique and kept_index.is_unique:
        for (_, values, years), index in ((given, given_index), (near_kept, kept_index)):
            at = np.full(len(keys), -1, dtype=np.int64)
            at[slow] = index.get_indexer(before[slow])
            hit = at >= 0
            prev[hit], prev_year[hit] = values[at[hit]], years[at[hit]]
            found |= hit
            slow &= ~hit
    if not slow.any():
        return prev, prev_year, found
    asked = np.flatnonzero(slow)
    pairs = np.unique(keys[asked] // _YEAR_STEP)
    # (each mask found once for its three columns: a million saved keys looked up once)
    of_given, of_kept = (np.isin(part[0] // _YEAR_STEP, pairs) for part in (given, kept))
    given_keys, given_values, given_years = (part[of_given] for part in given)
    kept_keys, kept_values, kept_years = (part[of_kept] for part in kept)
    # A figure the file gives again is judged by the file's figure, not the saved one.
    keep = ~np.isin(kept_keys, given_keys)
    series_keys = np.concatenate([kept_keys[keep], given_keys])
    series_values = np.concatenate([kept_values[keep], given_values])
    series_years = np.concatenate([kept_years[keep], given_years])
    # Stable: of two figures of one key, the file's (after the saved ones) is the one taken.
    order = np.argsort(series_keys, kind="stable")
    series_keys, series_values = series_keys[order], series_values[order]
    series_years = series_years[order]
    if not len(series_keys):
        return prev, prev_year, found
    # The latest earlier year of the same pair: the last key below (pair, year).
    at = np.searchsorted(series_keys, keys[asked], side="left") - 1
    hit = at >= 0
    at = np.where(hit, at, 0)
    hit &= series_keys[at] // _YEAR_STEP == keys[asked] // _YEAR_STEP
    prev[asked] = np.where(hit, series_values[at], np.nan)
    prev_year[asked] = np.where(hit, series_years[at], 0)
    found[asked] = hit
    return prev, prev_year, found


class _Jump(NamedTuple):
    """A figure beside the previous year's, as `_jump_message` reads it."""

    indicator: str
    region: str
    year: int
    new: float
    prev: float
    prev_year: int


def indicator_names(plan: Plan, indicator_id: str) -> tuple[str, str]:
    """An indicator as a warning names it to people, in each language: its name, as the
    template's «tên chỉ tiêu» column and every page show it (its id where the plan has none)."""
    indicator = plan.by_id.get(indicator_id)
    if indicator is None:
        return indicator_id, indicator_id
    return indicator.text("name", "vi"), indicator.text("name", "en")


def _jump_message(row, is_count: bool, name_vi: str, name_en: str) -> tuple[str, str] | None:
    new, prev = float(row.new), float(row.prev)
    year = int(row.prev_year)
    what_vi = f"«{name_vi}» ({row.region}) năm {int(row.year)}"
    what_en = f"«{name_en}» ({row.region}) {int(row.year)}"
    then_vi = f"số năm {year} là {plain_number(prev, 'vi')}"
    then_en = f"the {year} figure ({plain_number(prev, 'en')})"
    if is_count and new * prev < 0:
        return (
            f"{what_vi}: {plain_number(new, 'vi')} đổi dấu so với {then_vi}: kiểm tra lại dấu trừ",
            f"{what_en}: {plain_number(new, 'en')} changes sign from {then_en}: check the "
            "minus sign",
        )
    if new == 0 or prev == 0 or new * prev < 0:
        return None
    ratio = abs(new / prev)
    if 1 / JUMP_FACTOR < ratio < JUMP_FACTOR:
        return None
    # Two significant figures: a power of ten points at a thousands separator, but 1/56 is
    # not "about 1/100".
    factor = f"{float(f'{max(ratio, 1 / ratio):.2g}'):.0f}"
    check_vi = (
        "kiểm tra dấu phân cách hàng nghìn (81.500 là 81,5), ô định dạng phần trăm và "
        "đơn vị trước khi lưu"
    )
    check_en = (
        "check for a thousands separator (81.500 is 81.5), a percentage-formatted cell and "
        "the unit before saving"
    )
    if ratio > 1:
        return (
            f"{what_vi}: {plain_number(new, 'vi')} gấp khoảng {factor} lần {then_vi}: {check_vi}",
            f"{what_en}: {plain_number(new, 'en')} is about {factor} times {then_en}: {check_en}",
        )
    return (
        f"{what_vi}: {plain_number(new, 'vi')} chỉ bằng khoảng 1/{factor} {then_vi}: {check_vi}",
        f"{what_en}: {plain_number(new, 'en')} is about 1/{factor} of {then_en}: {check_en}",
    )


def future_years(news: pd.DataFrame, file: str, this_year: int) -> list[Problem]:
    """A warning for each year after `this_year` that figures about to be saved are given
    for, naming its first line and how many rows have it: «2052» typed for 2025 is within the
    contract's 1990-2100, yet once saved it is the latest year, and every page judges the
    plan as of it (each 2030 target «missed»). A real forecast may be saved, once looked at."""
    problems: list[Problem] = []
    ahead = news[news["year"].astype("int64") > this_year]
    for year, rows in ahead.groupby(ahead["year"].astype("int64"), sort=True):
        lines = rows["line"].astype("int64")
        first, count = int(lines.min()), len(rows)
        problems.append(
            Problem(
                file,
                f"năm {year} chưa đến (nay là năm {this_year}): {count} dòng ghi năm này; "
                "nếu gõ nhầm năm, hãy sửa; nếu đúng là số liệu dự kiến, "
                f"{ACCEPT_ON_PAGE[0]} (sau khi lưu, các trang sẽ tính đến năm này)",
                f"year {year} has not come yet (this is {this_year}): {count} row(s) give it; "
                f"if the year is mistyped, correct it; if it is a forecast, {ACCEPT_ON_PAGE[1]} "
                "(once saved, every page counts up to that year)",
                line=first or None,
                column="year",
                severity="warning",
            )
        )
    return problems


def early_task_dates(plan: Plan, rows: pd.DataFrame, file: str) -> list[Problem]:
    """A warning for each task progress row about to be saved (`rows`: task, date, line) dated
    in a year before the plan's first, its baseline year or the year it was issued, whichever
    is earlier. «1925» typed for 2025 is a date and not in the future, so the reader takes it,
    yet once saved the state holds at every date the pages judge at: a task «done» in 1925 is
    never overdue. A real date that early may be saved, once looked at.

    Dates after today are errors already (`kpis.tasks.parse_progress`): a date far ahead needs
    no check of its own here."""
    first = min(plan.plan.baseline_year, plan.plan.issued.year)
    issued = plan.plan.issued
    problems = []
    for row in rows.sort_values("line", kind="stable").itertuples(index=False):
        date = row.date
        if not isinstance(date, dt.date) or date.year >= first:
            continue
        task = plan.task_by_id[row.task]  # the reader keeps only the plan's tasks
        vi, en = task.named("vi"), task.named("en")
        problems.append(
            Problem(
                file,
                f"nhiệm vụ {vi}: ngày {date:%d/%m/%Y} trước năm {first}, năm đầu của kế "
                f"hoạch (ban hành ngày {issued:%d/%m/%Y}): nếu gõ nhầm năm, hãy sửa; nếu ngày "
                f"đúng như vậy, {ACCEPT_ON_PAGE[0]}",
                f"task {en}: {date:%d/%m/%Y} is before {first}, the plan's first year "
                f"(issued {issued:%d/%m/%Y}): if the year is mistyped, correct it; if the date "
                f"is right, {ACCEPT_ON_PAGE[1]}",
                line=int(row.line) or None,
                column="date",
                severity="warning",
            )
        )
    return problems


def stale_sources(plan: Plan, changed: pd.DataFrame, file: str) -> list[Problem]:
    """A warning for each figure whose value changes while its source still says "Minh họa"
    (illustrative): the new figure would be labelled as sample data, or a real figure as sample."""
    problems = []
    if not len(changed):
        return problems
    # Each source judged once (a year's import repeats a few sources 34,000 times).
    codes, sources = pd.factorize(changed["source"], use_na_sentinel=False)
    illustrative = np.fromiter((is_illustrative(s) for s in sources), bool, len(sources))
    kinds, fields = pd.factorize(changed["fields"].astype(str))
    value_changed = np.fromiter((("value" in f.split(",")) for f in fields), bool, len(fields))
    picked = changed[illustrative[codes] & value_changed[kinds]]
    for row in picked.itertuples(index=False):
        name_vi, name_en = indicator_names(plan, row.indicator)
        problems.append(
            Problem(
                file,
                f"«{name_vi}» ({row.region}) năm {int(row.year)}: giá trị đổi từ "
                f"{plain_number(row.old, 'vi')} thành {plain_number(row.new, 'vi')} nhưng nguồn "
                "vẫn ghi «Minh họa»: ghi nguồn của số liệu mới (văn bản, số, ngày)",
                f"«{name_en}» ({row.region}) {int(row.year)}: the value changes from "
                f"{plain_number(row.old, 'en')} to {plain_number(row.new, 'en')} but the source "
                "still says «Minh họa» (illustrative): give the new figure's source",
                line=int(row.line) or None,
                column="source",
                severity="warning",
            )
        )
    return problems


def new_regions(plan: Plan, saved: pd.DataFrame, added: pd.DataFrame, file: str) -> list[Problem]:
    """Regions an import would add, next to the regions already known (the plan's and the
    saved figures'), when the plan declares no `regions` (where it does, the reader already
    refuses a region it does not list).

    Another spelling of a known region ("BẮC KẠN", "Bac Kan", "tỉnh Bắc Kạn") is an error
    naming it (CONTRACT.md v2: two spellings never become two regions); a name a letter or so
    away from a known one ("Bắc Cạn") is a warning: it may be a new region, but someone must
    have looked at it before it becomes one.
    """
    if plan.region_keys is not None or not len(added):
        return []
    known = list(dict.fromkeys([plan.plan.region, *saved["region"].dropna().unique()]))
    by_key = {fold_diacritics(k): k for k in reversed(known)}
    problems: list[Problem] = []
    firsts = added.sort_values("line", kind="stable").drop_duplicates("region")
    for row in firsts.itertuples(index=False):
        region = str(row.region)
        if region in known:
            continue
        line = int(row.line) or None
        same = by_key.get(fold_diacritics(region))
        if same:
            problems.append(
                Problem(
                    file,
                    f"địa bàn «{region}» chỉ khác «{same}» (đã có trong số liệu) ở chữ hoa, dấu "
                    f"hoặc chữ «tỉnh»: ghi «{same}», để không thành hai địa bàn",
                    f"region «{region}» differs from «{same}» (already in the figures) only in "
                    f"case, diacritics or «tỉnh»: write «{same}», so that it stays one region",
                    line=line,
                    column="region",
                )
            )
            continue
        near = difflib.get_close_matches(fold_diacritics(region), list(by_key), n=1, cutoff=0.8)
        if near:
            known_name = by_key[near[0]]
            problems.append(
                Problem(
                    file,
                    f"địa bàn mới «{region}» gần giống «{known_name}» đã có: nếu là một, ghi "
                    f"«{known_name}»; nếu đúng là địa bàn mới, {ACCEPT_ON_PAGE[0]}",
                    f"new region «{region}» is close to «{known_name}», already known: if they "
                    f"are one, write «{known_name}»; if it is a new region, {ACCEPT_ON_PAGE[1]}",
                    line=line,
                    column="region",
                    severity="warning",
                )
            )
            continue
        # Far from every known name, and still new: «Cao Bằng» in Bắc Kạn's figures may be a
        # new district or a slip of the hand, and it becomes a region of its own on every page.
        named = ", ".join(known[:_NAMED_REGIONS]) + (", …" if len(known) > _NAMED_REGIONS else "")
        problems.append(
            Problem(
                file,
                f"địa bàn mới «{region}»: chưa có số liệu nào của địa bàn này (đã có: {named}); "
                f"nếu ghi nhầm, hãy sửa; nếu đúng là địa bàn mới, {ACCEPT_ON_PAGE[0]}",
                f"new region «{region}»: no figure has it yet (known: {named}); if it is a "
                f"slip, correct it; if it is a new region, {ACCEPT_ON_PAGE[1]}",
                line=line,
                column="region",
                severity="warning",
            )
        )
    return problems


_NAMED_REGIONS = 5  # the known regions a new region's warning names


FIGURE_TEXTS = (("source", "nguồn", "source"), ("note", "ghi chú", "note"))
TASK_TEXTS = (("evidence", "căn cứ", "evidence"), ("note", "ghi chú", "note"))


def formula_cells(
    news: pd.DataFrame,
    file: str,
    texts: tuple[tuple[str, str, str], ...] = FIGURE_TEXTS,
    saved_vi: str = "tệp số liệu",
    saved_en: str = "the figures file",
) -> list[Problem]:
    """A warning for each source or note about to be saved that begins as a formula would
    (`= + - @`, a tab or carriage return): opened straight in Excel or LibreOffice, the figures
    file runs it (`=HYPERLINK("http://…?x="&A1)` sends a cell away). Kept as typed, the
    person saving must have seen it (the exports and the audit trail defuse it anyway).
    `texts`: the columns (column, Vietnamese, English word) to look at: a task's evidence and
    note (`TASK_TEXTS`) are saved in the progress file (`saved_vi`, `saved_en`) as plainly."""
    problems: list[Problem] = []
    for column, word_vi, word_en in texts:
        if column not in news or not len(news):
            continue
        texts = news[column].fillna("").astype(str)
        # Vectorised first: a year's import has 34,000 sources, nearly all plain text.
        risky = texts.str.match(FORMULA_START_PATTERN)
        for row, text in zip(news[risky].itertuples(index=False), texts[risky], strict=True):
            shown = text if len(text) <= 80 else text[:79] + "…"
            first = repr(text[0])[1:-1] if text[0] in "\t\r" else text[0]
            problems.append(
                Problem(
                    file,
                    f"{word_vi} «{shown}» bắt đầu bằng «{first}»: Excel hoặc LibreOffice mở "
                    f"{saved_vi} sẽ chạy nó như một công thức (có thể gửi dữ liệu ra ngoài); nếu "
                    f"không cố ý, sửa lại ô này (bỏ «{first}» ở đầu); nếu đúng là văn bản, lưu "
                    "sau khi đã kiểm tra: bảng điều khiển vẫn hiện đúng như đã gõ",
                    f"{word_en} «{shown}» begins with «{first}»: Excel or LibreOffice opening "
                    f"{saved_en} would run it as a formula (it may send data away); if "
                    f"that was not meant, correct the cell (drop the leading «{first}»); if it "
                    "is meant as text, save once checked: the dashboard still shows it as typed",
                    line=int(row.line) or None,
                    column=column,
                    severity="warning",
                )
            )
    return problems
