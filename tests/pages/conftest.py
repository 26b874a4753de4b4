"""AppTest helpers for the page tests: run dashboard.py on one page with a query string.

`open_page("app_pages/indicator.py", id="public_st_orgs", lang="en")` runs the router on the
shipped plan and figures (or on KPI_TARGETS / KPI_DATA set by the test) and returns the
AppTest after the page ran. Slow-ish (about a second each) but no browser.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kpis.dataset import load_dataset
from kpis.progress import assess

TIMEOUT = 60


@pytest.fixture
def open_page(repo_root, monkeypatch) -> Callable[..., AppTest]:
    monkeypatch.setenv("KPI_TARGETS", str(repo_root / "targets.yaml"))
    monkeypatch.setenv("KPI_DATA", str(repo_root / "data"))
    monkeypatch.delenv("KPI_PLANS", raising=False)

    def run(page: str | None = None, **query: str) -> AppTest:
        at = AppTest.from_file(str(repo_root / "dashboard.py"), default_timeout=TIMEOUT)
        for key, value in query.items():
            at.query_params[key] = str(value)
        at.run()
        if page is not None:
            at.switch_page(page)
            for key, value in query.items():  # a page switch starts from a clean query string
                at.query_params[key] = str(value)
            at.run()
        assert not at.exception, [e.value for e in at.exception]
        # dashboard.py turns an unexpected error into a short message (never a traceback):
        # for a test it is a failure all the same.
        shown = [e.value for e in at.error]
        assert not any("server's log" in e or "nhật ký máy chủ" in e for e in shown), shown
        return at

    return run


@pytest.fixture(scope="session")
def national(repo_root, tmp_path_factory) -> Path:
    """The synthetic national set (bench/make_national.py: 34 provinces, 157 targets)."""
    out = tmp_path_factory.mktemp("national")
    subprocess.run(
        [sys.executable, str(repo_root / "bench" / "make_national.py"), str(out)],
        check=True,
        capture_output=True,
    )
    return out


@pytest.fixture
def use_national(national, monkeypatch) -> Path:
    """Pages opened after this read the synthetic national set."""
    monkeypatch.setenv("KPI_TARGETS", str(national / "targets.yaml"))
    monkeypatch.setenv("KPI_DATA", str(national / "data"))
    monkeypatch.setenv("KPI_PLANS", str(national / "plans"))
    return national


@pytest.fixture(scope="session")
def shipped(repo_root):
    return load_dataset(repo_root / "targets.yaml", repo_root / "data")


@pytest.fixture(scope="session")
def status_counts(shipped):
    def counts(as_of=None) -> dict[str, int]:
        rows = assess(
            shipped.plan, shipped.figures.table, as_of=as_of, regions=[shipped.plan.plan.region]
        )
        out: dict[str, int] = {}
        for row in rows:
            out[row.status] = out.get(row.status, 0) + 1
        return out

    return counts


def open_every_group(at: AppTest) -> AppTest:
    """Open every folded group of the overview, as a reader clicking each one does."""
    plan_id = at.session_state["_kpis_view"].plan.plan.id
    for i in range(len(at.expander)):
        at.session_state[f"overview_group_{plan_id}_{i}"] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    """Everything the page says in markdown, captions, titles, alerts and metrics, as one text."""
    parts = [e.value for e in at.markdown] + [e.value for e in at.caption]
    parts += [e.value for e in at.title] + [e.value for e in at.header]
    parts += [e.value for e in at.subheader]
    parts += [e.value for e in at.info] + [e.value for e in at.warning]
    parts += [e.value for e in at.error] + [e.value for e in at.success]
    parts += [f"{m.label}: {m.value}" for m in at.metric]
    return "\n".join(str(p) for p in parts)
