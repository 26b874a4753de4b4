"""Vietnamese and English words and number formats, declared once for the CLI, pages and exports.

Status words are exactly METHOD.md's. Vietnamese writes 1.234,5 and dd/mm/yyyy; English
writes 1,234.5 and yyyy-mm-dd.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Literal

Lang = Literal["vi", "en"]
LANGS: tuple[Lang, ...] = ("vi", "en")


@dataclass(frozen=True)
class StatusStyle:
    vi: str
    en: str
    colour: str  # colour-blind-safe family (Okabe-Ito-like), always shown with word and icon
    icon: str

    def word(self, lang: str) -> str:
        return self.en if lang == "en" else self.vi


STATUS_STYLES: dict[str, StatusStyle] = {
    "achieved": StatusStyle("Đã đạt", "Achieved", "#1B7837", "✔"),
    "on_track": StatusStyle("Đúng tiến độ", "On track", "#7FBF7B", "↗"),
    "needs_acceleration": StatusStyle("Cần đẩy nhanh", "Needs acceleration", "#E6A817", "⚠"),
    "off_track": StatusStyle("Chậm tiến độ", "Off track", "#E66101", "↘"),
    "regressing": StatusStyle("Đi lùi", "Regressing", "#CA0020", "⬇"),
    "missed": StatusStyle("Không đạt", "Missed", "#7F0000", "✖"),
    "pending": StatusStyle("Chưa hoàn thành", "Pending", "#6C8EBF", "…"),
    "insufficient_data": StatusStyle("Chưa đủ số liệu", "Insufficient data", "#8C8C8C", "?"),
    "no_data": StatusStyle("Chưa có số liệu", "No data", "#C8C8C8", "○"),
}


def status_word(status: str, lang: str = "vi") -> str:
    return STATUS_STYLES[status].word(lang)


def format_number(value: float | None, lang: str = "vi", decimals: int | None = None) -> str:
    """1.234,5 in Vietnamese, 1,234.5 in English; whole numbers without decimals.

    `decimals=None` shows up to 2 decimals, trailing zeros dropped.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if decimals is None:
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
    else:
        text = f"{value:,.{decimals}f}"
    if text in ("-0", "-0.0", "-0.00"):
        text = text[1:]
    if lang == "en":
        return text
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def format_percent(share: float | None, lang: str = "vi", decimals: int = 0) -> str:
    """A share (0.95) as a percentage ("95%")."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "–"
    return f"{format_number(share * 100, lang, decimals)}%"


def format_date(day: dt.date, lang: str = "vi") -> str:
    return day.isoformat() if lang == "en" else day.strftime("%d/%m/%Y")


def pick(vi: str | None, en: str | None, lang: str) -> str:
    """The English text where asked for and given, else the Vietnamese."""
    return en if lang == "en" and en else (vi or "")
