"""PNG charts: drawn by the installed Chromium through kaleido, one file per indicator, 1920x1080."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PIL import Image

from kpis.errors import BrowserNotFound
from kpis.images import find_browser

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def run_cli(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kpis", *args], cwd=cwd, capture_output=True, text=True, timeout=180
    )


# What choreographer logs when it cannot decode a message from the browser (it then goes on).
DRIVER_LOGS = """
import logging
try:
    raise ValueError("Expecting ',' delimiter")
except ValueError:
    logging.getLogger("choreographer.channels.pipe").exception(
        "JSONError decoding message. Ignoring"
    )
"""


def test_what_the_browser_driver_logs_stays_off_the_command_line(repo_root):
    # Once seen among `charts`' lines of progress: the record and its traceback on stderr.
    bare = subprocess.run(
        [sys.executable, "-c", DRIVER_LOGS],
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "JSONError decoding message" in bare.stderr
    drawing = subprocess.run(
        [sys.executable, "-c", "import kpis.images\n" + DRIVER_LOGS],
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert drawing.returncode == 0
    assert drawing.stderr == ""


@pytest.fixture(scope="module")
def charts(repo_root, tmp_path_factory):
    out = tmp_path_factory.mktemp("charts")
    result = run_cli("charts", "--out", str(out), "--lang", "en", cwd=repo_root)
    assert result.returncode == 0, result.stderr
    return out, result


def test_one_png_per_indicator_in_the_plans_grouping(charts, repo_root):
    from kpis.plan import load_plan

    out, result = charts
    plan, _ = load_plan(repo_root / "targets.yaml")
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == len(plan.indicators) == 13
    assert names[0] == "01_public_st_orgs.png"
    assert {name.split("_", 1)[1][:-4] for name in names} == {i.id for i in plan.indicators}
    assert "13 charts" in result.stdout
    # progress on stderr, one line a chart, so that stdout holds the result alone
    assert result.stderr.splitlines() == ["drawing 13 charts…"] + [
        f"drew chart {n} of 13" for n in range(1, 14)
    ]


def test_each_png_is_a_valid_image_of_at_least_1920x1080(charts):
    out, _ = charts
    for path in out.iterdir():
        data = path.read_bytes()
        assert data.startswith(PNG_SIGNATURE)
        with Image.open(path) as image:
            image.verify()
        with Image.open(path) as image:
            assert image.size[0] >= 1920 and image.size[1] >= 1080, (path.name, image.size)
            # not blank: a chart has dark ink (text, axes) on its white background
            extremes = image.convert("L").getextrema()
            assert extremes[0] < 60 and extremes[1] > 240


def test_no_browser_says_what_to_install_and_writes_nothing(
    repo_root, tmp_path, monkeypatch, capsys
):
    from kpis.cli import main

    monkeypatch.chdir(repo_root)
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-such-chromium"))
    out = tmp_path / "charts"
    assert main(["charts", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "apt-get install chromium" in err and "Traceback" not in err
    assert not out.exists() or not any(out.iterdir())


def test_find_browser_honours_browser_path_and_never_downloads(tmp_path, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "missing"))
    with pytest.raises(BrowserNotFound) as caught:
        find_browser()
    assert "apt-get install chromium" in caught.value.message("vi")
    assert "BROWSER_PATH" in caught.value.message("en")
    monkeypatch.delenv("BROWSER_PATH")
    assert os.access(find_browser(), os.X_OK)  # Debian's chromium on this machine and in CI


def test_one_browser_draws_many_figures_without_one_leaking_into_the_next(repo_root):
    """The page is kept between figures (kpis.images): a figure drawn after another must come
    out exactly as when drawn first."""
    from kpis.dataset import load_dataset
    from kpis.export import prepare
    from kpis.images import render_pngs
    from kpis.slides import IndicatorSlide, build_slides, chart_for

    dataset = load_dataset(repo_root / "targets.yaml", repo_root / "data")
    report = prepare(dataset.plan, dataset.figures.table)
    slides = [s for s in build_slides(report) if isinstance(s, IndicatorSlide)]
    line, bars = chart_for(report, slides[0]), chart_for(report, slides[7])  # a line, then bars
    first, second, again = render_pngs([line, bars, line], tabs=1)
    assert first == again
    assert first != second
