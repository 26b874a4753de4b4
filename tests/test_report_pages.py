"""The written report as it falls on paper: a chart's heading on the chart's page, a table's
headings unbroken, and a plan with no targets (Lạng Sơn 147/KH-UBND) reported without an
empty table or its source said six times. Each report is written, read back with python-docx
and printed by LibreOffice (pdftotext per page)."""

from __future__ import annotations

import subprocess
from dataclasses import replace

import pytest
from docx import Document

from kpis.dataset import load_dataset
from kpis.export import prepare
from kpis.i18n import STATUS_STYLES
from kpis.report import STYLE_TABLE, build_written_report, render_docx
from tests.test_report import pdf_words, run_cli, to_pdf

PLANS = {
    "bac-kan": "targets.yaml",
    "thai-nguyen": "plans/thai-nguyen-57-2025.yaml",
    "lang-son": "plans/lang-son-147-2023.yaml",
}


def page_texts(pdf) -> list[str]:
    """Each printed page's words in reading order, one space between, page number and the
    illustrative footer left in (they are not what a page may end with, and are stripped)."""
    result = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return [" ".join(page.split()) for page in result.stdout.split("\f") if page.strip()]


def keeps_with_next(paragraph) -> bool:
    """keep_with_next as Word applies it: set on the paragraph, else by its style's chain."""
    if paragraph.paragraph_format.keep_with_next is not None:
        return paragraph.paragraph_format.keep_with_next
    style = paragraph.style
    while style is not None:
        if style.paragraph_format.keep_with_next is not None:
            return style.paragraph_format.keep_with_next
        style = style.base_style
    return False


def has_picture(paragraph) -> bool:
    return bool(paragraph._p.xpath(".//pic:pic"))


@pytest.fixture(scope="module", params=["bac-kan", "thai-nguyen"])
def with_charts(request, repo_root, tmp_path_factory):
    """(plan, .docx, .pdf): the command's Vietnamese report with its charts, as printed."""
    folder = tmp_path_factory.mktemp(request.param)
    out = folder / f"{request.param}.docx"
    result = run_cli("report", "--targets", PLANS[request.param], "--out", str(out), cwd=repo_root)
    assert result.returncode == 0, result.stderr
    return request.param, out, to_pdf(out, folder)


def test_every_paragraph_from_a_charts_heading_to_its_picture_keeps_with_the_next(with_charts):
    _, docx, _ = with_charts
    paragraphs = Document(str(docx)).paragraphs
    pictures = [n for n, p in enumerate(paragraphs) if has_picture(p)]
    assert len(pictures) >= 2
    for n in pictures:
        heading = max(
            i for i in range(n) if paragraphs[i].style.name == "Heading 2"
        )  # «2. Tỷ lệ cán bộ, công chức cấp xã …»
        between = paragraphs[heading:n]
        assert [p.style.name for p in between[1:]] == ["List Bullet"] * (len(between) - 1)
        assert all(keeps_with_next(p) for p in between), [p.text for p in between]
        assert keeps_with_next(paragraphs[n])  # and the picture keeps its «Hình n.» caption


@pytest.mark.slow
def test_no_printed_page_ends_with_a_heading_and_each_chart_shares_its_headings_page(
    with_charts,
):
    plan, docx, pdf = with_charts
    doc = Document(str(docx))
    pages = page_texts(pdf)
    footer = "Số liệu minh họa, không phải số liệu báo cáo thực tế"
    # what may not close a page: a heading, a table's caption, a chart's bullet. A page ends
    # with the longest paragraph its text ends with («Hình 1. Tỷ lệ …» ends as «1. Tỷ lệ …»,
    # its chart's heading, does).
    paragraphs = [(" ".join(p.text.split()), keeps_with_next(p)) for p in doc.paragraphs]
    paragraphs = sorted((p for p in paragraphs if p[0]), key=lambda p: -len(p[0]))
    for number, text in enumerate(pages, start=1):
        body = text.removesuffix(footer).strip()
        last = next((p for p in paragraphs if body.endswith(p[0])), None)
        assert last is None or not last[1], (plan, number, last)
    # the reviewers' pages: «2. Tỷ lệ cán bộ …» and «• trên 80% …» above «Hình 2.», one page
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    captions = [p.text for p in doc.paragraphs if p.text.startswith("Hình ")]
    assert captions
    for caption in captions:
        number = caption.split(".")[0].removeprefix("Hình ")
        heading = next(h for h in reversed(headings) if h.startswith(f"{number}. "))
        on = [n for n, text in enumerate(pages) if " ".join(caption.split()) in text]
        assert on and " ".join(heading.split()) in pages[on[0]], (plan, caption)


@pytest.fixture(scope="module")
def lang_son_en(repo_root, tmp_path_factory):
    """Lạng Sơn's English report as the command writes it (no targets, so no charts)."""
    folder = tmp_path_factory.mktemp("lang-son")
    out = folder / "ls-en.docx"
    result = run_cli(
        "report", "--targets", PLANS["lang-son"], "--lang", "en", "--out", str(out), cwd=repo_root
    )
    assert result.returncode == 0, result.stderr
    return Document(str(out)), page_texts(to_pdf(out, folder))


def test_a_plan_with_no_targets_says_so_instead_of_an_empty_table(lang_son_en):
    doc, pages = lang_son_en
    assert not [t for t in doc.tables if t.style.name == STYLE_TABLE]
    texts = [p.text for p in doc.paragraphs]
    under = texts[texts.index("II. RESULTS BY TARGET") + 1]
    assert under == (
        "The plan sets no quantified target, so there is no table of results; the 15 "
        "indicators it tracks are given by group below."
    )
    printed = " ".join(pages)
    assert under in printed and "Table 1" not in printed and "Assessment" not in printed


def test_the_plans_sections_are_one_source_in_the_reports_language(lang_son_en):
    doc, pages = lang_son_en
    sources = [p.text for p in doc.paragraphs if p.text.startswith("Figures:")]
    assert sources == [
        "Figures: Plan No. 147/KH-UBND of 04/07/2023 by Lạng Sơn Provincial People's "
        "Committee, sections A.I.1.1, A.I.1.2, A.I.2, A.I.3, A.I.6, A.I.7 (2023)."
    ]
    printed = " ".join(pages)
    assert "Kế hoạch 147/KH-UBND" not in printed  # the Vietnamese citation, six times before
    assert printed.count("sections A.I.1.1") == 1


def test_the_signature_block_is_not_split_across_pages(lang_son_en):
    _, pages = lang_son_en
    last = pages[-1]
    assert "Recipients:" in last and "- Archived: ..." in last and "Full name" in last


def test_vietnamese_sources_name_each_part_of_the_plan_once(repo_root):
    dataset = load_dataset(repo_root / PLANS["lang-son"], repo_root / "data")
    content = build_written_report(prepare(dataset.plan, dataset.figures.table))
    assert content.sources[1] == (
        "Số liệu: Kế hoạch số 147/KH-UBND ngày 04/07/2023 của UBND tỉnh Lạng Sơn, "
        "mục A.I.1.1, A.I.1.2, A.I.2, A.I.3, A.I.6, A.I.7 (2023)."
    )


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_no_word_of_the_tables_headings_or_assessments_breaks(repo_root, tmp_path, lang):
    """«Assessmen / t», «baselin / e»: each heading word and each status word of Table 1
    prints whole, in the Bắc Kạn report with most statuses, and in every status word."""
    dataset = load_dataset(repo_root / PLANS["bac-kan"], repo_root / "data")
    content = build_written_report(prepare(dataset.plan, dataset.figures.table, lang=lang))
    docx = tmp_path / f"bk-{lang}.docx"
    docx.write_bytes(render_docx(content))
    table = next(t for t in Document(str(docx)).tables if t.style.name == STYLE_TABLE)
    header = [cell.text for cell in table.rows[0].cells]
    assessed = [row.cells[5].text for row in table.rows[1:]]
    printed = {word for page in pdf_words(to_pdf(docx, tmp_path)) for *_, word in page}
    expected = {word for text in header + assessed for word in text.split()}
    assert expected - printed == set()
    # every status word, the longest («Needs acceleration», «Insufficient data») among them,
    # in the status column's width: a one-row table of each
    words = [style.word(lang) for style in STATUS_STYLES.values()]
    rows = tuple(replace(content.rows[0], status_word=word) for word in words)
    every = replace(content, rows=rows, charts=())
    docx = tmp_path / f"statuses-{lang}.docx"
    docx.write_bytes(render_docx(every))
    printed = {word for page in pdf_words(to_pdf(docx, tmp_path)) for *_, word in page}
    assert {w for text in words for w in text.split()} - printed == set()
