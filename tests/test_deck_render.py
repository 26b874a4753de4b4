"""The deck as a room sees it: rendered by LibreOffice (headless) to PDF, its smallest text
measured in the PDF itself and in the file's own type sizes; its chart pictures drawn at the
size they are placed (their type is checked in tests/test_charts.py)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.util import Pt

pytestmark = pytest.mark.slow

MIN_PT = 14


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        message = "LibreOffice (soffice) is needed: apt-get install libreoffice-impress"
        if "CI" in __import__("os").environ:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return found


@pytest.fixture(scope="module")
def rendered(repo_root, tmp_path_factory):
    """(pptx path, pdf path) of the shipped plan's Vietnamese deck, as the command writes it."""
    folder = tmp_path_factory.mktemp("deck_pdf")
    pptx = folder / "deck.pptx"
    made = subprocess.run(
        [sys.executable, "-m", "kpis", "deck", "--out", str(pptx), "--as-of", "2024"],
        cwd=repo_root, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    profile = folder / f"lo-{uuid.uuid4().hex}"  # private: others run LibreOffice at once
    converted = subprocess.run(
        [
            _soffice(), f"-env:UserInstallation=file://{profile}", "--headless",
            "--convert-to", "pdf", "--outdir", str(folder), str(pptx),
        ],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    pdf = folder / "deck.pdf"
    assert converted.returncode == 0 and pdf.exists(), converted.stderr
    return pptx, pdf


def run_sizes(pptx: Path) -> list[float]:
    """Every text run's size in points on the slides (runs without one inherit 18 pt)."""
    sizes = []
    for slide in Presentation(str(pptx)).slides:
        for shape in slide.shapes:
            frames = []
            if shape.has_text_frame:
                frames.append(shape.text_frame)
            if shape.has_table:
                frames += [cell.text_frame for row in shape.table.rows for cell in row.cells]
            for frame in frames:
                for paragraph in frame.paragraphs:
                    for run in paragraph.runs:
                        if run.text.strip():
                            sizes.append((run.font.size or Pt(18)).pt)
    return sizes


def pdf_word_heights(pdf: Path) -> list[float]:
    """The height in points of every word box LibreOffice laid out (pdftotext -bbox)."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, timeout=120
    ).stdout
    boxes = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', out
    )
    return [float(y1) - float(y0) for _, y0, _, y1 in boxes]


def test_no_text_on_a_slide_is_under_14_pt(rendered):
    pptx, pdf = rendered
    sizes = run_sizes(pptx)
    assert sizes and min(sizes) >= MIN_PT, sorted(set(sizes))[:5]
    heights = pdf_word_heights(pdf)
    assert heights
    # a word box is about 1.15 times the type size (ascent + descent); 14 pt type: >= 16 pt
    assert min(heights) >= MIN_PT * 1.1, sorted(heights)[:5]
    print(f"smallest run {min(sizes)} pt; smallest word box {min(heights):.1f} pt")


def test_every_slide_became_a_page(rendered):
    pptx, pdf = rendered
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert re.search(r"^Pages:\s+(\d+)$", pages, re.M).group(1) == str(
        len(Presentation(str(pptx)).slides)
    )
