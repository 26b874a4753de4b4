"""The shared sidebar controls (language, plan, as-of year, region) and the View pages read.

The controls are read from and written back to the URL (`?lang=en&as_of=2020&region=…`) so
a shared link reproduces the view.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import streamlit as st

from kpis import paths
from kpis.catalogue import PlanEntry
from kpis.dataset import Dataset
from kpis.i18n import LANGS
from kpis.progress import Assessment, assess
from kpis.safe_text import echoed, md_text
from kpis.ui_text import plan_short_label, region_label, t
from ui.cache import (
    assessments_cached,
    catalogue_cached,
    series_cached,
    years_and_regions_cached,
)

LANG_NAMES = {"vi": "Tiếng Việt", "en": "English"}
VIEW_KEY = "_kpis_view"


PLAN_PATH_KEY = "_kpis_plan_path"


def chosen_targets_path() -> Path:
    """The plan file this view shows: `kpis.paths.targets_path()` (env KPI_TARGETS), or, when
    the catalogue holds several plans (`plans/` or KPI_PLANS, kpis/catalogue.py), the one
    chosen in the sidebar or by `?plan=ID`. Call it once a run (it draws the selector); the
    choice is kept for `environment_note`.
    """
    main, folder = paths.targets_path(), paths.plans_path()
    catalogue = catalogue_cached(main, folder)
    st.session_state[PLAN_PATH_KEY] = main
    lang = st.session_state.get("lang", "vi")
    ids = catalogue.ids
    if len(catalogue.entries) < 2:
        if ids:
            _say_unknown_plan(unknown_in_url("plan", ids, str), catalogue.entries[0], lang)
        return main
    asked = unknown_in_url("plan", ids, str)
    sync_from_url("plan", "plan", ids, str, ids[0])
    chosen = st.sidebar.selectbox(
        "Kế hoạch" if lang != "en" else "Plan",
        ids,
        key="plan",
        format_func=lambda i: _plan_label(catalogue.get(i), lang),
        placeholder=t("choose", lang),
    )
    _say_unknown_plan(asked, catalogue.get(chosen), lang)
    write_to_url("plan", chosen, ids[0])
    _forget_the_previous_plans_view(chosen)
    if catalogue.problems:
        st.sidebar.warning(
            ("Kế hoạch không đọc được: " if lang != "en" else "Plans that could not be read: ")
            + ", ".join(sorted({md_text(Path(p.file).name) for p in catalogue.problems}))
        )
    path = catalogue.get(chosen).path
    st.session_state[PLAN_PATH_KEY] = path
    return path


SHOWN_PLAN_KEY = "_kpis_shown_plan"
# The controls whose choice belongs to one plan: its years, its regions. (A page's indicator
# or agency is kept when the new plan has it: sync_from_url replaces one it does not.)
PLAN_BOUND_KEYS = ("as_of", "region")


def _forget_the_previous_plans_view(chosen: str) -> None:
    """A newly chosen plan opens as a link to it does: at its latest year and first region.

    Kept, the old plan's year would be taken for a choice (2024 on Bắc Kạn is «Chưa đủ số
    liệu» on Thái Nguyên, whose figures run to 2025). A year or region that the URL asks for
    in this very run (a link naming both plan and year) still applies: sync_from_url reads
    it, because the URL changed since we wrote it.
    """
    previous = st.session_state.get(SHOWN_PLAN_KEY)
    st.session_state[SHOWN_PLAN_KEY] = chosen
    if previous is None or previous == chosen:
        return
    for key in PLAN_BOUND_KEYS:
        st.session_state.pop(key, None)
        st.session_state.pop(_kept(key), None)


def _say_unknown_plan(asked: str | None, shown: PlanEntry, lang: str) -> None:
    """A `?plan=` naming no plan (a typo, an old link) is said, not silently replaced."""
    if asked is not None:
        st.warning(
            t("unknown_plan", lang, id=echoed(asked), plan=md_text(_plan_label(shown, lang)))
        )


def _plan_label(entry: PlanEntry, lang: str) -> str:
    """A plan as the sidebar names it: its document, short, and region («684/QĐ-UBND · Bắc
    Kạn», «KH thực hiện NQ 57 · Thái Nguyên»)."""
    return plan_short_label(entry.plan.plan, lang)


def unknown_in_url(param: str, options: Sequence, parse: Callable[[str], object]) -> str | None:
    """The URL's `?param=` value when it names none of `options`, else None: pages say so
    ("Không có … «…»: đang hiện …") instead of showing something else in silence.

    Only a value the URL asks for is said: one we wrote ourselves names what was shown, and
    goes stale only when the plan changed under it (an indicator of the old plan), which is
    no one's mistake. Call it before `sync_from_url`, which marks the value as read.
    """
    raw = st.query_params.get(param)
    if raw is None or raw == _written().get(param):
        return None
    try:
        value = parse(raw)
    except ValueError:
        return raw
    return None if value in options else raw


def chosen_data_path() -> Path | str:
    """Where the figures are: a folder, or a database URL (kpis.paths.data_location)."""
    return paths.data_location()


def sync_from_url(
    param: str, key: str, options: Sequence, parse: Callable[[str], object], default: object
) -> None:
    """Put the URL's value into the widget's state when the URL changed since we wrote it.

    A shared link or a page link sets the URL; Streamlit drops the query string when the
    sidebar navigation switches page, and then the choice last made on the page stands.
    """
    raw = st.query_params.get(param)
    # Streamlit drops a widget's state while its page is not shown: without the copy kept
    # here, /indicator opened from the sidebar after /compare showed the first indicator,
    # not the one the reader had chosen.
    value = st.session_state.get(key, st.session_state.get(_kept(key)))
    if raw is not None and raw != _written().get(param):
        try:
            asked = parse(raw)
        except ValueError:
            asked = None
        if asked in options:
            value = asked
        _written()[param] = raw
    _hold(key, value if value in options else default)


def hold_choice(key: str, options: Sequence, default: object) -> None:
    """Call before a selectbox or radio whose options are shown in the page's language and
    that the URL does not carry (sync_from_url does this for those it does): it keeps the
    choice across a language switch and a visit to another page."""
    value = st.session_state.get(key, st.session_state.get(_kept(key)))
    _hold(key, value if value in options else default)


def hold_choices(key: str, options: Sequence) -> None:
    """hold_choice for a multiselect (a filter): the chosen options the page still offers."""
    value = st.session_state.get(key, st.session_state.get(_kept(key))) or []
    _hold(key, [v for v in value if v in options])


def _hold(key: str, value: object) -> None:
    # Set on every run, not only when it differs. The browser sends a widget's choice back
    # as the label it was shown, and Streamlit reads it with the previous run's labels: after
    # a language switch it holds «KH thực hiện NQ 57 · Thái Nguyên» (or the /tasks filter
    # «chưa bắt đầu») while the page is in English, the next run cannot read it, and the
    # choice fell back to the default (the filter emptied). A value set here is sent again
    # with this run's labels, so the browser's copy is current.
    st.session_state[key] = value
    st.session_state[_kept(key)] = value


def write_to_url(param: str, value: object, default: object) -> None:
    """Keep the URL in step with the control; a default value is left out of the link."""
    if value == default or value is None:
        if param in st.query_params:
            del st.query_params[param]
        _written()[param] = None
    else:
        st.query_params[param] = str(value)
        _written()[param] = str(value)


WRITTEN_KEY = "_kpis_url_written"  # {param: the value this session last wrote to the URL}


def _written() -> dict[str, str | None]:
    """What we wrote to the URL, by parameter: a URL value equal to it is ours, not a link's."""
    return st.session_state.setdefault(WRITTEN_KEY, {})


def _kept(key: str) -> str:
    """Where a widget's value is kept while Streamlit drops the widget's own state."""
    return f"_kpis_kept_{key}"


def forget_what_the_url_dropped() -> None:
    """Forget having written a parameter that the URL no longer carries (or carries another
    value: a link's). Call it first, on every run, before any control reads the URL.

    Streamlit drops the query string when the sidebar switches page, so the URL no longer
    holds the `?id=` /indicator wrote. Remembered, that value read as ours: the overview's
    link to /indicator?id=B, after /indicator had shown B, was ignored as a value we had
    written, and the page opened at its first indicator; /compare's `?id=` did the same to a
    link to that indicator on /indicator.
    """
    written = _written()
    for param, value in list(written.items()):
        if value is not None and st.query_params.get(param) != value:
            written[param] = None


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
    data: Path | str  # the figures folder, or the database URL
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
    years, regions = years_and_regions_cached(targets, data)
    as_of = None
    if years:
        latest = years[0]
        asked = unknown_in_url("as_of", years, int)
        sync_from_url("as_of", "as_of", years, int, latest)
        as_of = st.sidebar.selectbox(
            t("as_of", lang),
            years,
            key="as_of",
            help=t("as_of_help", lang),
            placeholder=t("choose", lang),
        )
        write_to_url("as_of", as_of, latest)
        if asked is not None:
            st.warning(t("unknown_as_of", lang, value=echoed(asked), year=as_of))
    region = regions[0]
    if len(regions) > 1:
        sync_from_url("region", "region", regions, str, regions[0])
        region = st.sidebar.selectbox(
            t("region", lang),
            regions,
            key="region",
            format_func=lambda name: region_label(dataset.plan, name, lang),
            placeholder=t("choose", lang),
        )
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


def environment_note(lang: str = "vi") -> tuple[str, str]:
    """Which plan file and figures folder (or database) were read, for /coverage's small
    print: their names only, never the server's absolute paths. A database is named by a
    word: its role, host and port are no visitor's business (the CLI shows them)."""
    targets = Path(st.session_state.get(PLAN_PATH_KEY, paths.targets_path()))
    data = chosen_data_path()
    if paths.is_database_url(data):
        from kpis.pgstore import PUBLIC_LABEL

        return _shown(targets), PUBLIC_LABEL["en" if lang == "en" else "vi"]
    return _shown(targets), f"{_shown(Path(data))}{os.sep}"


def _shown(path: Path) -> str:
    """A path as visitors may see it: relative to the working folder, else its name alone."""
    if not path.is_absolute():
        return str(path)
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return path.name
