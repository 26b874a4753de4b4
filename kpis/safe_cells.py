"""Cells that leave the dashboard for a spreadsheet: text that a spreadsheet would run is defused.

A cell starting with `=`, `+`, `-` or `@` (or a tab or carriage return, which some spreadsheets
strip before looking) is read by Excel and LibreOffice as a formula: an exported source text
such as `=HYPERLINK(...)` would run on the reader's machine. Prefixing a single quote makes it
plain text and leaves it readable. Numbers are not touched: they are values, not formulas.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The same starts as a regular expression (for pandas' `str.match` over a column).
FORMULA_START_PATTERN = r"[=+\-@\t\r]"
# A cell the audit trail quotes (`stored_cell`): a formula start after any number of quotes, so
# that a text typed with a quote of its own before `=` gets one more and reads back as typed.
_STORED_QUOTED = re.compile(r"'*" + FORMULA_START_PATTERN)
# A plain number ("-3.5", a value that went down) is what a spreadsheet reads as a number.
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?([eE][+-]?\d+)?")
# Characters an .xlsx cannot hold (openpyxl raises IllegalCharacterError on them, which once
# broke /data's export for every visitor) and that no spreadsheet cell needs.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralise_cell(value: Any) -> Any:
    """`value` unchanged unless it is text a spreadsheet would treat as a formula (prefixed
    with a quote) or that holds a control character (removed)."""
    if not isinstance(value, str):
        return value
    value = _CONTROL.sub("", value)
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells (and column names) cannot run as formulas."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise_cell)
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    return out


def stored_cell(text: str) -> str:
    """`text` as a file the dashboard keeps for itself (the audit trail) stores it: prefixed
    with a quote where a spreadsheet would run it, reversibly (`typed_cell` gives `text` back,
    also for a text typed with quotes of its own). Unlike `neutralise_cell`, nothing is
    removed: the trail is evidence, and what was typed must read back whole."""
    quoted = text and text[0] in "=+-@\t\r'" and _STORED_QUOTED.match(text)
    return "'" + text if quoted and not _PLAIN_NUMBER.fullmatch(text) else text


def typed_cell(text: str) -> str:
    """A cell of a file written with `stored_cell`, as it was typed."""
    if text.startswith("'") and _STORED_QUOTED.match(text):
        return text[1:]
    return text
