"""One plain sentence per target explaining its status, in Vietnamese or English.

Computed only from `kpis.progress.Assessment` values, so the deck's speaker notes, `/present`
and the dashboard say the same thing: "At the pace of 2015–2024, about 4 of 5 organisations by
2030: needs acceleration." Targets and numbers are phrased by `kpis.ui_text`.
"""

from __future__ import annotations

from kpis.i18n import format_number, pick, status_word
from kpis.plan import Plan
from kpis.progress import Assessment
from kpis.shown import not_applicable, projection, projection_text
from kpis.ui_text import region_label, t, target_words, value_text, verdict, with_unit

PACE_STATUSES = ("on_track", "needs_acceleration", "off_track", "regressing")


def _status(row: Assessment, lang: str) -> str:
    word = status_word(row.status, lang)
    return verdict(word[0].lower() + word[1:], row.latest_is_estimate, lang)


def sentence(plan: Plan, row: Assessment, lang: str = "vi") -> str:
    """One plain sentence saying why the target has its status."""
    indicator = plan.indicator(row.indicator)
    target = indicator.targets[row.target_index - 1]
    goal = target_words(target, indicator, lang, row.baseline_value)
    status = _status(row, lang)
    # a figure marked as an estimate says so here as in the table beside it, and so does a
    # verdict resting on it: «Không đạt: 58,7% năm 2025» read a full-year estimate as fact
    estimate = bool(row.latest_is_estimate)
    latest = value_text(row.latest_value, indicator, lang, estimate)
    on_estimate = f" {t('on_estimate', lang)}" if estimate else ""
    year = row.latest_year
    if not_applicable(plan, row.region, target, row.status):  # merged before the year
        region = region_label(plan, row.region, lang)  # «Bắc Kạn (đến 2025, nay thuộc …)»
        return pick(
            f"Không áp dụng: {region} không có số liệu để đánh giá mục tiêu {goal}.",
            f"Not applicable: {region} has no figure for the target of {goal}.",
            lang,
        )
    if row.status == "no_data":
        return pick(
            f"Chưa có số liệu để đánh giá mục tiêu {goal}.",
            f"No figures yet to judge the target of {goal}.",
            lang,
        )
    if target.is_standing or target.is_period_average:
        share = f"{round((row.progress or 0) * 100)}%"
        span = f"{target.from_}–{year}"
        return pick(
            f"Mục tiêu {goal} đạt ở {share} số năm có số liệu {span}; năm {year}: {latest}: "
            f"{status}.",
            f"The target of {goal} was met in {share} of the years with figures {span}; "
            f"{latest} in {year}: {status}.",
            lang,
        )
    if indicator.kind == "milestone":
        which = pick("số ước năm", "estimate of", lang) if estimate else None
        which = which or pick("số liệu năm", "figure of", lang)
        if row.status == "achieved":
            return pick(
                f"Đã hoàn thành ({which} {year}), hạn năm {target.end_year}.",
                f"Done ({which} {year}), due by {target.end_year}.",
                lang,
            )
        if row.status == "missed":
            return pick(
                f"Chưa hoàn thành khi hết hạn năm {target.end_year}: {status}.",
                f"Not done by {target.end_year}: {status}.",
                lang,
            )
        return pick(
            f"Chưa hoàn thành ({which} {year}), hạn năm {target.end_year}.",
            f"Not done yet ({which} {year}), due by {target.end_year}.",
            lang,
        )
    if row.status == "achieved":
        return pick(
            f"Đã đạt{on_estimate}: {latest} năm {year}, mục tiêu {goal}.",
            f"Achieved{on_estimate}: {latest} in {year}, against a target of {goal}.",
            lang,
        )
    if row.status == "missed":
        return pick(
            f"Không đạt{on_estimate}: {latest} năm {year}, mục tiêu {goal}.",
            f"Missed{on_estimate}: {latest} in {year}, against a target of {goal}.",
            lang,
        )
    if row.status == "insufficient_data":
        return pick(
            f"Mới có số liệu năm {year} ({latest}): chưa đủ số năm để dự báo đến năm "
            f"{target.end_year}.",
            f"Only the figure of {year} ({latest}): too few years to project to {target.end_year}.",
            lang,
        )
    if row.status in PACE_STATUSES and row.projected_value is not None:
        pace = f"{row.baseline_year}–{year}"
        value = projection(indicator, row.projected_value)
        projected = projection_text(row.projected_value, indicator, lang)
        if target.form == "min" and not target.approx and indicator.direction == "increase":
            # "about 4 of 5 organisations": the unit once, after the goal
            bare = format_number(value, lang) + ("%" if indicator.is_percent else "")
            of = with_unit(target.min, indicator, lang)
            return pick(
                f"Theo nhịp độ {pace}, đến năm {target.end_year} đạt khoảng {bare}/{of}: {status}.",
                f"At the pace of {pace}, about {bare} of {of} by {target.end_year}: {status}.",
                lang,
            )
        return pick(
            f"Theo nhịp độ {pace}, đến năm {target.end_year} đạt khoảng {projected}, so "
            f"với mục tiêu {goal}: {status}.",
            f"At the pace of {pace}, about {projected} by {target.end_year}, against a "
            f"target of {goal}: {status}.",
            lang,
        )
    return pick(
        f"{latest} năm {year}, mục tiêu {goal}: {status}.",
        f"{latest} in {year}, against a target of {goal}: {status}.",
        lang,
    )


def headline(rows: list[Assessment], as_of: int | None) -> Assessment | None:
    """The target a presenter speaks to first: the first still open at `as_of`, else the last."""
    if not rows:
        return None
    if as_of is not None:
        for row in rows:
            if row.target_year > as_of:
                return row
    return rows[-1]


def indicator_sentences(
    plan: Plan, rows: list[Assessment], as_of: int | None, lang: str = "vi"
) -> list[str]:
    """The sentences for one indicator's targets, the headline target's first."""
    first = headline(rows, as_of)
    ordered = [first, *[row for row in rows if row is not first]] if first else []
    return [sentence(plan, row, lang) for row in ordered]
