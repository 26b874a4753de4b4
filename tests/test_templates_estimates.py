"""kpis.templates and the estimate marks: the year's template carries the saved figures and
their marks, so sent back unchanged it changes nothing, and a mark emptied in it is listed as a
change before it is saved.

Real files, as staff send them: the CSV as downloaded, the .xlsx opened and saved with
openpyxl, and the .xlsx saved by LibreOffice Calc; imported into a copy of the shipped figures
and read back as the dashboard reads them.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kpis import store, templates
from kpis.figures import read_figures
from kpis.plan import load_plan
from tests.helpers import libreoffice

REPO = Path(__file__).resolve().parents[1]

# The half-year report: two estimates (one whole, one with a decimal) and one reported figure.
SAVED = (
    "chỉ tiêu,năm,giá trị,nguồn,ghi chú,ước tính\n"
    "public_st_orgs,2025,3,Báo cáo 6 tháng,,x\n"
    "st_investment,2025,81000.5,Báo cáo 6 tháng,ước cả năm,x\n"
    "hightech_vegetable_models,2025,4,Báo cáo 6 tháng,,\n"
)
KINDS = ["csv", "openpyxl", "libreoffice"]


@pytest.fixture(scope="module")
def plan():
    return load_plan(REPO / "targets.yaml")[0]


def send(data_dir: Path, plan, raw: bytes, name: str) -> tuple[store.ImportPlan, object]:
    table, problems = store.parse_upload(raw, name, plan)
    return store.import_figures(data_dir, plan, table, problems, "an", accept_warnings=True)


def saved_marks(data_dir: Path, plan) -> dict[str, bool]:
    table = read_figures(data_dir, plan).table
    year = table[table["year"] == 2025]
    return dict(zip(year["indicator"], year["estimate"].astype(bool), strict=True))


def as_sent(kind: str, template: bytes, tmp_path: Path, clear: str | None = None) -> bytes:
    """The template as a member of staff sends it back (`clear`: that indicator's estimate
    cell emptied first): the CSV as downloaded, the .xlsx saved by openpyxl, or by LibreOffice."""
    if kind == "csv":
        text = template.decode("utf-8-sig")
        if clear:
            text = "\r\n".join(
                line.removesuffix(",x") if line.startswith(f"{clear},") else line
                for line in text.split("\r\n")
            )
        return text.encode("utf-8-sig")
    book = load_workbook(io.BytesIO(template))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if clear and row[0].value == clear:
            row[header.index("ước tính")].value = None
    out = io.BytesIO()
    book.save(out)
    if kind == "openpyxl":
        return out.getvalue()
    (tmp_path / "sent.xlsx").write_bytes(out.getvalue())
    libreoffice([tmp_path / "sent.xlsx"], "xlsx", tmp_path / "lo")
    return (tmp_path / "lo" / "sent.xlsx").read_bytes()


def template_of(data_dir: Path, plan, kind: str) -> bytes:
    table = read_figures(data_dir, plan).table
    if kind == "csv":
        return templates.template_csv(plan, table, 2025)
    return templates.template_xlsx(plan, table, 2025)


def test_the_template_shows_the_years_saved_figures_with_their_marks(data_dir, plan):
    send(data_dir, plan, SAVED.encode(), "mau.csv")
    frame = templates.template_frame(plan, read_figures(data_dir, plan).table, 2025)
    rows = frame.set_index("indicator")
    assert rows.loc["public_st_orgs", ["value", "estimate"]].tolist() == [3.0, "x"]
    assert rows.loc["st_investment", ["value", "estimate"]].tolist() == [81000.5, "x"]
    assert rows.loc["hightech_vegetable_models", ["value", "estimate"]].tolist() == [4.0, ""]
    assert rows.loc["biotech_lab", ["value", "estimate"]].tolist() == ["", ""]  # none saved
    # Sources and notes are not carried: an empty cell keeps them for an unchanged value.
    assert (frame["source"] == "").all() and (frame["note"] == "").all()
    text = templates.template_csv(plan, read_figures(data_dir, plan).table, 2025)
    lines = text.decode("utf-8-sig").splitlines()
    assert next(line for line in lines if line.startswith("st_investment,")).endswith(
        ",2025,81000.5,,,x"
    )


@pytest.mark.parametrize("kind", KINDS)
def test_a_template_sent_back_unchanged_keeps_every_mark_and_changes_nothing(
    data_dir, plan, kind, tmp_path
):
    send(data_dir, plan, SAVED.encode(), "mau.csv")
    before = (data_dir / "2025.csv").read_bytes()
    raw = as_sent(kind, template_of(data_dir, plan, kind), tmp_path)
    name = "mau-so-lieu-2025.csv" if kind == "csv" else "mau-so-lieu-2025.xlsx"
    table, problems = store.parse_upload(raw, name, plan)
    planned = store.plan_import(data_dir, plan, table, problems)
    assert planned.problems == []
    assert (len(planned.added), len(planned.changed)) == (0, 0)
    assert sorted(planned.unchanged["indicator"]) == [
        "hightech_vegetable_models",
        "public_st_orgs",
        "st_investment",
    ]
    assert not planned.has_changes
    send(data_dir, plan, raw, name)
    assert (data_dir / "2025.csv").read_bytes() == before
    assert saved_marks(data_dir, plan) == {
        "public_st_orgs": True,
        "st_investment": True,
        "hightech_vegetable_models": False,
    }


@pytest.mark.parametrize("kind", KINDS)
def test_a_mark_emptied_in_the_template_is_listed_as_a_change_then_saved(
    data_dir, plan, kind, tmp_path
):
    """The reported figure came in at the same number: the sender empties the «ước tính» cell
    the template shows. The preview lists the one change, «estimate», «3 (ước)» → «3»; saved,
    the mark is off that figure only, its source and note kept."""
    send(data_dir, plan, SAVED.encode(), "mau.csv")
    raw = as_sent(kind, template_of(data_dir, plan, kind), tmp_path, clear="public_st_orgs")
    name = "mau-so-lieu-2025.csv" if kind == "csv" else "mau-so-lieu-2025.xlsx"
    table, problems = store.parse_upload(raw, name, plan)
    planned = store.plan_import(data_dir, plan, table, problems)
    assert [p.message_en for p in planned.problems] == []
    assert len(planned.added) == 0 and len(planned.unchanged) == 2
    [change] = planned.changed.to_dict("records")
    assert (change["indicator"], change["fields"]) == ("public_st_orgs", "estimate")
    assert (change["old"], change["old_estimate"], change["new"], change["estimate"]) == (
        3.0,
        True,
        3.0,
        False,
    )
    assert saved_marks(data_dir, plan)["public_st_orgs"]  # nothing saved by the preview

    send(data_dir, plan, raw, name)
    assert saved_marks(data_dir, plan) == {
        "public_st_orgs": False,
        "st_investment": True,
        "hightech_vegetable_models": False,
    }
    lines = (data_dir / "2025.csv").read_text(encoding="utf-8-sig").splitlines()
    assert "public_st_orgs,Bắc Kạn,2025,3,Báo cáo 6 tháng,," in lines
    assert "st_investment,Bắc Kạn,2025,81000.5,Báo cáo 6 tháng,ước cả năm,x" in lines
    last = store.read_audit(data_dir)[-1]
    assert (last["old"], last["old_estimate"], last["new"], last["new_estimate"]) == (
        "3",
        "x",
        "3",
        "",
    )


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_thai_nguyen_templates_estimates_come_back_unchanged(lang, tmp_path):
    """The shipped Thái Nguyên figures hold estimates with decimals: each year's template,
    saved by LibreOffice, comes back with every figure and mark as saved."""
    plan = load_plan(REPO / "plans" / "thai-nguyen-57-2025.yaml")[0]
    table = read_figures(REPO / "data" / "thai-nguyen.csv", plan).table
    region = table[table["region"] == plan.plan.region]
    year = int(region.loc[region["estimate"].astype(bool), "year"].max())
    (tmp_path / "mau.xlsx").write_bytes(templates.template_xlsx(plan, table, year, lang))
    libreoffice([tmp_path / "mau.xlsx"], "xlsx", tmp_path / "lo")
    back, problems = store.parse_upload((tmp_path / "lo" / "mau.xlsx").read_bytes(), "m.xlsx", plan)
    assert problems == []
    saved = region[region["year"] == year].set_index("indicator")
    sent = back.set_index("indicator")
    assert sorted(sent.index) == sorted(saved.index)
    assert (sent["value"] == saved.loc[sent.index, "value"]).all()
    assert (sent["estimate"] == saved.loc[sent.index, "estimate"].astype(bool)).all()
    assert sent["estimate"].any()
