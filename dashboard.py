"""Router: page config, the shared sidebar (language, plan, as-of year, region), st.navigation.

Run with `streamlit run dashboard.py`. The pages live in app_pages/; to add one, add ONE
`PageEntry` line to PAGES (it appears only once its file exists).
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from kpis.bulk_memory import no_huge_pages
from kpis.errors import DatabaseSettingInvalid
from kpis.ui_text import plan_caption, t
from ui import cache, state, widgets

HERE = Path(__file__).resolve().parent
LOG = logging.getLogger("kpis.dashboard")
INTERNAL_ERROR_KEY = "internal_error"  # the box's CSS class (st-key-…): tests look for it


@dataclass(frozen=True)
class PageEntry:
    """One page: its file in app_pages/, its fixed URL path, its title in both languages."""

    file: str
    url_path: str  # fixed: people bookmark and share these
    title_vi: str
    title_en: str
    icon: str  # a Material Symbol bundled with Streamlit: nothing is fetched from the internet
    default: bool = False

    def page(self, lang: str) -> st.Page:
        title = self.title_en if lang == "en" else self.title_vi
        if self.default:
            return st.Page(self.file, title=title, icon=self.icon, default=True)
        return st.Page(self.file, title=title, icon=self.icon, url_path=self.url_path)


PAGES: list[PageEntry] = [
    PageEntry(
        "app_pages/overview.py", "", "Tổng quan", "Overview", ":material/dashboard:", default=True
    ),
    PageEntry(
        "app_pages/indicator.py", "indicator", "Chỉ tiêu", "Indicator", ":material/monitoring:"
    ),
    PageEntry("app_pages/coverage.py", "coverage", "Số liệu", "Coverage", ":material/table_chart:"),
    PageEntry("app_pages/method.py", "method", "Phương pháp", "Method", ":material/menu_book:"),
    PageEntry(
        "app_pages/data.py", "data", "Cập nhật số liệu", "Update figures", ":material/edit_note:"
    ),
    PageEntry("app_pages/present.py", "present", "Trình chiếu", "Present", ":material/slideshow:"),
    PageEntry("app_pages/compare.py", "compare", "So sánh", "Compare", ":material/compare_arrows:"),
    PageEntry("app_pages/tasks.py", "tasks", "Nhiệm vụ", "Tasks", ":material/task_alt:"),
    PageEntry("app_pages/agency.py", "agency", "Cơ quan", "Agency", ":material/apartment:"),
]


def available_pages(lang: str) -> list[st.Page]:
    """The pages whose file exists (so the app runs before every page has landed)."""
    return [entry.page(lang) for entry in PAGES if (HERE / entry.file).exists()]


st.set_page_config(
    page_title="Chỉ tiêu KH&CN",  # until main() knows the page and its language
    page_icon="📊",
    layout="wide",
    menu_items={"Get help": None, "Report a bug": None, "About": None},
)
widgets.inject_style()
# The server reads, checks and imports national data sets too: on ordinary pages, as
# `python -m kpis` does (see `no_huge_pages`). One system call, the process's setting: made
# again on each run at no cost, before anything is loaded.
no_huge_pages()


def main() -> None:
    state.forget_what_the_url_dropped()
    lang = state.language_control()
    widgets.document_language(lang)
    current = st.navigation(available_pages(lang))
    # The browser tab names the page in the page's language («So sánh · Chỉ tiêu KH&CN»,
    # «Compare · S&T plan targets»): the first call above runs before the language is known.
    st.set_page_config(page_title=f"{current.title} · {t('app_title', lang)}")
    try:
        targets, data = state.chosen_targets_path(), state.chosen_data_path()
    except DatabaseSettingInvalid as error:  # never the local folder in its stead
        st.title(t("app_title", lang))
        st.error(error.message(lang))
        st.stop()
    loaded = cache.load_dataset_cached(targets, data)
    if isinstance(loaded, cache.LoadError):
        st.title(t("app_title", lang))
        widgets.show_load_error(loaded, lang)
        st.stop()
    view = state.view_controls(loaded, lang, targets, data)
    info = loaded.plan.plan  # the plan people know, by its document (file names: /coverage)
    st.sidebar.caption(plan_caption(info, lang))
    errors = loaded.errors
    if errors and current.url_path != "coverage":
        st.warning(t("problems_banner", lang, errors=len(errors)), icon=":material/warning:")
        st.page_link(
            "app_pages/coverage.py",
            label=t("see_coverage", lang),
            icon=":material/table_chart:",
            query_params=view.link_params(),
        )
    current.run()


def run_safely() -> None:
    """Run the page; whatever goes wrong unexpectedly is logged in full on the server and
    shown to the visitor as a short message with a reference to find it in the log: never a
    traceback, a server path or a library's words. (`.streamlit/config.toml` sets
    `showErrorDetails = "none"` as well, for anything raised outside this.)"""
    try:
        main()
    except Exception:  # noqa: BLE001 - st.stop and st.rerun are not Exceptions: they pass
        reference = secrets.token_hex(4)
        LOG.exception("page failed (reference %s)", reference)
        lang = "en" if st.query_params.get("lang") == "en" else "vi"
        with st.container(key=INTERNAL_ERROR_KEY):
            st.error(t("internal_error", lang, reference=reference), icon=":material/error:")


run_safely()
