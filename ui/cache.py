"""Cached loaders: the plan, its figures and what is derived from them, kept until a file changes.

Caching lives here only, keyed on the files' modification times and sizes, so a figure
saved under `data/` or an edited plan is seen on the next rerun without restarting the
server. The loaded data and what is derived from it (series, assessments, the overview's
cards, /compare's tables) are st.cache_resource: one shared object, not a copy per run, so
callers read them and never change them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from kpis.cards import Scorecard, build_scorecard
from kpis.catalogue import Catalogue, load_catalogue
from kpis.compare import (
    Total,
    assessment_frame,
    ranking,
    sources_index,
    status_matrix,
    total,
)
from kpis.dataset import Dataset, load_dataset
from kpis.errors import InputNotFound, KpiError, PlanInvalid, Problem
from kpis.paths import is_database_url
from kpis.progress import (
    Assessment,
    Coded,
    assess,
    assess_columns,
    code_series,
    default_as_of,
    effective_series,
    regions_of,
)
from kpis.safe_text import md_text
from kpis.store import open_store
from kpis.tasks import as_of_date, read_progress, task_table
from kpis.ui_text import input_ids, t

LOG = logging.getLogger(__name__)

if TYPE_CHECKING:  # ui.state imports this module: the View is only a type here
    from ui.state import View

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


def cache_key(targets: Path, data: str | Path | None = None) -> str:
    """The plan file's fingerprint and the figures store's change key as one short string:
    what the cached loaders are keyed on. Streamlit hashes a cache argument element by
    element; one string costs one step where the tuple of every file's (path, mtime, size)
    cost a hundred, on every call."""
    plan_part = repr(fingerprint(Path(targets))).encode()
    data_part = open_store(data).change_key().encode() if data is not None else b""
    return hashlib.sha1(plan_part + data_part).hexdigest()


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
    targets, data = Path(targets_path), data_path  # a folder, or a database URL
    try:
        return _load(str(targets), str(data), cache_key(targets, data))
    # Visitors see file names, never the server's paths; the details go to the server's log.
    except PlanInvalid as error:
        return LoadError(
            t("plan_error", "vi", file=md_text(targets.name)),
            t("plan_error", "en", file=md_text(targets.name)),
            tuple(error.problems),
        )
    except InputNotFound as error:
        if is_database_url(data) and str(error.path) != str(targets):
            # The database cannot be reached or lacks its tables: its own words say which and
            # what to do; where it is (role, host, port) goes to the server's log only.
            LOG.warning("figures database unavailable: %s", error.message("en"))
            public = getattr(error, "public_message", error.message)
            return LoadError(public("vi"), public("en"))
        what = "what_plan" if str(error.path) == str(targets) else "what_data"
        name = md_text(Path(error.path).name)
        return LoadError(
            t("not_found", "vi", what=t(what, "vi"), path=name),
            t("not_found", "en", what=t(what, "en"), path=name),
        )
    except (KpiError, OSError, UnicodeError, ValueError) as error:
        LOG.warning("cannot load %s and %s", targets, data, exc_info=True)
        return LoadError(
            t("read_error", "vi", path=md_text(targets.name), error=md_text(_reason(error, "vi"))),
            t("read_error", "en", path=md_text(targets.name), error=md_text(_reason(error, "en"))),
        )


def _reason(error: Exception, lang: str) -> str:
    """What went wrong in words a visitor may see: our own message, or the system's words for
    a file error (never its path), or only the kind of error."""
    # An error that may name the database's role and host has words without them for visitors.
    message = getattr(error, "public_message", None) or getattr(error, "message", None)
    if callable(message):
        return message(lang)
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return type(error).__name__


# How long a derived view (a year's assessments, a comparison, a scorecard) stays cached
# without being read: with the max_entries below, the server's memory holds what readers are
# looking at, not every year, language and plan ever looked at.
LIFETIME = "1h"


@st.cache_resource(max_entries=4, show_spinner=False)
def _series(targets: str, data: str, key: str) -> pd.DataFrame:
    dataset = _load(targets, data, key)
    return effective_series(dataset.plan, dataset.figures.table)


@st.cache_resource(max_entries=4, show_spinner=False)
def _years_and_regions(targets: str, data: str, key: str) -> tuple[list[int], list[str]]:
    dataset = _load(targets, data, key)
    plan, table = dataset.plan, dataset.figures.table
    latest = default_as_of(table)
    # every year from the latest down to the earliest, also those with gaps
    years = [] if latest is None else list(range(latest, int(table["year"].min()) - 1, -1))
    return years, regions_of(plan, table)


def years_and_regions_cached(
    targets_path: str | Path, data_path: str | Path
) -> tuple[list[int], list[str]]:
    """The as-of years offered (latest first) and the regions of the figures (the plan's
    first), found once per data set: a rerun does not scan a million figures for them."""
    key = cache_key(Path(targets_path), data_path)
    return _years_and_regions(str(targets_path), str(data_path), key)


def series_cached(targets_path: str | Path, data_path: str | Path) -> pd.DataFrame:
    """`kpis.progress.effective_series` of the loaded dataset, cached like the dataset
    (read-only, shared)."""
    key = cache_key(Path(targets_path), data_path)
    return _series(str(targets_path), str(data_path), key)


@st.cache_resource(max_entries=4, show_spinner=False)
def _coded(targets: str, data: str, key: str) -> Coded:
    # The series as codes, once per data set: judging a new year then costs the cells
    # judged, not a pass over every figure (kpis.progress.code_series).
    return code_series(_series(targets, data, key))


@st.cache_resource(max_entries=32, ttl=LIFETIME, show_spinner=False)
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
        coded=_coded(targets, data, key),
    )


def assessments_cached(
    targets_path: str | Path,
    data_path: str | Path,
    as_of: int | None,
    regions: Sequence[str] | None = None,
) -> list[Assessment]:
    """`kpis.progress.assess` as of a year for the given regions, cached like the dataset
    (read-only, shared: the list and its Assessments must not be changed)."""
    key = cache_key(Path(targets_path), data_path)
    return _assessments(
        str(targets_path), str(data_path), key, as_of, tuple(regions) if regions else None
    )


def _assessment_frame(
    targets: str,
    data: str,
    key: str,
    as_of: int,
    regions: tuple[str, ...],
    only: frozenset[tuple[str, int]] | None = None,
) -> pd.DataFrame:
    """The regions' assessments (only these targets, if given) as one table (FRAME_COLUMNS),
    straight from the columns `assess_columns` computes: no object per row."""
    dataset = _load(targets, data, key)
    columns = assess_columns(
        dataset.plan,
        dataset.figures.table,
        as_of,
        list(regions),
        coded=_coded(targets, data, key),
        targets=only,
    )
    return assessment_frame(columns)


# ------------------------------------------------------------------------ /compare and the overview


@dataclass(frozen=True)
class Comparison:
    """/compare's data for one indicator and target: the ranking (kpis.compare.ranking), the
    sources behind each region's latest value, and the total where a sum means something,
    with the sources of what it adds up."""

    ranked: pd.DataFrame
    sources: dict[str, list[str]]
    total: Total | None
    total_sources: tuple[str, ...] = ()  # the sources of the figures the total adds up


@st.cache_resource(max_entries=8, show_spinner=False)
def _indicator_rows(
    targets: str, data: str, key: str, indicator_id: str
) -> tuple[dict[tuple[str, int], list], pd.DataFrame]:
    """The sources of one indicator's figures by (region, year) (its inputs' for a derived
    one) and its series: found once, so each year's comparison reads neither the figures
    nor the whole series again."""
    dataset = _load(targets, data, key)
    plan, table, series = dataset.plan, dataset.figures.table, _series(targets, data, key)
    inputs = input_ids(plan, plan.indicator(indicator_id))
    return sources_index(table, inputs), series[series["indicator"] == indicator_id]


@st.cache_resource(max_entries=64, ttl=LIFETIME, show_spinner=False)
def _comparison(
    targets: str, data: str, key: str, as_of: int, indicator_id: str, position: int | None
) -> Comparison:
    plan = _load(targets, data, key).plan
    # Every region of the data set (what the View lists), read here rather than passed in:
    # hashing 340 region names on every rerun cost more than the cached lookup they keyed.
    regions = tuple(_years_and_regions(targets, data, key)[1])
    sources_at, series = _indicator_rows(targets, data, key, indicator_id)
    # Only this target is judged, for every region: a new as-of year costs one target's
    # cells, not the whole plan's (the matrix below judges the regions in view).
    judged = (
        _assessment_frame(targets, data, key, as_of, regions, frozenset({(indicator_id, position)}))
        if position is not None
        else assessment_frame({})
    )
    ranked = ranking(plan, indicator_id, position, judged, series, as_of, list(regions))
    latest = {
        r: int(y)
        for r, y in zip(ranked["region"], ranked["latest_year"], strict=True)
        if pd.notna(y)
    }
    sources = {region: sources_at.get((region, year), []) for region, year in latest.items()}
    whole = total(plan, indicator_id, series, as_of, list(regions))
    summed = (
        sorted({s for region in regions for s in sources_at.get((region, whole.year), [])})
        if whole is not None
        else []
    )
    return Comparison(ranked, sources, whole, tuple(summed))


def comparison_cached(view: View, indicator_id: str, position: int | None) -> Comparison:
    """`Comparison` of every region of the view for one indicator and target (position None:
    a tracked indicator), cached like the dataset (read-only, shared)."""
    key = cache_key(view.targets, view.data)
    return _comparison(str(view.targets), str(view.data), key, view.as_of, indicator_id, position)


@st.cache_resource(max_entries=16, ttl=LIFETIME, show_spinner=False)
def _status_cells(
    targets: str, data: str, key: str, as_of: int, rows: tuple[int, int] | None
) -> pd.DataFrame:
    dataset = _load(targets, data, key)
    regions = _years_and_regions(targets, data, key)[1]
    regions = regions if rows is None else regions[rows[0] - 1 : rows[1]]
    judged = assess_columns(
        dataset.plan, dataset.figures.table, as_of, list(regions), coded=_coded(targets, data, key)
    )
    return status_matrix(dataset.plan, judged, list(regions))


def status_cells_cached(view: View, rows: tuple[int, int] | None = None) -> pd.DataFrame:
    """The region × target matrix of statuses (kpis.compare.status_matrix), one row per region
    of the view (`rows`: only regions first..last, counted from 1); no columns when the plan
    has no target. Read-only and shared: the page shapes a copy for people
    (kpis.compare.status_cells). A page of regions is judged on its own, so a new as-of year
    costs the rows in view."""
    key = cache_key(view.targets, view.data)
    return _status_cells(str(view.targets), str(view.data), key, view.as_of, rows)


@st.cache_resource(max_entries=4, show_spinner=False)
def _series_indicators(targets: str, data: str, key: str) -> frozenset[str]:
    return frozenset(_series(targets, data, key)["indicator"].unique())


def series_indicators_cached(view: View) -> frozenset[str]:
    """The indicators that have figures (their own or derived), found once per data set."""
    key = cache_key(view.targets, view.data)
    return _series_indicators(str(view.targets), str(view.data), key)


@st.cache_resource(max_entries=8, show_spinner=False)
def _region_rows(
    targets: str, data: str, key: str, region: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One region's figures and series: found once, so each year's scorecard of a national
    data set reads that region's rows, not every region's."""
    dataset = _load(targets, data, key)
    table, series = dataset.figures.table, _series(targets, data, key)
    return table[table["region"] == region], series[series["region"] == region]


@st.cache_resource(max_entries=32, ttl=LIFETIME, show_spinner=False)
def _scorecard(
    targets: str, data: str, key: str, as_of: int | None, region: str, lang: str
) -> Scorecard:
    dataset = _load(targets, data, key)
    plan = dataset.plan
    table, series = _region_rows(targets, data, key, region)
    if as_of is None:  # no figures at all: every target has no data
        rows = assess(plan, table, regions=[region])
    else:
        rows = _assessments(targets, data, key, as_of, (region,))
    return build_scorecard(plan, table, series, rows, as_of, region, lang)


def scorecard_cached(view: View) -> Scorecard:
    """The overview's counts, cards and footnotes for this view (kpis.cards), built once per
    plan, figures, year, region and language (cached like the dataset, read-only): a rerun
    only emits them, so a national plan of 150 targets reruns without filtering 100,000
    figures per card."""
    key = cache_key(view.targets, view.data)
    return _scorecard(str(view.targets), str(view.data), key, view.as_of, view.region, view.lang)


@st.cache_data(max_entries=4, show_spinner=False)
def _catalogue(targets: str, plans: str, key: Fingerprint) -> Catalogue:
    return load_catalogue(targets, plans)


def catalogue_cached(targets: Path, plans: Path) -> Catalogue:
    """The plans the sidebar offers (kpis.catalogue), re-read when one of them changes."""
    return _catalogue(str(targets), str(plans), fingerprint(targets, plans))


def forget_loaded_data() -> None:
    """Drop every cached view of the plan and figures, after a save or an undo.

    The fingerprint already sees the rewritten files; clearing makes the saving session and
    every other one show the new figures without re-checking the old entries.
    """
    for cached in (
        _load,
        _series,
        _years_and_regions,
        _series_indicators,
        _coded,
        _assessments,
        _indicator_rows,
        _comparison,
        _status_cells,
        _region_rows,
        _scorecard,
    ):
        cached.clear()


# Task progress (issue 16): the plan's side file in the store (a few kilobytes), keyed like the
# figures on the store's change key, which a task save changes in either store: a save by
# another process is seen on the next rerun.
@st.cache_resource(max_entries=8, show_spinner=False)
def _task_progress(targets: str, data: str, key: str):
    # `key` is only there to be part of the cache key.
    plan = _load(targets, data, key).plan
    return read_progress(open_store(data), plan)


def task_table_cached(view: View) -> tuple[pd.DataFrame, list[Problem], dt.date]:
    """The plan's tasks as of the view's date (today, or 31/12 of an earlier as-of year), the
    saved progress file's problems, and that date. Read-only: never mutate the table."""
    key = cache_key(Path(view.targets), view.data)
    progress, problems = _task_progress(str(view.targets), str(view.data), key)
    as_of = as_of_date(view.as_of)
    return task_table(view.plan, progress, as_of, view.lang), problems, as_of
