"""The written report: written by the real command, read back with python-docx, compared with
`python -m kpis status`, and laid out as Decree 30/2020/NĐ-CP asks."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import subprocess
import sys

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from kpis.dataset import load_dataset
from kpis.export import prepare
from kpis.i18n import format_percent, status_word
from kpis.narrative import indicator_sentences
from kpis.report import (
    ATTENTION,
    STYLE_TABLE,
    TEXT_WIDTH,
    build_written_report,
    place_and_date,
    render_docx,
)
from kpis.ui_text import t, with_unit

WORDS_OF_THE_HEADER = {
    "vi": ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Số: .../BC-..."),
    "en": (
        "SOCIALIST REPUBLIC OF VIETNAM",
        "Independence - Freedom - Happiness",
        "No.: .../BC-...",
    ),
}


def run_cli(*args: str, cwd, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kpis", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
    )


@pytest.fixture(scope="module")
def shipped(repo_root):
    dataset = load_dataset(repo_root / "targets.yaml", repo_root / "data")
    return dataset.plan, dataset.figures.table


@pytest.fixture(scope="module")
def status_rows(repo_root) -> list[dict[str, str]]:
    result = run_cli("status", "--format", "csv", "--as-of", "2024", cwd=repo_root)
    assert result.returncode == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


@pytest.fixture(scope="module")
def written(repo_root, tmp_path_factory):
    """The Vietnamese report as the command writes it, with its charts (one browser run)."""
    out = tmp_path_factory.mktemp("report") / "bao-cao.docx"
    result = run_cli("report", "--out", str(out), "--as-of", "2024", cwd=repo_root)
    assert result.returncode == 0, result.stderr
    return out, result


@pytest.fixture(scope="module", params=["vi", "en"])
def document(request, written, shipped):
    """(lang, Document): the command's Vietnamese file; the English one rendered in-process
    without pictures, to keep the fast suite fast."""
    if request.param == "vi":
        return "vi", Document(str(written[0]))
    content = build_written_report(prepare(*shipped, as_of=2024, lang="en"))
    return "en", Document(io.BytesIO(render_docx(content)))


def closed(sentence: str) -> str:
    return sentence if sentence.rstrip("»”\"')").endswith((".", "!", "?", "…")) else sentence + "."


def body_texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def targets_table(doc):
    return next(t for t in doc.tables if t.style.name == STYLE_TABLE)


def test_the_command_says_what_it_wrote_and_that_it_draws(written, status_rows):
    out, result = written
    charts = len({r["indicator"] for r in status_rows if r["status"] in ATTENTION})
    assert result.stdout.strip() == (
        f"đã ghi {out}: {len(status_rows)} mục tiêu, {charts} biểu đồ, Bắc Kạn, đến năm 2024"
    )
    assert f"đang vẽ {charts} biểu đồ" in result.stderr  # progress, on stderr
    # one line per chart drawn, then the writing: stdout keeps only the result
    drawn = [line for line in result.stderr.splitlines() if line.startswith("đã vẽ biểu đồ")]
    assert drawn == [f"đã vẽ biểu đồ {n}/{charts}" for n in range(1, charts + 1)]
    assert result.stderr.splitlines()[-1] == "đang ghi báo cáo…"


def test_header_block_is_a_borderless_two_column_table_first_on_the_page(document):
    lang, doc = document
    first = doc.element.body[0]
    assert first.tag == qn("w:tbl"), "the document opens with the header block"
    block = doc.tables[0]
    assert (len(block.rows), len(block.columns)) == (2, 2)
    assert block.style.name == "Normal Table"  # no borders
    assert "w:tblBorders" not in block._tbl.xml
    nation, motto, number = WORDS_OF_THE_HEADER[lang]
    left = block.cell(0, 0).text
    right = [p.text for p in block.cell(0, 1).paragraphs]
    # Bắc Kạn's committee has not existed since 1/7/2025 and the plan does not say who issues
    # its report: a blank for the clerk, as the number is, not the plan's issuer dated today
    assert left.startswith("TÊN CƠ QUAN, TỔ CHỨC" if lang == "vi" else "NAME OF THE ISSUING BODY")
    assert "BẮC KẠN" not in left.upper()
    assert right[:2] == [nation, motto]
    assert block.cell(1, 0).text == number
    # written today, after Bắc Kạn merged into Thái Nguyên (1/7/2025, the plan's
    # `region_merged`): dated from Thái Nguyên, not from a province that no longer exists
    today = place_and_date("Thái Nguyên", dt.date.today(), lang)
    assert block.cell(1, 1).text == today
    texts = body_texts(doc)
    assert texts[0] == ("BÁO CÁO" if lang == "vi" else "REPORT")
    assert texts[1].startswith(
        "Kết quả thực hiện Kế hoạch hành động" if lang == "vi" else "Results of implementing"
    )
    assert texts[1].endswith("đến năm 2024" if lang == "vi" else "as of 2024")


@pytest.mark.parametrize(
    ("day", "lang", "expected"),
    [
        (dt.date(2026, 1, 5), "vi", "Bắc Kạn, ngày 05 tháng 01 năm 2026"),  # decree: 05, 01
        (dt.date(2026, 2, 28), "vi", "Bắc Kạn, ngày 28 tháng 02 năm 2026"),
        (dt.date(2026, 3, 9), "vi", "Bắc Kạn, ngày 09 tháng 3 năm 2026"),
        (dt.date(2026, 12, 1), "vi", "Bắc Kạn, ngày 01 tháng 12 năm 2026"),
        (dt.date(2026, 12, 1), "en", "Bắc Kạn, 1 December 2026"),
    ],
)
def test_place_and_date_as_the_decree_writes_them(day, lang, expected):
    assert place_and_date("Bắc Kạn", day, lang) == expected


def test_one_table_row_per_target_with_the_numbers_of_status(document, status_rows, shipped):
    lang, doc = document
    plan, _ = shipped
    table = targets_table(doc)
    header = [cell.text for cell in table.rows[0].cells]
    assert header == (
        [
            "STT",
            "Chỉ tiêu",
            "Mục tiêu",
            "Thực hiện đến năm 2024",
            "Tiến độ (từ năm gốc)",
            "Đánh giá",
        ]
        if lang == "vi"
        else [
            "No.",
            "Indicator",
            "Target",
            "Achieved by 2024",
            "Progress (from the baseline)",
            "Assessment",
        ]
    )
    body = table.rows[1:]
    assert len(body) == len(status_rows) > 0
    for number, (row, expected) in enumerate(zip(body, status_rows, strict=True), start=1):
        indicator = plan.indicator(expected["indicator"])
        cells = [cell.text for cell in row.cells]
        assert cells[0] == str(number)
        assert cells[1] == (indicator.name if lang == "vi" else indicator.name_en)
        if expected["latest_value"]:
            value = with_unit(float(expected["latest_value"]), indicator, lang)
            deadline = int(expected["target_year"])
            if deadline < 2024:  # judged at its 2020 deadline, not "done by 2024": said so
                assert cells[3].startswith(
                    f"{value} (năm hạn {deadline}); mới nhất năm 2024: "
                    if lang == "vi"
                    else f"{value} ({deadline} deadline); latest in 2024: "
                )
            else:
                assert cells[3] == f"{value} ({expected['latest_year']})"
        else:
            assert cells[3] == "–"
        share = float(expected["progress"]) if expected["progress"] else None
        if any(t.is_standing for t in indicator.targets) and share is not None:
            # (a share of years, not progress towards the bound: it says which)
            years = "đạt" if lang == "vi" else "met in"
            assert cells[4].startswith(f"{format_percent(share, lang)} · {years} "), cells[4]
        elif share is not None and indicator.kind != "milestone":
            # the share of the way from a baseline, and the cell says from which
            baseline = "từ năm gốc" if lang == "vi" else "from the"
            assert cells[4].startswith(f"{format_percent(share, lang)} {baseline} "), cells[4]
        else:
            assert cells[4] == format_percent(share, lang)
        assert cells[5] == status_word(expected["status"], lang)


def test_done_by_2024_is_never_an_older_figure_unsaid(document):
    """The review's example: under «Thực hiện đến năm 2024», the 2020 target's 14 enterprises
    (2020) read as the deadline's figure, with 2024's 24 beside it."""
    lang, doc = document
    cells = {row.cells[1].text: row.cells[3].text for row in targets_table(doc).rows[1:]}
    if lang == "vi":
        assert cells["Số doanh nghiệp được hỗ trợ đổi mới công nghệ"] == (
            "14 doanh nghiệp (năm hạn 2020); mới nhất năm 2024: 24 doanh nghiệp"
        )
        assert cells["Mô hình sản xuất rau công nghệ cao"] == (
            "2 mô hình (năm hạn 2020); mới nhất năm 2024: 3 mô hình"
        )
    else:
        assert cells["Enterprises supported in technology innovation"] == (
            "14 enterprises (2020 deadline); latest in 2024: 24 enterprises"
        )


def test_summary_counts_targets_by_status(document, status_rows):
    lang, doc = document
    bullets = [p.text for p in doc.paragraphs if p.style.name == "List Bullet"]
    counted = {}
    for row in status_rows:
        counted[row["status"]] = counted.get(row["status"], 0) + 1
    for status, n in counted.items():
        unit = "mục tiêu" if lang == "vi" else "target" if n == 1 else "targets"
        assert f"{status_word(status, lang)}: {n} {unit}" in bullets


def test_each_group_is_one_paragraph_of_the_speaker_notes_sentences(document, shipped):
    lang, doc = document
    plan, figures = shipped
    report = prepare(plan, figures, as_of=2024, lang=lang)
    texts = body_texts(doc)
    for indicator in report.ordered_indicators():
        sentences = indicator_sentences(plan, report.rows_of(indicator.id), 2024, lang)
        name = indicator.name if lang == "vi" else indicator.name_en
        if sentences:
            # each sentence closed, so that none runs into the next indicator's name
            said = f"{name}: {' '.join(closed(s) for s in sentences)}"
        else:  # tracked only: its latest figure, and that the plan sets no target
            last = report.points(indicator.id).iloc[-1]
            latest = with_unit(float(last["value"]), indicator, lang)
            said = f"{name}: {latest} ({int(last['year'])}). {t('tracked_only', lang)}."
        holding = [text for text in texts if said in text]
        assert len(holding) == 1, name
    groups = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    for n, group in enumerate(plan.groups, start=1):
        heading = next(
            i.group if lang == "vi" else i.group_en
            for i in plan.indicators
            if (i.group or "") == group
        )
        assert f"{n}. {heading}" in groups


def test_charts_of_the_targets_that_need_attention(written, status_rows):
    doc = Document(str(written[0]))
    wanted = list(dict.fromkeys(r["indicator"] for r in status_rows if r["status"] in ATTENTION))
    pictures = doc.inline_shapes
    assert len(pictures) == len(wanted) > 0
    for picture in pictures:
        assert picture.width <= TEXT_WIDTH  # inside the text column
    captions = [p.text for p in doc.paragraphs if p.text.startswith("Hình ")]
    assert len(captions) == len(wanted)


def test_each_chart_picture_is_described_in_words_for_a_screen_reader(written):
    """python-docx left the pictures undescribed (a screen reader said «Picture 1»): each
    carries its chart's words, as the page's chart does (kpis.chart_alt)."""
    doc = Document(str(written[0]))
    headings = [p.text.split(". ", 1)[1] for p in doc.paragraphs if p.style.name == "Heading 2"]
    described = [picture._inline.docPr for picture in doc.inline_shapes]
    assert described
    for properties in described:
        name, words = properties.get("name"), properties.get("descr") or ""
        assert name in headings, name
        assert words.startswith(f"Biểu đồ: {name}. Số liệu minh họa"), words
        assert "Số liệu mới nhất: " in words and "Mục tiêu: " in words, words


def test_a4_the_decrees_margins_and_page_numbers_from_page_two(document):
    _, doc = document
    (section,) = doc.sections

    def mm(length) -> float:  # Word stores twentieths of a point: compare to 0.1 mm
        return round(length.mm, 1)

    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert 20 <= mm(section.top_margin) <= 25
    assert 20 <= mm(section.bottom_margin) <= 25
    assert 30 <= mm(section.left_margin) <= 35
    assert 15 <= mm(section.right_margin) <= 20
    assert section.different_first_page_header_footer
    assert 'w:instr="PAGE"' in section.header._element.xml
    assert "PAGE" not in section.first_page_header._element.xml


def test_illustrative_figures_are_labelled_on_every_page(document):
    lang, doc = document
    (section,) = doc.sections
    label = (
        "Số liệu minh họa, không phải số liệu báo cáo thực tế"
        if lang == "vi"
        else "Illustrative figures, not reported figures"
    )
    assert section.first_page_footer.paragraphs[0].text == label
    assert section.footer.paragraphs[0].text == label


def test_times_new_roman_13_to_14_pt_through_styles_not_direct_formatting(document):
    _, doc = document
    styles = doc.styles
    for name in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Caption", "List Bullet"):
        style = styles[name]
        fonts = style.element.rPr.find(qn("w:rFonts"))
        assert {fonts.get(qn(f"w:{a}")) for a in ("ascii", "hAnsi", "eastAsia", "cs")} == {
            "Times New Roman"
        }, name
        assert fonts.get(qn("w:asciiTheme")) is None, f"{name}: a theme font would win"
        assert Pt(13) <= style.font.size <= Pt(14), name
    assert styles["Normal"].font.size == Pt(14)
    used = {p.style.name for p in doc.paragraphs}
    assert {"Normal", "Heading 1", "Heading 2", "List Bullet", "Caption"} <= used
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                used |= {p.style.name for p in cell.paragraphs}
    for name in used:  # every style the text uses is Times New Roman at 12-14 pt
        if name == "Đường kẻ":  # the rule under the motto: an empty line, 2 pt
            continue
        size = next(s.font.size for s in _style_chain(styles[name]) if s.font.size is not None)
        assert Pt(12) <= size <= Pt(14), name
    runs = [r for p in doc.paragraphs for r in p.runs]
    runs += [
        r
        for t in doc.tables
        for row in t.rows
        for c in row.cells
        for p in c.paragraphs
        for r in p.runs
    ]
    direct = [r.text for r in runs if r.font.name or r.font.size or r.bold is not None]
    assert direct == [], "formatting belongs to the styles, so a department can restyle"


def _style_chain(style):
    while style is not None:
        yield style
        style = style.base_style


def test_sections_numbered_in_roman_and_the_english_version_has_the_same_structure(shipped):
    plan, figures = shipped
    docs = {
        lang: Document(
            io.BytesIO(
                render_docx(build_written_report(prepare(plan, figures, as_of=2024, lang=lang)))
            )
        )
        for lang in ("vi", "en")
    }
    shapes = {
        lang: (
            [p.style.name for p in doc.paragraphs],
            [(len(t.rows), len(t.columns), t.style.name) for t in doc.tables],
        )
        for lang, doc in docs.items()
    }
    assert shapes["vi"] == shapes["en"]
    headings = [p.text for p in docs["vi"].paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "I. TỔNG HỢP KẾT QUẢ",
        "II. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU",
        "III. ĐÁNH GIÁ THEO NHÓM CHỈ TIÊU",
        "IV. CÁC CHỈ TIÊU CẦN TẬP TRUNG CHỈ ĐẠO",
        "V. NGUỒN SỐ LIỆU",
    ]
    sources = [p.text for p in docs["vi"].paragraphs if p.text.startswith("Mục tiêu: ")]
    assert sources == ["Mục tiêu: Quyết định số 684/QĐ-UBND ngày 16/05/2016 của UBND tỉnh Bắc Kạn."]


def test_every_table_fits_the_text_width(document):
    _, doc = document
    for table in doc.tables:
        grid = table._tbl.tblGrid
        widths = [int(col.get(qn("w:w"))) for col in grid.findall(qn("w:gridCol"))]
        assert sum(widths) * 635 <= TEXT_WIDTH  # twentieths of a point -> EMU
        for row in table.rows:
            assert sum(cell.width for cell in row.cells) <= TEXT_WIDTH


def test_no_browser_still_writes_the_report_without_charts(repo_root, tmp_path):
    import os

    out = tmp_path / "report.docx"
    env = {**os.environ, "BROWSER_PATH": str(tmp_path / "no-browser")}
    result = run_cli("report", "--out", str(out), "--lang", "en", cwd=repo_root, env=env)
    assert result.returncode == 0, result.stderr
    assert "warning: charts left out" in result.stderr
    assert "apt-get install chromium" in result.stderr
    assert "drawing" not in result.stderr
    doc = Document(str(out))
    assert len(doc.inline_shapes) == 0
    assert any(p.text.startswith("(Charts not drawn") for p in doc.paragraphs)


def test_unknown_region_exits_2_and_writes_nothing(repo_root, tmp_path):
    out = tmp_path / "report.docx"
    result = run_cli("report", "--out", str(out), "--region", "Hà Nội", cwd=repo_root)
    assert result.returncode == 2
    assert "Hà Nội" in result.stderr and "Bắc Kạn" in result.stderr
    assert not out.exists()


def test_invalid_figures_exit_1_and_write_nothing(repo_root, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "2024.csv").write_text("indicator,year,value\nno_such_indicator,2024,3\n")
    out = tmp_path / "report.docx"
    result = run_cli(
        "report", "--out", str(out), "--data", str(data), "--lang", "en", cwd=repo_root
    )
    assert result.returncode == 1
    assert "no_such_indicator" in result.stdout + result.stderr
    assert not out.exists()


# --- Rendered by LibreOffice -------------------------------------------------------------------


def to_pdf(docx, folder):
    """The .docx converted by LibreOffice headless, with a private profile (several run at once)."""
    import shutil

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail("LibreOffice (soffice) is needed: apt-get install libreoffice-writer")
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{folder}/lo-profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(docx),
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    pdf = folder / (docx.stem + ".pdf")
    assert result.returncode == 0 and pdf.exists(), result.stderr
    return pdf


def pdf_words(pdf) -> list[list[tuple[float, float, float, float, str]]]:
    """Every word of every page with its box (points), from poppler's pdftotext."""
    import xml.etree.ElementTree as ET

    result = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    root = ET.fromstring(result.stdout)
    namespace = {"x": "http://www.w3.org/1999/xhtml"}
    return [
        [
            (
                float(w.get("xMin")),
                float(w.get("yMin")),
                float(w.get("xMax")),
                float(w.get("yMax")),
                w.text or "",
            )
            for w in page.findall("x:word", namespace)
        ]
        for page in root.iter("{http://www.w3.org/1999/xhtml}page")
    ]


@pytest.mark.slow
def test_libreoffice_renders_it_on_a4_pages_with_nothing_off_the_page(written, tmp_path):
    from PIL import Image

    pdf = to_pdf(written[0], tmp_path)
    pages = pdf_words(pdf)
    # 11 targets, 3 charts: the header block, summary and half the table on page 1, the rest of
    # the table and the groups on 2-3, the charts on 4-5, tasks, sources and signature after.
    # (7 since the six targets past their 2020 deadline give 2024's figure beside 2020's; 8
    # since a chart's heading keeps with its chart, so a chart that does not fit under the
    # last starts a page of its own, heading and all; 9 since section IV shows the target that
    # needs acceleration too, a fourth chart.)
    assert 4 <= len(pages) <= 9, len(pages)
    first = " ".join(w[4] for w in pages[0])
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first and "BÁO CÁO" in first
    assert "Họ và tên" in " ".join(w[4] for w in pages[-1])
    point = 72 / 25.4  # points per mm
    left, right = 30 * point, (210 - 15) * point
    for number, words in enumerate(pages, start=1):
        tops = sorted(words, key=lambda w: w[1])
        page_number = [w[4] for w in tops[:1]]
        if number > 1:  # the page number heads pages 2 onwards (Decree 30)
            assert page_number == [str(number)], page_number
        else:
            assert page_number != ["1"]
        # every word stays within the text column (0.5 mm for glyph overhang)
        outside = [w for w in words if w[0] < left - 1.5 or w[2] > right + 1.5]
        assert outside == [], (number, outside[:5])
        label = " ".join(w[4] for w in words)
        assert "Số liệu minh họa, không phải số liệu báo cáo thực tế" in label, number

    # and nothing drawn (table rules, pictures) runs into the margins: the pixels outside the
    # text column, 1 mm of slack for table borders, are white on every page
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", str(pdf), str(tmp_path / "page")], check=True, timeout=120
    )
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == len(pages)
    for image_path in images:
        image = Image.open(image_path).convert("L")
        width, height = image.size
        px = width / 210  # pixels per mm
        for box in ((0, 0, int(29 * px), height), (int(196 * px), 0, width, height)):
            darkest = image.crop(box).getextrema()[0]
            assert darkest > 200, (image_path.name, box, darkest)


def test_estimates_are_marked_where_status_says_the_figure_is_one(repo_root, data_dir):
    """A 2024 figure marked `ước` (CONTRACT v2 §2): its row says "(ước)" beside the value,
    exactly where `status --format json` reports latest_is_estimate, and nowhere else."""
    import json

    year_file = data_dir / "2024.csv"
    lines = year_file.read_text("utf-8-sig").splitlines()
    marked = [lines[0] + ",estimate"]
    for line in lines[1:]:
        estimate = "ước" if line.startswith(("public_st_orgs,", "st_enterprises,")) else ""
        marked.append(f"{line},{estimate}")
    year_file.write_text("\n".join(marked) + "\n", "utf-8")
    status = run_cli(
        "status", "--format", "json", "--data", str(data_dir), "--as-of", "2024", cwd=repo_root
    )
    assert status.returncode == 0, status.stderr
    flags = [bool(row["latest_is_estimate"]) for row in json.loads(status.stdout)]
    # public_st_orgs' 2030 target and st_enterprises' rest on 2024; the 2020 target on 2020
    assert sum(flags) == 2

    dataset = load_dataset(repo_root / "targets.yaml", data_dir)
    for lang, mark in (("vi", "(ước)"), ("en", "(estimate)")):
        content = build_written_report(prepare(dataset.plan, dataset.figures.table, lang=lang))
        # the figure judged is marked where status says; a later figure beside a past
        # deadline's carries its own mark (public_st_orgs' 2020 target: 2024's estimate)
        shown = [line.done.split("; ")[0].count(mark) for line in content.rows]
        assert shown == [int(flag) for flag in flags]
        orgs_2020 = content.rows[0]
        assert orgs_2020.indicator == "public_st_orgs"  # its 2020 target, first
        assert orgs_2020.done.endswith(
            f"2024: 3 {'tổ chức' if lang == 'vi' else 'organisations'} {mark}"
        )
    row = next(line for line in content.rows if line.indicator == "st_enterprises")
    assert row.done == "2 enterprises (estimate) (2024)"


def test_tasks_counted_and_every_overdue_task_listed_as_status_tasks_says(written, repo_root):
    """The command reads the plan's task progress (issue 16): the summary counts done/total
    and overdue as `status --tasks` judges them, section V lists each overdue task."""
    result = run_cli("status", "--tasks", "--format", "csv", "--as-of", "2024", cwd=repo_root)
    assert result.returncode == 0, result.stderr
    tasks = list(csv.DictReader(io.StringIO(result.stdout)))
    overdue = [row for row in tasks if row["overdue"] == "true"]
    done = sum(row["state"] == "done" for row in tasks)
    doc = Document(str(written[0]))
    bullets = [p.text for p in doc.paragraphs if p.style.name == "List Bullet"]
    summary = f"{done}/{len(tasks)} nhiệm vụ hoàn thành · {len(overdue)} quá hạn"
    assert any(line.startswith(summary) for line in bullets), bullets
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings[-2:] == ["V. NHIỆM VỤ QUÁ HẠN", "VI. NGUỒN SỐ LIỆU"]
    texts = [p.text for p in doc.paragraphs]
    listed = texts[texts.index(headings[-2]) + 1 : texts.index(headings[-1])]
    assert len(listed) == len(overdue) > 0
    for line, row in zip(listed, overdue, strict=True):  # plan order, each with its deadline
        year, month, day = row["deadline"].split("-")
        assert f"thời hạn {day}/{month}/{year}" in line, (line, row)


def test_a_targets_quoted_words_open_their_sentence_with_a_capital(repo_root):
    # «… mục tiêu trên 60% vào năm 2025. trên 60% vào năm 2025: «…»» read as a sentence begun
    # in lower case, in the middle of the group's paragraph
    dataset = load_dataset(
        repo_root / "plans" / "thai-nguyen-57-2025.yaml", repo_root / "data", also_known=set()
    )
    report = prepare(dataset.plan, dataset.figures.table, as_of=2025, lang="vi")
    paragraphs = " ".join(group.text for group in build_written_report(report).groups)
    assert "2025. Trên 60% vào năm 2025: «tỷ lệ phủ sóng 5G trên toàn tỉnh đạt trên 60%»." in (
        paragraphs
    )
    assert ". trên " not in paragraphs


def test_each_chart_is_drawn_at_its_own_height_with_no_text_under_8_pt_on_paper(written, shipped):
    # The printed report's Hình 1: drawn 880x495 px whatever its layout, its legend «Số liệu /
    # Mục tiêu» sat on the «Nguồn: …» line under it, and its text printed at 5-6 pt.
    from PIL import Image

    from kpis.charts import SIZES
    from kpis.report import CHART_PX, build_written_report
    from kpis.slides import chart_for

    report = prepare(*shipped, as_of=2024)
    figures = [
        chart_for(report, e.slide, size="report") for e in build_written_report(report).charts
    ]
    doc = Document(str(written[0]))
    pictures = doc.inline_shapes
    assert len(pictures) == len(figures) > 0
    for picture, figure in zip(pictures, figures, strict=True):
        blob = doc.part.related_parts[picture._inline.graphic.graphicData.pic.blipFill.blip.embed]
        width, height = Image.open(io.BytesIO(blob.blob)).size
        scale = width / CHART_PX
        # as tall as its layout, which places the legend and the footer clear of each other
        assert height / scale == pytest.approx(figure.layout.height, abs=1)
        points_per_px = picture.width.pt / CHART_PX
        sizes = [figure.layout.font.size, figure.layout.legend.font.size]
        sizes += [a.font.size for a in figure.layout.annotations if a.font.size]
        assert min(sizes) * points_per_px >= 8, (min(sizes), points_per_px)
    assert SIZES["report"].footer * points_per_px >= 8


def _opening(doc) -> str:
    texts = body_texts(doc)
    return texts[2]  # after «BÁO CÁO» and the subject


def test_the_opening_says_the_shipped_figures_are_illustrative(document):
    """Every shipped Bắc Kạn figure is «Minh họa»: the first sentence must not call them
    reported figures."""
    lang, doc = document
    opening = _opening(doc)
    if lang == "vi":
        assert "từ số liệu minh họa (không phải số liệu báo cáo thực tế)" in opening
        assert "số liệu đã báo cáo" not in opening
    else:
        assert "compiled from illustrative figures (not reported figures)" in opening
        assert "figures reported" not in opening


def test_the_opening_counts_the_illustrative_figures_when_only_some_are(repo_root, data_dir):
    year_file = data_dir / "2024.csv"
    lines = year_file.read_text("utf-8-sig").splitlines()
    reported = "Báo cáo 12/BC-SKHCN ngày 10/01/2025"
    lines[1:4] = [
        line.replace("Minh họa – không phải số liệu thực tế", reported, 1) for line in lines[1:4]
    ]
    year_file.write_text("\n".join(lines) + "\n", "utf-8")
    dataset = load_dataset(repo_root / "targets.yaml", data_dir)
    table = dataset.figures.table
    shown = table[(table["region"] == "Bắc Kạn") & (table["year"] <= 2024)]
    illustrative = len(shown) - 3
    expected = {
        "vi": f"từ {len(shown)} số liệu, trong đó {illustrative} số liệu minh họa "
        "(không phải số liệu báo cáo thực tế)",
        "en": f"compiled from {len(shown)} figures, {illustrative} of them illustrative "
        "(not reported figures)",
    }
    for lang, words in expected.items():
        content = build_written_report(prepare(dataset.plan, table, as_of=2024, lang=lang))
        assert words in _opening(Document(io.BytesIO(render_docx(content))))


def test_a_report_after_the_merger_is_dated_from_the_successor_and_says_why(document):
    """Read back from the written file: the place line is Thái Nguyên's, the issuer is left
    for the clerk, and the first sentence says whose figures these are."""
    lang, doc = document
    assert doc.tables[0].cell(1, 1).text.startswith("Thái Nguyên, ")
    assert "BẮC KẠN" not in doc.tables[0].cell(0, 0).text.upper()
    assert _opening(doc).startswith(
        "Từ ngày 01/07/2025, Bắc Kạn đã sáp nhập vào Thái Nguyên; số liệu trong báo cáo là "
        "số liệu của Bắc Kạn trước khi sáp nhập. Căn cứ "
        if lang == "vi"
        else "Since 01/07/2025, Bắc Kạn has been part of Thái Nguyên; the figures in this "
        "report are those of Bắc Kạn before the merger. Under "
    )


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_report_before_the_merger_is_dated_from_the_province(shipped, lang, tmp_path):
    content = build_written_report(
        prepare(*shipped, as_of=2024, lang=lang, made=dt.date(2025, 6, 30))
    )
    out = tmp_path / "before.docx"
    out.write_bytes(render_docx(content))
    doc = Document(str(out))
    assert doc.tables[0].cell(1, 1).text == place_and_date("Bắc Kạn", dt.date(2025, 6, 30), lang)
    assert _opening(doc).startswith("Căn cứ " if lang == "vi" else "Under ")


def test_reported_figures_are_called_reported(repo_root):
    """Lạng Sơn's figures come from its plan's own report: the opening says so, unqualified."""
    dataset = load_dataset(
        repo_root / "plans" / "lang-son-147-2023.yaml", repo_root / "data", also_known=set()
    )
    content = build_written_report(prepare(dataset.plan, dataset.figures.table, lang="vi"))
    opening = _opening(Document(io.BytesIO(render_docx(content))))
    assert "được tổng hợp từ số liệu đã báo cáo như sau:" in opening
    assert "minh họa" not in opening


def test_with_no_progress_reported_the_summary_says_so_and_who_is_unreported(written):
    # «0/64 nhiệm vụ hoàn thành · 20 quá hạn», then «chưa báo cáo: 64»: no subject, and the
    # overdue count read as reported
    bullets = [
        p.text for p in Document(str(written[0])).paragraphs if p.style.name == "List Bullet"
    ]
    assert "64 nhiệm vụ chưa được báo cáo tiến độ" in bullets
    assert (
        "Chưa có báo cáo tiến độ nhiệm vụ nào: nhiệm vụ quá hạn là quá thời hạn, chưa được "
        "đơn vị báo cáo."
    ) in bullets
    assert not any(line.startswith("chưa báo cáo:") for line in bullets)


def test_every_date_reads_dd_mm_yyyy_in_both_languages(document):
    # The English report cited «Decision No. 684/QĐ-UBND of 2016-05-16» beside «31/12/2024»
    import re

    lang, doc = document
    texts = body_texts(doc) + [cell.text for table in doc.tables for cell in table._cells]
    assert [t for t in texts if re.search(r"\b(19|20)\d\d-\d\d-\d\d\b", t)] == []
    assert any("16/05/2016" in t for t in texts)


@pytest.mark.parametrize(
    ("lang", "figure", "missed"),
    [
        ("vi", "58,7% (ước) năm 2025", "Không đạt (theo số ước)"),
        ("en", "58.7% (estimate) in 2025", "Missed (on the estimate)"),
    ],
)
def test_an_estimate_and_a_verdict_resting_on_it_say_so_in_the_text(
    repo_root, lang, figure, missed
):
    # Thái Nguyên's 2025 broadband figure is a full-year estimate: sections III and IV said
    # «Không đạt: 58,7% năm 2025» and «trên 60% vào năm 2025: Không đạt.», as if reported
    dataset = load_dataset(
        repo_root / "plans" / "thai-nguyen-57-2025.yaml", repo_root / "data", also_known=set()
    )
    report = prepare(dataset.plan, dataset.figures.table, as_of=2025, lang=lang)
    doc = Document(io.BytesIO(render_docx(build_written_report(report))))
    texts = [p.text for p in doc.paragraphs]
    groups = " ".join(p.text for p in doc.paragraphs if p.style.name == "Normal")
    assert f"{missed}: {figure}" in groups
    target = "trên 60% vào năm 2025" if lang == "vi" else "more than 60% by 2025"
    assert f"{target}: {missed}." in texts
    table = next(t for t in doc.tables if t.style.name == STYLE_TABLE)
    row = next(
        r for r in table.rows if any("(ước)" in c.text or "(estimate)" in c.text for c in r.cells)
    )
    assert row.cells[-1].text == missed
    # every paragraph that gives 58,7 says it is an estimate
    for text in texts:
        if "58,7" in text or "58.7" in text:
            assert "(ước)" in text or "(estimate)" in text, text


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_section_four_lists_a_target_that_needs_acceleration_after_the_missed_ones(shipped, lang):
    # «Số tổ chức KH&CN công lập ≥ 5 vào năm 2030 — ⚠ Cần đẩy nhanh», flagged on the deck and
    # the pages, was missing from the report's «targets needing attention»
    plan, table = shipped
    report = prepare(plan, table, as_of=2024, lang=lang)
    doc = Document(io.BytesIO(render_docx(build_written_report(report))))
    paragraphs = [(p.style.name, p.text) for p in doc.paragraphs]
    starts = [n for n, (style, _) in enumerate(paragraphs) if style == "Heading 1"]
    section = paragraphs[starts[3] : starts[4]]
    headings = [text for style, text in section if style == "Heading 2"]
    bullets = [text for style, text in section if style == "List Bullet"]
    orgs = plan.indicator("public_st_orgs").text("name", lang)
    unit = "tổ chức vào năm" if lang == "vi" else "organisations by"
    needs = status_word("needs_acceleration", lang)
    assert f"≥ 5 {unit} 2030: {needs}." in bullets
    assert headings[-1] == f"{len(headings)}. {orgs}"  # after the missed and off-track ones
    missed = status_word("missed", lang)
    first = section.index(("Heading 2", headings[0]))
    assert section[first + 1][1].endswith(f": {missed}.")


SHIPPED_PLANS = [("targets.yaml", 2024), ("plans/thai-nguyen-57-2025.yaml", 2025)]


def _table_words(repo_root, plan_file, as_of, lang):
    """The report's content and each column's words, the header's first (it is bold)."""
    dataset = load_dataset(repo_root / plan_file, repo_root / "data", also_known=set())
    content = build_written_report(
        prepare(dataset.plan, dataset.figures.table, as_of=as_of, lang=lang)
    )
    cells = [
        (str(r.number), r.name, r.target, r.done, r.progress, r.status_word) for r in content.rows
    ]
    columns = [[head, *(row[k] for row in cells)] for k, head in enumerate(content.columns)]
    return content, columns


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize(("plan_file", "as_of"), SHIPPED_PLANS)
def test_every_word_of_the_table_fits_its_column_whole(repo_root, plan_file, as_of, lang):
    # Liberation Serif has Times New Roman's widths (what LibreOffice draws it with)
    from PIL import ImageFont

    from kpis.report import TABLE_COLUMNS_MM

    folder = "/usr/share/fonts/truetype/liberation"
    try:
        fonts = [
            ImageFont.truetype(f"{folder}/LiberationSerif-{s}.ttf", 1300)
            for s in ("Bold", "Regular")
        ]
    except OSError:
        pytest.skip("Liberation Serif is not installed (fonts-liberation)")
    margins_mm = 2 * 1.905  # the table style's 108 twips each side
    _, columns = _table_words(repo_root, plan_file, as_of, lang)
    for width, texts in zip(TABLE_COLUMNS_MM, columns, strict=True):
        for n, text in enumerate(texts):
            font = fonts[0] if n == 0 else fonts[1]
            for word in text.split():
                needs = font.getlength(word) / 100 * 25.4 / 72 + margins_mm  # at 13 pt, in mm
                assert needs <= width, (word, round(needs, 1), width)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize(("plan_file", "as_of"), SHIPPED_PLANS)
def test_libreoffice_breaks_no_word_of_the_table(repo_root, tmp_path, plan_file, as_of, lang):
    # report-en, Table 1, «Achieved by 2024»: «3 organisatio / ns (2020 deadline)»
    # (counted: «organisations» whole in the name column hid it broken in the next one)
    from collections import Counter
    from dataclasses import replace

    content, columns = _table_words(repo_root, plan_file, as_of, lang)
    docx = tmp_path / "report.docx"
    docx.write_bytes(render_docx(replace(content, groups=(), charts=(), overdue=None)))

    # a line may end after an en dash («mỗi năm 2016– / 2030»), as after a hyphen
    def pieces(words):
        return Counter(piece for word in words for piece in re.split("(?<=–)", word) if piece)

    seen = pieces(w[4] for page in pdf_words(to_pdf(docx, tmp_path)) for w in page)
    table = pieces(word for texts in columns for text in texts for word in text.split())
    assert {word: n for word, n in table.items() if seen[word] < n} == {}
