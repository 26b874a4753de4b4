"""The fast reader's NFC: only texts with a character NFC may change are normalised
(kpis.figures._nfc), and the result is NFC's, text for text."""

from __future__ import annotations

import random
import re
import unicodedata

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from kpis.cell_text import KEY_BAD, NOTE_BAD, TEXT_BAD
from kpis.figures import (
    _ASCII_WHITESPACE,
    _MAY_CHANGE_IN_NFC,
    _PLAIN_TEXT,
    _clean_texts,
    _may_change_in_nfc,
    _nfc,
    parse_figures_bytes,
)
from tests.helpers import make_plan


def kept_ranges() -> list[tuple[int, int]]:
    pairs = re.findall(r"\\x\{([0-9A-F]+)\}(?:-\\x\{([0-9A-F]+)\})?", _MAY_CHANGE_IN_NFC)
    return [(int(a, 16), int(b or a, 16)) for a, b in pairs]


def second_halves() -> set[int]:
    """Every character that NFC may compose with the one before it."""
    halves = set(range(0x1161, 0x1176)) | set(range(0x11A8, 0x11C3))  # Hangul V and T jamo
    for code in range(0x110000):
        decomposition = unicodedata.decomposition(chr(code)) if not 0xD800 <= code < 0xE000 else ""
        parts = decomposition.split()
        if len(parts) == 2 and not decomposition.startswith("<"):
            halves.add(int(parts[1], 16))
    return halves


def test_every_character_the_search_passes_over_is_left_as_it_is_by_nfc():
    halves = second_halves()
    for first, last in kept_ranges():
        for code in range(first, last + 1):
            char = chr(code)
            assert unicodedata.category(char) != "Cn", hex(code)
            assert unicodedata.combining(char) == 0, hex(code)
            assert unicodedata.normalize("NFC", char) == char, hex(code)
            assert code not in halves, hex(code)


@pytest.mark.parametrize("repeats", [1, 20])  # distinct texts, searched whole; or repeated
@pytest.mark.parametrize("seed", range(4))
def test_the_column_is_what_nfc_gives_text_for_text(seed, repeats):
    rng = random.Random(seed)
    vietnamese = "Bắc Kạn – Thái Nguyên, Lạng Sơn: đổi mới sáng tạo «ước»"
    alphabet = (
        list("abc ,.-")
        + list(vietnamese)
        + list(unicodedata.normalize("NFD", vietnamese))  # as macOS writes names
        + ["\u0301", "\u0323", "\u2126", "\u212b", "\u2000", "\u1100", "\u1161", "\u11a8"]
        + ["\uac00", "\u0958", "\u2065", "\u20ab", "\U0001f600"]
    )
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8))) for _ in range(3000)]
    texts += [vietnamese] * 50 + [unicodedata.normalize("NFD", vietnamese)] * 50
    if repeats > 1:  # a region column: few texts, each on many rows, in no order
        texts = rng.choices(texts[: 3100 // repeats], k=3100)
    column = pa.array(texts, pa.large_string())
    assert _nfc(column).to_pylist() == [unicodedata.normalize("NFC", t) for t in texts]


@pytest.mark.parametrize("kind", [pa.string(), pa.large_string()])
def test_the_search_of_a_whole_column_finds_a_text_that_may_change_wherever_it_is(kind):
    # The usual column is searched as one text, chunk by chunk (`_may_change_in_nfc`): a
    # text that may change is found in any cell of any chunk, never outside the cells a
    # slice holds, and a column where none may change is left as it is.
    plain = ["Bắc Kạn – khu vực 1", "", "CTK", "Thái Nguyên"] * 250
    decomposed = unicodedata.normalize("NFD", "Bắc Kạn")
    for at in (0, 517, len(plain) - 1):
        texts = plain[:at] + [decomposed] + plain[at + 1 :]
        column = pa.array(texts, kind)
        assert _may_change_in_nfc(column)
        chunked = pa.chunked_array([column.slice(0, 600), column.slice(600)])
        assert _may_change_in_nfc(chunked)
        assert _nfc(chunked).to_pylist() == [unicodedata.normalize("NFC", t) for t in texts]
        outside = column.slice(at + 1) if at < len(plain) - 1 else column.slice(0, at)
        assert not _may_change_in_nfc(outside)
        assert _nfc(outside) is outside
    assert not _may_change_in_nfc(pa.array(plain, kind))
    assert not _may_change_in_nfc(pa.array(["", ""], kind))
    assert not _may_change_in_nfc(pa.chunked_array([], kind))


def test_names_written_decomposed_read_as_the_same_region():
    plan = make_plan({"id": "x"})
    composed = "indicator,region,year,value,source,note\nx,Bắc Kạn,2024,1,BC,Ghi chú đầy đủ\n"
    decomposed = unicodedata.normalize("NFD", composed)
    read = [parse_figures_bytes(text.encode(), "f.csv", plan)[0] for text in (composed, decomposed)]
    assert read[0].equals(read[1])
    assert read[1]["region"].tolist() == ["Bắc Kạn"] and read[1]["note"].tolist() == [
        "Ghi chú đầy đủ"
    ]


def plain_characters() -> list[str]:
    pairs = re.findall(r"\\x\{([0-9A-F]+)\}-\\x\{([0-9A-F]+)\}", _PLAIN_TEXT)
    assert len(pairs) == _PLAIN_TEXT.count("-") == 7  # (every range read)
    return [chr(c) for a, b in pairs for c in range(int(a, 16), int(b, 16) + 1)]


def test_plain_text_is_left_by_nfc_printable_and_free_of_what_cells_may_not_hold():
    # A column of these characters only is taken as NFC and printable without asking again.
    characters = plain_characters()
    cells = pa.array(characters, pa.large_string())
    assert not pc.any(pc.match_substring_regex(cells, _MAY_CHANGE_IN_NFC)).as_py()
    assert pc.all(pc.utf8_is_printable(cells)).as_py()
    for bad in (KEY_BAD, TEXT_BAD, NOTE_BAD):
        assert not [c for c in characters if re.search(bad, c)], bad


# Texts that repeat (a region column: its distinct texts are searched) far past the rows
# looked at to tell it; or each text once (notes: every row is searched).
PLAIN_COLUMNS = {
    "repeated": ["Sở Khoa học và Công nghệ – «Báo cáo» 12,5 ₫", "Bắc Kạn"] * 5000,
    "distinct": [f"Sở Khoa học và Công nghệ – «Báo cáo» số {i}" for i in range(80)],
}


@pytest.mark.parametrize("layout", PLAIN_COLUMNS)
@pytest.mark.parametrize(
    "odd",
    ["Ha\u0300 Nô\u0323i", "a\u200bb", "a\tb", "Ω", "x\u00a0y", "\u2028", "\u0301"],
)
def test_a_column_with_one_other_character_is_normalised_and_not_taken_as_printable(odd, layout):
    texts = PLAIN_COLUMNS[layout] + [odd]
    column = pa.chunked_array([texts[:50], texts[50:]], pa.large_string())
    cells, printable = _clean_texts({0: column, 1: pa.array(texts[:-1] + ["x"], pa.large_string())})
    assert printable == frozenset({1})
    assert cells[0].iloc[-1] == unicodedata.normalize("NFC", odd).strip()


def test_ascii_texts_are_trimmed_of_what_unicode_texts_are():
    """An ASCII column is trimmed of `_ASCII_WHITESPACE`: the characters pyarrow's
    utf8_trim_whitespace (what `.str.strip()` calls) trims, each ASCII pair on either side."""
    edges = [chr(a) + chr(b) for a in range(128) for b in range(128)]
    texts = [f"{edge}1,5{edge[::-1]}" for edge in edges] + ["", " ", "a b", " \t "]
    column = pa.array(texts, type=pa.large_string())
    cleaned, _ = _clean_texts({0: column})
    assert cleaned[0].tolist() == pc.utf8_trim_whitespace(column).to_pylist()
    assert set(_ASCII_WHITESPACE) == {c for c in map(chr, range(128)) if f"{c}x".strip() == "x"}


@pytest.mark.parametrize("edge", ["", " ", "  "])
@pytest.mark.parametrize("where", ["start", "end"])
def test_printable_ascii_is_trimmed_where_a_cell_needs_it(edge, where):
    # Values in chunks, as the reader gives them: one cell with a space at its start or its
    # end, far into the last chunk, is trimmed as every cell would be; the column is plain.
    texts = [f"{i}.5" for i in range(30_000)]
    texts[-7] = f"{edge}42" if where == "start" else f"42{edge}"
    column = pa.chunked_array([texts[:10_000], texts[10_000:]], pa.large_string())
    cells, printable = _clean_texts({0: column})
    assert cells[0].tolist() == pc.utf8_trim_whitespace(column).to_pylist()
    assert cells[0].iloc[-7] == "42"
    assert printable == frozenset({0})


@pytest.mark.parametrize("layout", PLAIN_COLUMNS)
@pytest.mark.parametrize("edge", ["", " ", "\t", "\u3000", "\u2003"])
def test_plain_text_is_trimmed_as_utf8_trim_whitespace_trims_it(layout, edge):
    # A column whose texts repeat is trimmed only when its distinct texts need it: one text
    # with a space (of any kind) at its start and another at its end, far past the rows
    # looked at, are trimmed as every row would be.
    texts = PLAIN_COLUMNS[layout] + [f"{edge}Bắc Kạn", f"Cao Bằng{edge}"]
    column = pa.chunked_array([texts[:50], texts[50:]], pa.large_string())
    cells, _ = _clean_texts({0: column})
    assert cells[0].tolist() == pc.utf8_trim_whitespace(column).to_pylist()
    assert cells[0].iloc[-2:].tolist() == ["Bắc Kạn", "Cao Bằng"]
