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


def plain_number(value: float | None, lang: str = "vi") -> str:
    """A number as it can be typed back: no thousands separator, the language's decimal mark.

    For cells a person edits and for messages about ambiguous numbers: `76.500` beside
    `81234.5` would read as two conventions, and `81.500` is exactly the ambiguity
    (CONTRACT.md §2, the thousands-dot rule). Vietnamese 81234,5; English 81234.5.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    value = float(value)
    if value.is_integer() and abs(value) < 1e15:
        text = str(int(value))
    else:
        text = repr(value)
        if "e" in text or "E" in text:  # never an exponent a person would have to decode
            text = f"{value:.15f}".rstrip("0").rstrip(".")
    return text if lang == "en" else text.replace(".", ",")


_VI_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_EN_SMALL = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_EN_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def number_words(n: int, lang: str = "vi") -> str:
    """A whole number below a million in words ("tám mươi mốt nghìn năm trăm", "eighty-one
    thousand five hundred"): a message naming the reading a person may have meant."""
    if not 0 <= n < 1_000_000:
        return str(n)
    thousands, rest = divmod(n, 1000)
    if lang == "en":
        parts = [f"{_en_below_1000(thousands)} thousand"] if thousands else []
        if rest or not thousands:
            parts.append(_en_below_1000(rest))
        return " ".join(parts)
    if not thousands:
        return _vi_below_1000(rest, full=False)
    text = f"{_vi_below_1000(thousands, full=False)} nghìn"
    return f"{text} {_vi_below_1000(rest, full=True)}" if rest else text


def _en_below_1000(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    parts = [f"{_EN_SMALL[hundreds]} hundred"] if hundreds else []
    if rest >= 20:
        tens, unit = divmod(rest, 10)
        parts.append(_EN_TENS[tens] + (f"-{_EN_SMALL[unit]}" if unit else ""))
    elif rest or not hundreds:
        parts.append(_EN_SMALL[rest])
    return " ".join(parts)


def _vi_below_1000(n: int, full: bool) -> str:
    """`full`: after "nghìn", a group is read with all three places ("không trăm linh năm")."""
    hundreds, rest = divmod(n, 100)
    tens, unit = divmod(rest, 10)
    parts = [f"{_VI_DIGITS[hundreds]} trăm"] if hundreds or full else []
    if tens == 0:
        if unit:
            parts.append(f"linh {_VI_DIGITS[unit]}" if parts else _VI_DIGITS[unit])
        elif not parts:
            parts.append("không")
    else:
        parts.append("mười" if tens == 1 else f"{_VI_DIGITS[tens]} mươi")
        if unit == 1 and tens > 1:
            parts.append("mốt")
        elif unit == 5:
            parts.append("lăm")
        elif unit:
            parts.append(_VI_DIGITS[unit])
    return " ".join(parts)


LOCAL_ZONE = "Asia/Ho_Chi_Minh"


def local_time(text: str, lang: str = "vi") -> str:
    """An ISO time from the audit trail (any offset) as Vietnam's local time: 01/12/2026 22:27
    (Vietnamese), 2026-12-01 22:27 (English). Text that is not a time is returned as it is."""
    from zoneinfo import ZoneInfo

    try:
        moment = dt.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return text
    if moment.tzinfo is None:
        return text.replace("T", " ")
    local = moment.astimezone(ZoneInfo(LOCAL_ZONE))
    return local.strftime("%Y-%m-%d %H:%M" if lang == "en" else "%d/%m/%Y %H:%M")


def audit_number(text: str, lang: str = "vi") -> str:
    """A value as the audit trail writes it ("76500", "81.5", empty) in the page's format."""
    try:
        return format_number(float(text), lang) if text else ""
    except ValueError:
        return text
