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
