"""Mojibake: text decoded with the wrong code page is found and named, never saved.

The damaged strings are written as they are seen in the wild (TCVN3 «Së Khoa häc vµ C«ng nghÖ»,
VNI «Sôû Khoa hoïc vaø Coâng ngheä», the issue's «B¯c K¡n»), not made with this module's tables.
"""

from __future__ import annotations

import pytest

from kpis import store
from kpis.mojibake import diagnose, suspicious
from kpis.plan import load_plan

MEANT = "Sở Khoa học và Công nghệ tỉnh Bắc Kạn"
SEEN = {
    "tcvn3": "Së Khoa häc vµ C«ng nghÖ tØnh B¾c K¹n",
    "vni": "Sôû Khoa hoïc vaø Coâng ngheä tænh Baéc Kaïn",
    "utf8_as_1252": "Sá»Ÿ Khoa há»\x8dc vÃ\xa0 CÃ´ng nghá»‡ tá»‰nh Báº¯c Káº¡n",
    # Each character's low byte: U+1EDF «ở» -> 0xDF «ß».
    "low_byte": "Sß Khoa hÍc và Công nghÇ tÉnh B¯c K¡n",
}


@pytest.mark.parametrize("kind", list(SEEN))
def test_each_damage_is_found_named_and_undone(kind):
    text = SEEN[kind]
    assert suspicious(text)
    found = diagnose([text])
    assert (found.kind, found.repaired) == (kind, MEANT)


def test_letters_turned_into_question_marks_are_found():
    assert suspicious("B?c K?n") and diagnose(["B?c K?n"]).kind == "lost"


@pytest.mark.parametrize(
    "text",
    [
        MEANT,
        "BẮC KẠN",
        "Minh họa – không phải số liệu thực tế (illustrative, not from a real report)",
        "«Báo cáo» số 12/BC-SKHCN ngày 20/11/2025; ≥ 2% · 3 m² … “trích” ‘dẫn’ 5 €/₫",
        "quân, thuê, tiên, nguyên, hoá, quá, màu, khuya, người",
        "Có đúng không? Có.",
    ],
)
def test_vietnamese_as_people_write_it_is_not_suspicious(text):
    assert not suspicious(text)


@pytest.fixture(scope="module")
def plan(repo_root):
    return load_plan(repo_root / "targets.yaml")[0]


@pytest.mark.parametrize("kind", ["tcvn3", "vni"])
def test_a_legacy_encoded_csv_is_one_error_naming_the_encoding_and_the_fix(plan, kind):
    raw = (
        "indicator,year,value,region,source\n"
        f"public_st_orgs,2024,3,,{SEEN[kind]}\n"
        "biotech_lab,2024,1,,Ghi chú\n"
    ).encode("cp1252")
    table, problems = store.parse_upload(raw, "so-lieu.csv", plan)
    assert len(table) == 0
    [problem] = problems
    assert (problem.file, problem.line, problem.column) == ("so-lieu.csv", 2, "source")
    message = problem.message("vi")
    assert f"lẽ ra là «{MEANT}»" in message
    assert ("TCVN3" if kind == "tcvn3" else "VNI") in message
    assert "«CSV UTF-8 (Comma delimited)»" in message


def test_a_garbled_header_is_one_error_not_a_missing_column_each(plan):
    raw = "chØ tiªu,n¨m,gi¸ trÞ\npublic_st_orgs,2024,3\n".encode("cp1252")
    _, problems = store.parse_upload(raw, "u.csv", plan)
    assert [(p.line, p.column) for p in problems] == [(1, None)]
    assert "TCVN3" in problems[0].message("vi")
    assert "chỉ tiêu" in problems[0].message("vi")


def test_the_issues_example_is_stopped(plan):
    raw = "indicator,year,value,region,source\npublic_st_orgs,2024,3,B¯c K¡n,Báo cáo sÑ 12\n"
    _, problems = store.parse_upload(raw.encode("utf-8"), "u.csv", plan)
    [problem] = problems
    assert problem.line == 2 and problem.column == "region"
    assert "«B¯c K¡n» (lẽ ra là «Bắc Kạn»), 2 ô như vậy" in problem.message("vi")
