"""The only Streamlit-aware helpers: cached loaders, the shared sidebar controls, small widgets.

Pages call these, then draw. Caching lives here only, keyed on the files' modification times
and sizes, so a figure saved under `data/` or an edited plan is seen on the next rerun
without restarting the server. The loaded data and what is derived from it (series,
assessments, the overview's cards, /compare's tables) are st.cache_resource: one shared
object, not a copy per run, so callers read them and never change them. The sidebar controls (language, as-of year, region) are read
from and written back to the URL (`?lang=en&as_of=2020&region=…`) so a shared link reproduces
the view.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from kpis import paths
from kpis.catalogue import Catalogue, load_catalogue
from kpis.charts import png_config, sparkline_svg, status_colour
from kpis.compare import (
    Total,
    assessment_table,
    ranking,
    sources_by_region,
    status_matrix,
    total,
)
from kpis.dataset import Dataset, load_dataset
from kpis.errors import InputNotFound, KpiError, PlanInvalid, Problem
from kpis.i18n import LANGS, STATUS_STYLES, format_percent, pick
from kpis.progress import (
    STATUSES,
    Assessment,
    assess,
    default_as_of,
    effective_series,
    regions_of,
)
from kpis.safe_cells import neutralise_frame
from kpis.store import open_store
from kpis.ui_text import input_ids, is_illustrative, t, target_words, with_unit

# ------------------------------------------------------------------------------ loading

Fingerprint = tuple[tuple[str, int, int], ...]


def fingerprint(*locations: Path) -> Fingerprint:
    """(path, mtime_ns, size) of each file, and of each entry directly in each folder.

    Cheap (a few stat calls) and changes whenever a file is saved, added or removed, which
    is what invalidates the cache: no restart needed after new figures arrive.
    """
    entries: list[tuple[str, int, int]] = []
    for location in locations:
        try:
            if location.is_dir():
                children = sorted(location.iterdir())
                stat = location.stat()
                entries.append((str(location), stat.st_mtime_ns, len(children)))
                for child in children:
                    child_stat = child.stat()
                    entries.append((str(child), child_stat.st_mtime_ns, child_stat.st_size))
            else:
                stat = location.stat()
                entries.append((str(location), stat.st_mtime_ns, stat.st_size))
        except OSError:
            entries.append((str(location), -1, -1))
    return tuple(entries)


def cache_key(targets: Path, data: str | Path) -> str:
    """The plan file's fingerprint and the figures store's change key as one short string:
    what the cached loaders are keyed on. Streamlit hashes a cache argument element by
    element; one string costs one step where the tuple of every file's (path, mtime, size)
    cost a hundred, on every call."""
    plan_part = repr(fingerprint(Path(targets))).encode()
    return hashlib.sha1(plan_part + open_store(data).change_key().encode()).hexdigest()


@dataclass(frozen=True)
class LoadError:
    """Why the plan or the data folder could not be loaded, in both languages."""

    message_vi: str
    message_en: str
    problems: tuple[Problem, ...] = ()

    def message(self, lang: str) -> str:
        return self.message_en if lang == "en" else self.message_vi


# The loaded data is served from st.cache_resource, not st.cache_data: cache_data pickles its
# value and unpickles a fresh copy on every call, which for a national data set (100,000
# figures) cost more than the whole rerun of a page. A resource is the same object for every
# run and every session, so CALLERS MUST NOT MUTATE what these loaders return (the Dataset,
# its tables, the series, the assessments): filter and copy, never assign into them. pandas'
# copy-on-write makes every filtered or derived frame a copy of its own. Keyed as before on
# the files' fingerprint, so a changed file is a new key: seen on the next rerun, no restart.
@st.cache_resource(max_entries=4, show_spinner=False)
def _load(targets: str, data: str, key: str) -> Dataset:
    # `key` (the files' fingerprint) is only there to be part of the cache key.
    return load_dataset(targets, data)


def load_dataset_cached(targets_path: str | Path, data_path: str | Path) -> Dataset | LoadError:
    """The plan and its figures, cached until one of the files changes. Read-only: shared by
    every run and session (st.cache_resource), never mutate it.

    Returns a LoadError (never raises) when the plan is missing or invalid or the data
    folder is missing, so every page can show a clear message instead of a traceback.
    """
    targets, data = Path(targets_path), Path(data_path)
    key = cache_key(targets, data)
    try:
        return _load(str(targets), str(data), key)
    except PlanInvalid as error:
        return LoadError(
            t("plan_error", "vi", file=targets),
            t("plan_error", "en", file=targets),
            tuple(error.problems),
        )
    except InputNotFound as error:
        what = "what_data" if Path(error.path) == data else "what_plan"
        return LoadError(
            t("not_found", "vi", what=t(what, "vi"), path=error.path),
            t("not_found", "en", what=t(what, "en"), path=error.path),
        )
    except (KpiError, OSError, UnicodeError, ValueError) as error:
        return LoadError(
            t("read_error", "vi", path=targets, error=error),
            t("read_error", "en", path=targets, error=error),
        )


@st.cache_resource(max_entries=4, show_spinner=False)
def _series(targets: str, data: str, key: str) -> pd.DataFrame:
    dataset = _load(targets, data, key)
    return effective_series(dataset.plan, dataset.figures.table)


def series_cached(targets_path: str | Path, data_path: str | Path) -> pd.DataFrame:
    """`kpis.progress.effective_series` of the loaded dataset, cached like the dataset
    (read-only, shared)."""
    key = cache_key(Path(targets_path), Path(data_path))
    return _series(str(targets_path), str(data_path), key)


@st.cache_resource(max_entries=32, show_spinner=False)
def _assessments(
    targets: str, data: str, key: str, as_of: int | None, regions: tuple[str, ...] | None
) -> list[Assessment]:
    dataset = _load(targets, data, key)
    return assess(
        dataset.plan,
        dataset.figures.table,
        as_of=as_of,
        regions=list(regions) if regions else None,
        series=_series(targets, data, key),
    )


def assessments_cached(
    targets_path: str | Path,
    data_path: str | Path,
    as_of: int | None,
    regions: Sequence[str] | None = None,
) -> list[Assessment]:
    """`kpis.progress.assess` as of a year for the given regions, cached like the dataset
    (read-only, shared: the list and its Assessments must not be changed)."""
    key = cache_key(Path(targets_path), Path(data_path))
    return _assessments(
        str(targets_path), str(data_path), key, as_of, tuple(regions) if regions else None
    )


@st.cache_resource(max_entries=16, show_spinner=False)
def _assessment_table(
    targets: str, data: str, key: str, as_of: int, regions: tuple[str, ...]
) -> pd.DataFrame:
    return assessment_table(_assessments(targets, data, key, as_of, regions))


def assessment_table_cached(
    targets_path: str | Path, data_path: str | Path, as_of: int, regions: Sequence[str]
) -> pd.DataFrame:
    """Every region's assessments as one table (`kpis.compare.assessment_table`), cached like
    the dataset (read-only, shared): a table comes back from the cache far faster than
    thousands of objects."""
    key = cache_key(Path(targets_path), Path(data_path))
    return _assessment_table(str(targets_path), str(data_path), key, as_of, tuple(regions))


# ------------------------------------------------------------------------ /compare


@dataclass(frozen=True)
class Comparison:
    """/compare's data for one indicator and target: the ranking (kpis.compare.ranking), the
    sources behind each region's latest value, and the total where a sum means something."""

    ranked: pd.DataFrame
    sources: dict[str, list[str]]
    total: Total | None


@st.cache_resource(max_entries=64, show_spinner=False)
def _comparison(
    targets: str,
    data: str,
    key: str,
    as_of: int,
    regions: tuple[str, ...],
    indicator_id: str,
    position: int | None,
) -> Comparison:
    dataset = _load(targets, data, key)
    plan, series = dataset.plan, _series(targets, data, key)
    ranked = ranking(
        plan,
        indicator_id,
        position,
        _assessment_table(targets, data, key, as_of, regions),
        series,
        as_of,
        list(regions),
    )
    latest = {
        r: int(y)
        for r, y in zip(ranked["region"], ranked["latest_year"], strict=True)
        if pd.notna(y)
    }
    sources = sources_by_region(
        dataset.figures.table, input_ids(plan, plan.indicator(indicator_id)), latest
    )
    return Comparison(ranked, sources, total(plan, indicator_id, series, as_of, list(regions)))


def comparison_cached(view: View, indicator_id: str, position: int | None) -> Comparison:
    """`Comparison` of every region of the view for one indicator and target (position None:
    a tracked indicator), cached like the dataset (read-only, shared)."""
    key = cache_key(view.targets, view.data)
    return _comparison(
        str(view.targets),
        str(view.data),
        key,
        view.as_of,
        tuple(view.regions),
        indicator_id,
        position,
    )


ACHIEVED = "_achieved"  # the status cells' first column: 'n/N' targets achieved


@st.cache_resource(max_entries=16, show_spinner=False)
def _status_cells(
    targets: str, data: str, key: str, as_of: int, regions: tuple[str, ...]
) -> pd.DataFrame:
    plan = _load(targets, data, key).plan
    matrix = status_matrix(
        plan, _assessment_table(targets, data, key, as_of, regions), list(regions)
    )
    if matrix.shape[1] == 0:
        return pd.DataFrame(index=matrix.index)
    achieved = (matrix == "achieved").sum(axis=1)
    icons = [
        STATUS_STYLES[s].icon if isinstance(s, str) else "–"
        for s in matrix.to_numpy().ravel().tolist()
    ]
    cells = pd.DataFrame(
        np.array(icons, dtype=object).reshape(matrix.shape),
        index=matrix.index,
        columns=[
            f"{ind} · {plan.indicator(ind).targets[k - 1].end_year}" for ind, k in matrix.columns
        ],
    )
    cells.insert(0, ACHIEVED, [f"{n}/{matrix.shape[1]}" for n in achieved])
    return cells


def status_cells_cached(view: View) -> pd.DataFrame:
    """The region × target matrix of statuses (kpis.compare.status_matrix) as icons, one row
    per region of the view, the column ACHIEVED first ('3/12'); no columns when the plan has
    no target. Cached like the dataset (read-only, shared): rename, never assign into it."""
    key = cache_key(view.targets, view.data)
    return _status_cells(str(view.targets), str(view.data), key, view.as_of, tuple(view.regions))


# ------------------------------------------------------------------------ overview scorecard


@dataclass(frozen=True)
class Card:
    """One row of the overview's scorecard, every text already formatted: the page only emits
    it. Markdown and HTML built from the plan, our words and numbers we formatted."""

    indicator: str  # its id, for the detail link
    name: str  # markdown: the indicator's name in bold
    tracked: bool = False  # no target: latest figure and trend only, no status
    target: str = ""  # markdown: 'Mục tiêu: ≥ 3 tổ chức vào năm 2020'
    latest: str = ""  # markdown: the latest figure, its year and footnote marks
    bar: str = ""  # progress bar HTML ('' for milestones)
    badge: str = ""  # status badge HTML
    trend: str = ""  # sparkline HTML ('' for fewer than two points)
    status: str = ""  # the target's status ('' for a tracked indicator)


@dataclass(frozen=True)
class Scorecard:
    """What the overview shows below its title, for one plan, year, region and language."""

    targets: int  # how many targets were judged
    counts: tuple[tuple[str, int], ...]  # (status, count) in METHOD.md's order, counts > 0
    groups: tuple[tuple[str, tuple[Card, ...]], ...]  # (heading, cards) in the plan's order
    footnotes: tuple[str, ...]  # footnote n is footnotes[n - 1]
    sources: tuple[object, ...]  # distinct sources of the figures up to the as-of year

    @property
    def cards(self) -> int:
        return sum(len(cards) for _, cards in self.groups)


def status_counts(cards: Sequence[Card]) -> list[tuple[str, int]]:
    """(status, how many cards have it) in METHOD.md's order, only those present."""
    return [
        (status, n)
        for status in STATUSES
        if (n := sum(1 for card in cards if card.status == status))
    ]


@st.cache_resource(max_entries=32, show_spinner=False)
def _scorecard(
    targets: str, data: str, key: str, as_of: int | None, region: str, lang: str
) -> Scorecard:
    dataset = _load(targets, data, key)
    plan, table = dataset.plan, dataset.figures.table
    if as_of is None:  # no figures at all: every target has no data
        rows = assess(plan, table, regions=[region])
    else:
        rows = _assessments(targets, data, key, as_of, (region,))
    # One pass over this region's figures and series instead of a filter per card.
    here = table[table["region"] == region]
    if as_of is not None:
        here = here[here["year"] <= as_of]
    sources_at: dict[tuple[str, int], set[str]] = {}
    for ind, year, source in zip(here["indicator"], here["year"], here["source"], strict=True):
        if isinstance(source, str):
            sources_at.setdefault((ind, int(year)), set()).add(source)
    series = _series(targets, data, key)
    points = series[series["region"] == region]
    if as_of is not None:
        points = points[points["year"] <= as_of]
    years_of: dict[str, list[int]] = {}
    values_of: dict[str, list[float]] = {}
    for ind, year, value in zip(points["indicator"], points["year"], points["value"], strict=True):
        years_of.setdefault(ind, []).append(int(year))
        values_of.setdefault(ind, []).append(float(value))

    footnotes: dict[str, int] = {}  # source text -> its number in the footnote list

    def latest(indicator, year: int | None, value: float | None) -> str:
        if year is None:
            return t("no_latest", lang)
        found: set[str] = set()
        for ind in input_ids(plan, indicator):
            found |= sources_at.get((ind, year), set())
        marks = "".join(f"[{footnotes.setdefault(s, len(footnotes) + 1)}]" for s in sorted(found))
        return f"**{with_unit(value, indicator, lang)}**  \n{t('col_year', lang)} {year} {marks}"

    by_indicator: dict[str, list[Assessment]] = {}
    for row in rows:
        by_indicator.setdefault(row.indicator, []).append(row)
    groups = []
    for group in plan.groups:
        indicators = [ind for ind in plan.indicators if (ind.group or "") == group]
        if not indicators:
            continue
        first = indicators[0]
        cards: list[Card] = []
        # targets first, then the indicators the plan only tracks (no target, no status)
        for indicator in sorted(indicators, key=lambda ind: not ind.targets):
            years, values = years_of.get(indicator.id, []), values_of.get(indicator.id, [])
            name = f"**{pick(indicator.name, indicator.name_en, lang)}**"
            if not indicator.targets:
                cards.append(
                    Card(
                        indicator.id,
                        name,
                        tracked=True,
                        latest=latest(
                            indicator, years[-1] if years else None, values[-1] if values else None
                        ),
                        trend=sparkline_html(values),
                    )
                )
                continue
            for row in by_indicator.get(indicator.id, []):
                target = indicator.targets[row.target_index - 1]
                if target.is_standing and row.latest_year is not None:
                    total = sum(1 for y in years if y >= target.from_)
                    label = t("standing_years", lang, met=len(row.years_met), total=total)
                else:
                    label = f"{t('col_progress', lang)}: {format_percent(row.progress, lang)}"
                cards.append(
                    Card(
                        indicator.id,
                        name,
                        target=f"{t('col_target', lang)}: "
                        f"{target_words(target, indicator, lang, row.baseline_value)}",
                        latest=latest(indicator, row.latest_year, row.latest_value),
                        # done or not: for a milestone a bar would say nothing more
                        bar=""
                        if indicator.kind == "milestone"
                        else progress_bar_html(row.progress, row.expected, row.status, label),
                        badge=status_badge_html(row.status, lang),
                        trend=sparkline_html(values, row.status),
                        status=row.status,
                    )
                )
        groups.append(
            (pick(first.group, first.group_en, lang) or t("no_group", lang), tuple(cards))
        )
    counts = tuple(
        (status, n) for status in STATUSES if (n := sum(1 for row in rows if row.status == status))
    )
    used = here["source"].unique().tolist() if as_of is not None else []
    return Scorecard(len(rows), counts, tuple(groups), tuple(footnotes), tuple(used))


def scorecard_cached(view: View) -> Scorecard:
    """The overview's counts, cards and footnotes for this view, built once per plan, figures,
    year, region and language (cached like the dataset, read-only): a rerun only emits them,
    so a national plan of 150 targets reruns without filtering 100,000 figures per card."""
    key = cache_key(view.targets, view.data)
    return _scorecard(str(view.targets), str(view.data), key, view.as_of, view.region, view.lang)


# ------------------------------------------------------------------------ shared controls

LANG_NAMES = {"vi": "Tiếng Việt", "en": "English"}
VIEW_KEY = "_kpis_view"


@st.cache_data(max_entries=4, show_spinner=False)
def _catalogue(targets: str, plans: str, key: Fingerprint) -> Catalogue:
    return load_catalogue(targets, plans)


PLAN_PATH_KEY = "_kpis_plan_path"


def chosen_targets_path() -> Path:
    """The plan file this view shows: `kpis.paths.targets_path()` (env KPI_TARGETS), or, when
    the catalogue holds several plans (`plans/` or KPI_PLANS, kpis/catalogue.py), the one
    chosen in the sidebar or by `?plan=ID`. Call it once a run (it draws the selector); the
    choice is kept for `environment_note`.
    """
    main, folder = paths.targets_path(), paths.plans_path()
    catalogue = _catalogue(str(main), str(folder), fingerprint(main, folder))
    st.session_state[PLAN_PATH_KEY] = main
    if len(catalogue.entries) < 2:
        return main
    lang = st.session_state.get("lang", "vi")
    ids = catalogue.ids
    sync_from_url("plan", "plan", ids, str, ids[0])
    chosen = st.sidebar.selectbox(
        "Kế hoạch" if lang != "en" else "Plan",
        ids,
        key="plan",
        format_func=lambda i: (
            f"{catalogue.get(i).plan.plan.document} · {catalogue.get(i).plan.plan.region}"
        ),
    )
    write_to_url("plan", chosen, ids[0])
    if catalogue.problems:
        st.sidebar.warning(
            ("Kế hoạch không đọc được: " if lang != "en" else "Plans that could not be read: ")
            + ", ".join(sorted({Path(p.file).name for p in catalogue.problems}))
        )
    path = catalogue.get(chosen).path
    st.session_state[PLAN_PATH_KEY] = path
    return path


def chosen_data_path() -> Path:
    return paths.data_path()


def sync_from_url(
    param: str, key: str, options: Sequence, parse: Callable[[str], object], default: object
) -> None:
    """Put the URL's value into the widget's state when the URL changed since we wrote it.

    A shared link or a page link sets the URL; Streamlit drops the query string when the
    sidebar navigation switches page, and then the widget's own state stands.
    """
    raw = st.query_params.get(param)
    if raw is not None and raw != st.session_state.get(f"_url_{param}"):
        try:
            value = parse(raw)
        except ValueError:
            value = None
        if value in options:
            st.session_state[key] = value
        st.session_state[f"_url_{param}"] = raw
    if st.session_state.get(key) not in options:
        st.session_state[key] = default


def write_to_url(param: str, value: object, default: object) -> None:
    """Keep the URL in step with the control; a default value is left out of the link."""
    if value == default or value is None:
        if param in st.query_params:
            del st.query_params[param]
        st.session_state[f"_url_{param}"] = None
    else:
        st.query_params[param] = str(value)
        st.session_state[f"_url_{param}"] = str(value)


def language_control() -> str:
    """The language radio in the sidebar, synced with `?lang=`; returns 'vi' or 'en'."""
    sync_from_url("lang", "lang", LANGS, str, "vi")
    lang = st.sidebar.radio(
        "Ngôn ngữ / Language",
        LANGS,
        key="lang",
        horizontal=True,
        format_func=LANG_NAMES.__getitem__,
    )
    write_to_url("lang", lang, "vi")
    return lang


@dataclass
class View:
    """What every page shows: the loaded plan and figures, seen in a language, as of a year."""

    lang: str
    targets: Path
    data: Path
    dataset: Dataset
    as_of: int | None
    region: str
    regions: list[str] = field(default_factory=list)

    @property
    def plan(self):
        return self.dataset.plan

    @property
    def table(self) -> pd.DataFrame:
        return self.dataset.figures.table

    def series(self) -> pd.DataFrame:
        return series_cached(self.targets, self.data)

    def region_series(self, indicator_id: str) -> pd.DataFrame:
        series = self.series()
        return series[(series["indicator"] == indicator_id) & (series["region"] == self.region)]

    def assessments(self) -> list[Assessment]:
        if self.as_of is None:  # no figures at all: every target has no data
            return assess(self.plan, self.table, regions=[self.region])
        return assessments_cached(self.targets, self.data, self.as_of, [self.region])

    def link_params(self, **extra: str) -> dict[str, str]:
        """The query string that reproduces this view (for page links), plus `extra`."""
        params = {
            k: v for k in ("lang", "plan", "as_of", "region") if (v := st.query_params.get(k))
        }
        params.update(extra)
        return params


def view_controls(dataset: Dataset, lang: str, targets: Path, data: Path) -> View:
    """The as-of and region controls in the sidebar (synced with the URL); stores the View."""
    table = dataset.figures.table
    latest = default_as_of(table)
    as_of = None
    years: list[int] = []
    if latest is not None:
        # every year from the latest down to the earliest, also those with gaps (min over the
        # column: no Python set of 100,000 years on every rerun)
        years = list(range(latest, int(table["year"].min()) - 1, -1))
        sync_from_url("as_of", "as_of", years, int, latest)
        as_of = st.sidebar.selectbox(
            t("as_of", lang), years, key="as_of", help=t("as_of_help", lang)
        )
        write_to_url("as_of", as_of, latest)
    regions = regions_of(dataset.plan, table)
    region = regions[0]
    if len(regions) > 1:
        sync_from_url("region", "region", regions, str, regions[0])
        region = st.sidebar.selectbox(t("region", lang), regions, key="region")
        write_to_url("region", region, regions[0])
    view = View(
        lang=lang,
        targets=targets,
        data=data,
        dataset=dataset,
        as_of=as_of,
        region=region,
        regions=regions,
    )
    st.session_state[VIEW_KEY] = view
    return view


def current_view() -> View:
    """The View that dashboard.py set up for this run (pages call this first)."""
    view = st.session_state.get(VIEW_KEY)
    if view is None:  # a page run on its own (not through dashboard.py): stop politely
        st.error(
            "Mở bảng điều khiển bằng `streamlit run dashboard.py`. / "
            "Open the dashboard with `streamlit run dashboard.py`."
        )
        st.stop()
    return view


def show_load_error(error: LoadError, lang: str) -> None:
    """A plan or data folder that failed to load: a message and every problem, no traceback."""
    st.error(error.message(lang))
    if error.problems:
        st.dataframe(problems_frame(list(error.problems), lang), hide_index=True, width="stretch")


# ------------------------------------------------------------------------------ widgets


def short_path(file: str, folder: Path | None) -> str:
    """`/srv/kpi/data/2025.csv` -> `data/2025.csv`: the name people see in their folder."""
    if folder is None:
        return file
    try:
        return str(Path(file).resolve().relative_to(folder.resolve().parent))
    except (ValueError, OSError):
        return file


def problems_frame(
    problems: Sequence[Problem], lang: str, folder: Path | None = None
) -> pd.DataFrame:
    """Problems as a table: place (file:line: column), severity, message.

    `folder`: the data folder, so files under it are named `data/2025.csv`, not a long path.
    """
    places = []
    for p in problems:
        shown = Problem(
            short_path(p.file, folder), p.message_vi, p.message_en, p.line, p.column, p.severity
        )
        places.append(shown.place())
    return pd.DataFrame(
        {
            t("col_place", lang): places,
            t("col_severity", lang): [
                t("severity_error" if p.is_error else "severity_warning", lang) for p in problems
            ],
            t("col_message", lang): [p.message(lang) for p in problems],
        }
    )


def status_badge_html(status: str, lang: str) -> str:
    """A coloured badge with icon and word (METHOD.md's word; colour never alone).

    Built only from our own constants, never from user text.
    """
    style = STATUS_STYLES[status]
    dark = status in ("achieved", "missed", "regressing", "off_track")
    fg = "#FFFFFF" if dark else "#1A1A1A"
    return (
        f'<span class="kpi-badge" style="background:{style.colour};color:{fg}">'
        f"{html.escape(style.icon)} {html.escape(style.word(lang))}</span>"
    )


def progress_bar_html(
    progress: float | None, expected: float | None, status: str, label: str
) -> str:
    """A progress bar in the status colour with a tick where a straight path would be.

    `label` is a number we formatted (e.g. '67%'), not user text.
    """
    share = 0.0 if progress is None else max(0.0, min(1.0, progress))
    tick = ""
    if expected is not None and 0 <= expected <= 1:
        tick = f'<span class="kpi-bar-tick" style="left:{expected * 100:.1f}%"></span>'
    return (
        f'<div class="kpi-bar" role="img" aria-label="{html.escape(label)}">'
        f'<span class="kpi-bar-fill" style="width:{share * 100:.1f}%;'
        f'background:{status_colour(status)}"></span>{tick}</div>'
        f'<div class="kpi-bar-label">{html.escape(label)}</div>'
    )


def counts_html(counts: dict[str, int], lang: str) -> str:
    """One card per status present: the count over '✔ Đã đạt', edged in the status colour.

    A wrapping flex row, so on a phone the cards sit two abreast instead of one per screen.
    """
    cards = []
    for status, count in counts.items():
        style = STATUS_STYLES[status]
        cards.append(
            f'<div class="kpi-count" style="border-color:{style.colour}">'
            f"<b>{count}</b>{html.escape(style.icon)} {html.escape(style.word(lang))}"
            "</div>"
        )
    return '<div class="kpi-counts">' + "".join(cards) + "</div>"


def sparkline_html(values: Sequence[float], status: str | None = None) -> str:
    svg = sparkline_svg(values, status_colour(status) if status else "#1F4E79")
    return f'<div class="kpi-spark">{svg}</div>' if svg else ""


STYLE = """
<style>
.kpi-badge {display:inline-block;padding:2px 10px;border-radius:12px;font-weight:600;
  font-size:0.9rem;white-space:nowrap}
.kpi-bar {position:relative;height:12px;background:#E6E9EE;border-radius:6px;overflow:hidden;
  max-width:220px;margin-top:6px}
.kpi-bar-fill {position:absolute;left:0;top:0;bottom:0;border-radius:6px}
.kpi-bar-tick {position:absolute;top:-2px;bottom:-2px;width:2px;background:#1A1A1A}
.kpi-bar-label {font-size:0.8rem;color:#444}
.kpi-count {border-left:6px solid;padding:4px 10px;margin-bottom:6px;background:#F7F9FB}
[data-testid="stMainBlockContainer"] {padding-top:2.5rem}
[data-testid="stMain"] h1 {font-size:1.7rem;line-height:1.3}
[data-testid="stMetricValue"] {font-size:1.6rem}
.kpi-counts {display:flex;flex-wrap:wrap;gap:8px;margin-bottom:12px}
.kpi-counts .kpi-count {flex:1 1 150px;margin:0}
.kpi-spark svg {width:100%;max-width:140px;height:auto}
@media (max-width: 640px) {
  [data-testid="stMain"] h1 {font-size:1.25rem}
  [data-testid="stMainBlockContainer"] {padding-left:0.8rem;padding-right:0.8rem}
  [data-testid="stMetricValue"] {font-size:1.3rem}
  .kpi-counts .kpi-count {flex:1 1 40%}
  [class*="st-key-headline_"] [data-testid="stColumn"] {
    min-width:calc(50% - 0.5rem) !important;flex:1 1 calc(50% - 0.5rem) !important}
}
.kpi-count b {font-size:1.6rem;display:block;line-height:1.2}
</style>
"""


def inject_style() -> None:
    """Our few CSS rules (no external fonts or scripts: the dashboard works offline)."""
    st.markdown(STYLE, unsafe_allow_html=True)


def illustrative_notice(sources: Sequence[object], lang: str) -> bool:
    """Show the illustrative-figures notice when any of these sources is sample data."""
    if any(is_illustrative(s) for s in sources):
        st.info(t("illustrative_notice", lang), icon=":material/info:")
        return True
    return False


def chart(fig: go.Figure, filename: str, key: str) -> None:
    """A plotly chart with the modebar PNG download named and sized for a report."""
    st.plotly_chart(
        fig,
        width="stretch",
        key=key,
        theme=None,
        config=png_config(filename, height=fig.layout.height),
    )


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV for download: UTF-8 with BOM (Excel shows Vietnamese), text formulas neutralised.

    Numbers stay numbers (a negative number is not a formula); only text cells are touched.
    """
    safe = neutralise_frame(frame)
    buffer = io.StringIO()
    safe.to_csv(buffer, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def environment_note() -> str:
    """Where the plan and figures were read from (shown in small print)."""
    targets = st.session_state.get(PLAN_PATH_KEY, paths.targets_path())
    return f"{targets} · {chosen_data_path()}{os.sep}"


def status_text(status: str, lang: str) -> str:
    """'✔ Đã đạt' as plain text (for sentences; the badge is status_badge_html)."""
    style = STATUS_STYLES[status]
    return f"{style.icon} {style.word(lang)}"


def forget_loaded_data() -> None:
    """Drop every cached view of the plan and figures, after a save or an undo.

    The fingerprint already sees the rewritten files; clearing makes the saving session and
    every other one show the new figures without re-checking the old entries.
    """
    for cached in (
        _load,
        _series,
        _assessments,
        _assessment_table,
        _comparison,
        _status_cells,
        _scorecard,
    ):
        cached.clear()
