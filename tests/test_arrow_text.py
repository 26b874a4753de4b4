"""kpis.arrow_text: a question about every character of a column, asked once of each chunk's
cells joined, has the answer asking it of each cell gives, and a question about each cell's
first and last character misses no cell: whatever the chunks, slices, empty cells and
missing cells."""

from __future__ import annotations

import random

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from kpis.arrow_text import (
    every_character,
    joined_texts,
    line_feeds_by_cell,
    may_hold,
    may_start_or_end_with,
)

ALPHABET = list("abc 1,.-\n") + list("ạắ–«»") + ["\t", "\x07", "\u200b", "\u0301"]


def column(seed: int):
    rng = random.Random(seed)
    texts = [
        None
        if rng.random() < 0.02 * (seed % 2)
        else "".join(rng.choices(ALPHABET, k=rng.randint(0, 5)))
        for _ in range(400)
    ]
    kind = pa.large_string() if seed % 3 else pa.string()
    whole = pa.array(texts, kind)
    # chunks of several sizes, some of them slices of a larger array (an offset into its bytes)
    cuts = sorted(rng.sample(range(1, 400), 6))
    pieces = [whole.slice(a, b - a) for a, b in zip([0, *cuts], [*cuts, 400], strict=True)]
    return pa.chunked_array(pieces, kind)


def every_cell(column, function) -> bool:
    return pc.all(function(column)).as_py() is not False


def joined(column, function) -> bool:
    return all(pc.all(function(text)).as_py() is not False for text in joined_texts(column))


@pytest.mark.parametrize("seed", range(24))
def test_each_question_has_the_answer_of_every_cell(seed):
    cells = column(seed)
    questions = [pc.string_is_ascii, pc.utf8_is_printable]
    if every_cell(cells, pc.string_is_ascii):
        questions.append(pc.ascii_is_printable)
    for question in questions:
        assert joined(cells, question) == every_cell(cells, question), question
        assert every_character(cells, question) == every_cell(cells, question), question
    for pattern in ("[\\x{7}\\x{200B}]", "\\t", "ạ", "[^\\x{0}-\\x{7F}]"):
        found = any(
            pc.any(pc.match_substring_regex(t, pattern)).as_py() for t in joined_texts(cells)
        )
        assert found == pc.any(pc.match_substring_regex(cells, pattern)).as_py(), pattern
        assert may_hold(cells, pattern) == found, pattern


def test_a_column_without_characters_gives_no_text():
    assert list(joined_texts(pa.array(["", ""], pa.large_string()))) == []
    assert list(joined_texts(pa.chunked_array([], pa.string()))) == []


def test_one_text_per_chunk_sharing_its_bytes():
    chunk = pa.array(["ab", "", "cd", "ef"], pa.large_string()).slice(1, 2)
    (text,) = joined_texts(chunk)
    assert text.to_pylist() == ["cd"]
    assert text.buffers()[2].address == chunk.buffers()[2].address  # not a copy


@pytest.mark.parametrize("kind", [pa.string(), pa.large_string()])
def test_consecutive_slices_of_the_same_bytes_are_one_text(kind):
    # A table cut into files and joined again (an import's rewritten files): its slices in
    # order are asked as one text; a slice out of order, a gap or other bytes start another.
    whole = pa.array(["ab", "", "cd", "ef", "gh", "ij"], kind)
    other = pa.array(["kl"], kind)
    pieces = [whole.slice(0, 2), whole.slice(2, 1), whole.slice(3, 1), whole.slice(3, 0)]
    joined = [t.to_pylist() for t in joined_texts(pa.chunked_array(pieces, kind))]
    assert joined == [["abcdef"]]
    pieces = [whole.slice(0, 2), whole.slice(5, 1), whole.slice(2, 1), other, whole.slice(4, 1)]
    joined = [t.to_pylist() for t in joined_texts(pa.chunked_array(pieces, kind))]
    assert joined == [["ab"], ["ij"], ["cd"], ["kl"], ["gh"]]


@pytest.mark.parametrize("seed", range(24))
def test_a_cell_starting_or_ending_with_a_character_is_never_missed(seed):
    cells = column(seed)
    texts = cells.to_pylist()
    for character in (" ", "a", ",", "\t"):
        found = any(t and (t[0] == character or t[-1] == character) for t in texts)
        answer = may_start_or_end_with(cells, character)
        assert answer or not found, character
        if None not in texts and "" not in texts:  # nothing to be in doubt about: exact
            assert answer == found, character


@pytest.mark.parametrize("kind", [pa.string(), pa.large_string()])
def test_the_first_and_last_characters_are_read_in_every_chunk(kind):
    # a space at the start of one cell, or the end of one, in the last chunk of three (a
    # slice into larger bytes), beside cells of the same bytes that have none
    for edged in (" 12", "12 "):
        whole = pa.array(["1", "2", "34", edged, "5"], kind)
        cells = pa.chunked_array([whole.slice(0, 1), whole.slice(1, 2), whole.slice(3, 1)], kind)
        assert may_start_or_end_with(cells, " ")
        assert not may_start_or_end_with(cells.slice(0, 3), " ")
    assert not may_start_or_end_with(pa.array(["", ""], kind), " ")
    assert not may_start_or_end_with(pa.chunked_array([], kind), " ")


@pytest.mark.parametrize("seed", range(24))
def test_each_cells_line_feeds_are_counted_whatever_the_chunks(seed):
    cells = column(seed)
    expected = pc.count_substring(cells, "\n").fill_null(0).to_pylist()
    assert line_feeds_by_cell(cells).tolist() == expected
    assert sum(expected)  # (the alphabet's line feed drawn: a count that could be wrong)
