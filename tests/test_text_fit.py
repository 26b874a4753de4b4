"""Estimated wrapping: a text's lines in a box, erring long rather than short."""

from __future__ import annotations

import pytest

from kpis.text_fit import text_height_pt, wrapped_lines


@pytest.mark.parametrize(
    ("text", "width_pt", "size_pt", "bold", "lines"),
    [
        ("", 100, 14, False, 1),  # an empty cell still takes a line
        ("5G coverage", 266, 14, False, 1),
        # Thái Nguyên's indicator LibreOffice drew on three lines in the 3.85 in column
        (
            "Administrative procedures handled regardless of administrative boundaries",
            266,
            14,
            False,
            3,
        ),
        ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 84, 14, False, 7),
        ("one\ntwo", 500, 14, False, 2),  # a paragraph break is a new line
        ("≈ 20 doanh nghiệp vào năm 2020", 272, 15, True, 2),  # the side panel's target
    ],
)
def test_wrapped_lines(text, width_pt, size_pt, bold, lines):
    assert wrapped_lines(text, width_pt, size_pt, bold=bold) == lines


def test_bold_is_wider_and_height_is_lines_times_line_height():
    text = "Cán bộ, công chức cấp xã được đào tạo kỹ năng số cơ bản"
    assert wrapped_lines(text, 200, 14, bold=True) >= wrapped_lines(text, 200, 14)
    assert text_height_pt("a", 100, 10) == pytest.approx(12)


@pytest.mark.parametrize(
    ("text", "drawn"),
    [
        # The scorecard's progress cells since they say from which baseline, as LibreOffice
        # drew them in the Thái Nguyên deck's 1.3 in column (1.14 in inside its margins, 14 pt)
        ("100% from the 2024 baseline; at 80%, not yet above", 5),
        ("100% từ năm gốc 2024; bằng 80%, chưa vượt", 5),
        ("300% from the 2024 baseline", 3),
        ("300% từ năm gốc 2024", 3),
    ],
)
def test_progress_cells_are_estimated_at_least_as_tall_as_drawn(text, drawn):
    from kpis.slides import SCORECARD_TABLE as layout

    width = (layout.widths[3] - 2 * layout.margin_x) * 72
    assert wrapped_lines(text, width, layout.size) >= drawn
