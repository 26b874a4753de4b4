"""kpis.cell_text: the quick answer to "is every cell printable?" is pyarrow's answer for every
character it lets through unasked, and the answer of every cell whatever the column."""

from __future__ import annotations

import random
import re

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from kpis.cell_text import _SURELY_PRINTABLE, KEY_BAD, _printable, describe


def ranges(character_class: str) -> list[tuple[int, int]]:
    return [
        (int(low, 16), int(high, 16))
        for low, high in re.findall(r"\\x\{([0-9A-F]+)\}-\\x\{([0-9A-F]+)\}", character_class)
    ]


def test_every_character_let_through_unasked_is_one_pyarrow_calls_printable():
    found = ranges(_SURELY_PRINTABLE)
    assert len(found) == _SURELY_PRINTABLE.count("-") == 7  # (every range read)
    characters = [chr(c) for low, high in found for c in range(low, high + 1)]
    printable = pc.utf8_is_printable(pa.array(characters, pa.large_string())).to_pylist()
    assert [c for c, ok in zip(characters, printable, strict=True) if not ok] == []


# Printable characters inside and outside the ranges, and characters that are not: a tab, a
# bell, a zero-width space (a format character), a line separator, a soft hyphen.
PRINTABLE = list("ab Đđ ạắệộữ,.–«»₫") + ["Ω", "中", "\u0301"]
NOT_PRINTABLE = ["\t", "\x07", "\u200b", "\u2028", "\u00ad"]


def cells(seed: int) -> pd.Series:
    rng = random.Random(seed)
    alphabet = PRINTABLE + (rng.sample(NOT_PRINTABLE, 1) if seed % 3 == 0 else [])
    if seed % 2:  # every text its own (sources, notes)
        texts = ["".join(rng.choices(alphabet, k=rng.randint(0, 30))) for _ in range(600)]
    else:  # a few texts repeated (regions)
        names = ["".join(rng.choices(alphabet, k=rng.randint(1, 12))) for _ in range(5)]
        texts = [rng.choice(names) for _ in range(600)]
    return pd.Series(texts, dtype=rng.choice(["str", object]))


@pytest.mark.parametrize("seed", range(24))
def test_a_column_is_printable_exactly_when_every_cell_is(seed):
    column = cells(seed)
    every = pc.all(pc.utf8_is_printable(pa.array(column.tolist(), pa.large_string()))).as_py()
    assert _printable(column) == every


def test_one_character_outside_the_ranges_is_asked_of_pyarrow():
    base = ["Sở Khoa học và Công nghệ – «Báo cáo» 12,5 ₫"] * 50
    assert _printable(pd.Series(base, dtype="str"))
    assert _printable(pd.Series([*base, "Ω 中"], dtype="str"))  # printable, asked
    assert not _printable(pd.Series([*base, "a\u200bb"], dtype="str"))
    assert not _printable(pd.Series([*base, "a\tb"], dtype="str"))


@pytest.mark.parametrize(
    "char, vi, en",
    [
        ("\u200b", "U+200B dấu cách độ rộng 0", "U+200B ZERO WIDTH SPACE"),
        ("\u00a0", "U+00A0 dấu cách không ngắt dòng", "U+00A0 NO-BREAK SPACE"),
        ("\ufeff", "U+FEFF dấu BOM (đánh dấu thứ tự byte)", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
        ("\u00ad", "U+00AD dấu gạch nối ẩn", "U+00AD SOFT HYPHEN"),
        ("\u2060", "U+2060 ký tự nối từ", "U+2060 WORD JOINER"),
        ("\u202e", "U+202E ký tự đổi chiều viết", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("\x0b", "U+000B ký tự ngắt dòng của Word (tab dọc)", "U+000B CONTROL"),
        ("\x07", "U+0007 ký tự điều khiển", "U+0007 CONTROL"),  # the others by their kind
        ("\u2063", "U+2063 ký tự ẩn", "U+2063 INVISIBLE SEPARATOR"),
    ],
)
def test_a_character_nobody_sees_is_named_in_the_readers_language(char, vi, en):
    assert (describe(char, "vi"), describe(char, "en"), describe(char)) == (vi, en, en)


def test_every_character_refused_in_a_key_has_a_vietnamese_name_not_an_english_one():
    for code in range(0x10000):
        char = chr(code)
        if re.fullmatch(KEY_BAD, char):
            name = describe(char, "vi").split(" ", 1)[1]
            assert not name.isascii() or name.startswith("BOM"), (hex(code), name)
