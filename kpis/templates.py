"""Files staff fill or take away: the yearly template and the all-figures export, CSV and .xlsx.

Both come back in through the one reader (`kpis.figures.parse_figures_bytes`): their columns are
CONTRACT.md's (`name` is read as a note for people), plus `unit` and `last_year_value`, hints
that `kpis.store.parse_upload` does not warn about. CSV is UTF-8 with BOM so that Excel on
Windows shows Vietnamese; every text cell is neutralised against spreadsheet formulas.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection

import numpy as np
import pandas as pd

from kpis.agencies import may_write
from kpis.plan import Plan
from kpis.safe_cells import neutralise_cell, neutralise_frame
from kpis.store import ESTIMATE_MARK, format_value

TEMPLATE_COLUMNS = [
    "indicator",
    "name",
    "unit",
    "last_year_value",
    "region",
    "year",
    "value",
    "source",
    "note",
    "estimate",
]
# The template's headers for Vietnamese staff: names the reader accepts (CONTRACT.md §2), and
# the two hint columns it is told not to warn about (kpis.store.TEMPLATE_HINT_COLUMNS).
HEADERS_VI = {
    "indicator": "chỉ tiêu",
    "name": "tên chỉ tiêu",
    "unit": "đơn vị",
    "last_year_value": "giá trị năm trước",
    "region": "địa bàn",
    "year": "năm",
    "value": "giá trị",
    "source": "nguồn",
    "note": "ghi chú",
    "estimate": "ước tính",
}
EXPORT_COLUMNS = [
    "indicator",
    "name",
    "unit",
    "region",
    "year",
    "value",
    "source",
    "note",
    "estimate",
]


def template_frame(
    plan: Plan,
    table: pd.DataFrame,
    year: int,
    lang: str = "vi",
    agencies: Collection[str] | None = None,
) -> pd.DataFrame:
    """One row per indicator that takes figures (derived ones are computed), its value empty
    unless the plan region's figure of `year` is saved: then that value, and `x` in `estimate`
    when it is saved as an estimate.

    `last_year_value` is the plan region's figure of `year - 1`, as a hint. `agencies`: those
    of an editor limited to them (None: anyone), whose template holds only the indicators
    they may write (`kpis.agencies.may_write`): filled in as given, it is not refused.
    """
    region = plan.plan.region
    last = table[(table["year"] == year - 1) & (table["region"] == region)]
    last_values = dict(zip(last["indicator"], last["value"], strict=False))
    # The year's saved figures come with their estimate marks. An import takes the mark from
    # the file (CONTRACT.md §2: an empty cell is not an estimate), so a template that left
    # them out took the mark off every estimate whose figure was typed in again: sent back
    # unchanged it changes nothing, and a mark goes only where its cell is emptied. Sources
    # and notes stay empty: an empty cell keeps them for an unchanged value (kpis.store).
    this = table[(table["year"] == year) & (table["region"] == region)]
    saved_values = dict(zip(this["indicator"], this["value"], strict=False))
    marked = (
        set(this.loc[this["estimate"].fillna(False).astype(bool), "indicator"])
        if "estimate" in this.columns
        else set()
    )
    rows = []
    for indicator in plan.indicators:
        if indicator.is_derived or not may_write(plan, indicator.id, agencies):
            continue
        hint = last_values.get(indicator.id)
        rows.append(
            {
                "indicator": indicator.id,
                "name": indicator.text("name", lang),
                "unit": indicator.text("unit", lang),
                "last_year_value": float("nan") if hint is None else float(hint),
                "region": region,
                "year": year,
                "value": (
                    float(saved_values[indicator.id]) if indicator.id in saved_values else ""
                ),
                "source": "",
                "note": "",
                "estimate": ESTIMATE_MARK if indicator.id in marked else "",
            }
        )
    return pd.DataFrame(rows, columns=TEMPLATE_COLUMNS)


def export_frame(plan: Plan, table: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """Every figure with the indicator's name and unit, sorted as canonical CSV is."""
    names = {i.id: i.text("name", lang) for i in plan.indicators}
    units = {i.id: i.text("unit", lang) for i in plan.indicators}
    out = table.sort_values(["indicator", "region", "year"], kind="stable")
    return pd.DataFrame(
        {
            "indicator": out["indicator"],
            "name": out["indicator"].map(names),
            "unit": out["indicator"].map(units),
            "region": out["region"],
            "year": out["year"],
            "value": out["value"],
            "source": out["source"],
            "note": out["note"],
            # Version 2: an estimate keeps its mark on the way out and back in (CONTRACT.md §2).
            "estimate": (
                np.where(out["estimate"].astype(bool), ESTIMATE_MARK, "")
                if "estimate" in out.columns
                else ""
            ),
        },
        columns=EXPORT_COLUMNS,
    ).reset_index(drop=True)


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM, comma, decimal point; text that could run as a formula neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # Excel on Windows expects CRLF
    writer.writerow([neutralise_cell(str(c)) for c in frame.columns])
    for row in frame.itertuples(index=False):
        writer.writerow([_csv_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _csv_cell(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return format_value(value)
    return str(neutralise_cell(value))


def to_xlsx_bytes(frame: pd.DataFrame, sheet: str, notes: list[str] | None = None) -> bytes:
    """An .xlsx whose first sheet is `frame` (read back by the one reader); `notes` on a second.

    Text cells are written as text (openpyxl would otherwise store a leading "=" as a formula)
    and neutralised, so that the file runs nothing when opened.
    """
    from openpyxl import Workbook  # only callers that make a workbook pay for the import
    from openpyxl.styles import Font, PatternFill

    workbook = Workbook()
    data = workbook.active
    data.title = sheet[:31]
    safe = neutralise_frame(frame)
    data.append(list(safe.columns))
    for row in safe.itertuples(index=False):
        data.append(
            [
                None
                if (isinstance(v, float) and pd.isna(v)) or v == ""
                else (int(v) if isinstance(v, float) and v.is_integer() else v)
                for v in row
            ]
        )
    for cell in data[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE6F0")
    data.freeze_panes = "A2"
    for index, column in enumerate(safe.columns, start=1):
        width = max([len(str(column))] + [len(str(v)) for v in safe[column].head(200)])
        data.column_dimensions[data.cell(1, index).column_letter].width = min(60, width + 2)
    if notes:
        guide = workbook.create_sheet("Hướng dẫn - Guide")
        for line in notes:
            guide.append([neutralise_cell(line)])
        guide.column_dimensions["A"].width = 110
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def template_notes(plan: Plan, year: int) -> list[str]:
    """The guide sheet of the .xlsx template, Vietnamese then English."""
    return [
        f"Mẫu nhập số liệu năm {year} – {plan.plan.document_text('vi')}",
        "1. Ghi giá trị vào cột «giá trị» (value) của trang tính đầu tiên; mỗi dòng là một chỉ "
        "tiêu.",
        "2. Không dùng dấu phân cách hàng nghìn: viết 3187, không viết 3.187 (81.500 được đọc là "
        "81,5). Số thập phân: 1,5 hoặc 1.5. Không định dạng ô thành phần trăm hay ngày tháng.",
        "3. Chưa có số liệu thì để trống ô giá trị (không ghi -, x, 0).",
        "4. Ghi nguồn (văn bản, số, ngày) vào cột «nguồn» (source). Số ước thực hiện (chưa phải "
        "số báo cáo chính thức): ghi x vào cột «ước tính» (estimate); số chính thức: để trống. "
        "Số đã lưu của năm có sẵn trong mẫu, số ước có x: gửi lại nguyên như vậy thì không có "
        "gì thay đổi; có số chính thức thay số ước thì ghi số đó và xoá x.",
        "5. Không sửa các cột «chỉ tiêu», «năm» và dòng tiêu đề; cột «tên chỉ tiêu», «đơn vị», "
        "«giá trị năm trước» chỉ để tham khảo. Không thêm dòng tổng cộng.",
        "6. Lưu tệp (.xlsx) rồi tải lên trang «Cập nhật số liệu», xem trước và bấm Lưu.",
        "",
        f"Figures template for {year} – {plan.plan.document_text('en')}",
        "1. Write each value in the «value» column of the first sheet; one row per indicator.",
        "2. No thousands separator: 3187, not 3,187. Decimals: 1.5 or 1,5.",
        "3. Leave the value empty if not reported (not -, x or 0).",
        "4. Give the source (document, number, date) in «source». An estimate (not yet the "
        "reported figure): write x in «estimate»; a reported figure: leave it empty. The "
        "year's saved figures are already in the template, estimates marked x: sent back as "
        "they are, nothing changes; when the reported figure replaces an estimate, write it and "
        "delete the x.",
        "5. Do not change indicator or year; name, unit and last_year_value are hints.",
        "6. Save (.xlsx), upload it on the «Update figures» page, check the preview and save.",
    ]


def headed(frame: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """The template with its headers in `lang`: Vietnamese names the reader accepts, or the
    contract's English ones."""
    return frame.rename(columns=HEADERS_VI) if lang != "en" else frame


def template_csv(
    plan: Plan,
    table: pd.DataFrame,
    year: int,
    lang: str = "vi",
    agencies: Collection[str] | None = None,
) -> bytes:
    """The year's template as CSV, names and headers in `lang` (the English template: "en");
    `agencies`: only their indicators (`template_frame`)."""
    return to_csv_bytes(headed(template_frame(plan, table, year, lang, agencies), lang))


def template_xlsx(
    plan: Plan,
    table: pd.DataFrame,
    year: int,
    lang: str = "vi",
    agencies: Collection[str] | None = None,
) -> bytes:
    """The year's template as .xlsx, names and headers in `lang`, with a guide sheet;
    `agencies`: only their indicators (`template_frame`)."""
    return to_xlsx_bytes(
        headed(template_frame(plan, table, year, lang, agencies), lang),
        f"{year}",
        template_notes(plan, year),
    )


def export_csv(plan: Plan, table: pd.DataFrame, lang: str = "vi") -> bytes:
    return to_csv_bytes(export_frame(plan, table, lang))


def export_xlsx(plan: Plan, table: pd.DataFrame, lang: str = "vi") -> bytes:
    return to_xlsx_bytes(export_frame(plan, table, lang), "figures")
