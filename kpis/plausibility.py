"""Plausibility of figures about to be saved: jumps against the previous year, stale sources.

The reader (`kpis.figures`) judges each cell alone; these checks need what is already saved,
so `kpis.store.plan_import` runs them on the figures an import would add or change. Each
finding is a warning: a real figure may jump, but the person saving must have looked at it
(the page's tick «Tôi đã kiểm tra», `--accept-warnings` on the command line).
"""

from __future__ import annotations

import difflib
import math

import pandas as pd

from kpis.errors import Problem
from kpis.i18n import plain_number
from kpis.plan import Plan
from kpis.regions import fold_diacritics
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
) -> list[Problem]:
    """A warning for each figure of `changes` about 100×, 1000×, 1/100 or 1/1000 of the
    previous year's figure of the same indicator and region, or a count that changes sign.

    The previous year is the latest earlier year with a figure, taken from `incoming` where it
    gives one (a file with several years is judged against itself) and else from `saved`.
    `changes` has indicator, region, year, new and line (the plan's added and changed rows).
    """
    if not len(changes):
        return []
    keys = ["indicator", "region", "year"]
    given = incoming[[*keys, "value"]]
    kept = saved[[*keys, "value"]]
    if len(kept) and len(given):
        sent = pd.MultiIndex.from_frame(given[keys])
        kept = kept[~pd.MultiIndex.from_frame(kept[keys]).isin(sent)]
    series = pd.concat([kept, given], ignore_index=True) if len(given) else kept
    if not len(series):
        return []
    series = (
        series.rename(columns={"year": "prev_year", "value": "prev"})
        .assign(year=lambda f: f["prev_year"].astype("int64"))
        .sort_values("year", kind="stable")
    )
    asked = (
        changes[[*keys, "new", "line"]]
        .assign(year=lambda f: f["year"].astype("int64"))
        .sort_values("year", kind="stable")
    )
    found = pd.merge_asof(
        asked,
        series,
        on="year",
        by=["indicator", "region"],
        allow_exact_matches=False,
        direction="backward",
    )
    found = found[found["prev"].notna() & found["new"].notna()]
    counts = {i.id for i in plan.indicators if i.integer}
    problems = []
    for row in found.sort_values("line", kind="stable").itertuples(index=False):
        message = _jump_message(row, row.indicator in counts)
        if message:
            problems.append(
                Problem(
                    file,
                    *message,
                    line=int(row.line) or None,
                    column="value",
                    severity="warning",
                )
            )
    return problems


def _jump_message(row, is_count: bool) -> tuple[str, str] | None:
    new, prev = float(row.new), float(row.prev)
    year = int(row.prev_year)
    what_vi = f"«{row.indicator}» ({row.region}) năm {int(row.year)}"
    what_en = f"«{row.indicator}» ({row.region}) {int(row.year)}"
    then_vi = f"số năm {year} là {plain_number(prev, 'vi')}"
    then_en = f"the {year} figure is {plain_number(prev, 'en')}"
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
    factor = 10 ** round(abs(math.log10(ratio)))
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


def stale_sources(changed: pd.DataFrame, file: str) -> list[Problem]:
    """A warning for each figure whose value changes while its source still says "Minh họa"
    (illustrative): the new figure would be labelled as sample data, or a real figure as sample."""
    problems = []
    for row in changed.itertuples(index=False):
        if "value" not in str(row.fields).split(",") or not is_illustrative(row.source):
            continue
        problems.append(
            Problem(
                file,
                f"«{row.indicator}» ({row.region}) năm {int(row.year)}: giá trị đổi từ "
                f"{plain_number(row.old, 'vi')} thành {plain_number(row.new, 'vi')} nhưng nguồn "
                "vẫn ghi «Minh họa»: ghi nguồn của số liệu mới (văn bản, số, ngày)",
                f"«{row.indicator}» ({row.region}) {int(row.year)}: the value changes from "
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
                    f"«{known_name}»; nếu đúng là địa bàn mới, đánh dấu đã kiểm tra rồi lưu",
                    f"new region «{region}» is close to «{known_name}», already known: if they "
                    f"are one, write «{known_name}»; if it is a new region, accept and save",
                    line=line,
                    column="region",
                    severity="warning",
                )
            )
    return problems
