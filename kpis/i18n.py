"""Vietnamese and English words and number formats, declared once for the CLI, pages and exports.

Status words are exactly METHOD.md's. Vietnamese writes 1.234,5 and dd/mm/yyyy; English
writes 1,234.5 and yyyy-mm-dd.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
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

    @property
    def ink(self) -> str:
        """The text colour on this status colour: white or near-black, whichever contrasts
        more (every pair at least 4.5:1, WCAG AA for text; tests/test_i18n.py measures it)."""
        return max(INKS, key=lambda ink: contrast_ratio(self.colour, ink))


INKS = ("#FFFFFF", "#1A1A1A")


def _luminance(colour: str) -> float:
    """Relative luminance of a '#RRGGBB' colour (WCAG 2.x)."""
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio of two '#RRGGBB' colours, from 1 (same) to 21 (black on white)."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


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


# Not a status of METHOD.md: how a `no_data` row reads where the target does not apply to the
# region (merged before the target's year, kpis.shown.not_applicable). METHOD's row and status
# stay; pages, slides and reports show this word instead, on white (no status colour), and
# count it apart from «Chưa có số liệu».
NOT_APPLICABLE = "not_applicable"
SHOWN_STYLES: dict[str, StatusStyle] = {
    **STATUS_STYLES,
    NOT_APPLICABLE: StatusStyle("Không áp dụng", "Not applicable", "#FFFFFF", "⊘"),
}


def status_word(status: str, lang: str = "vi") -> str:
    return SHOWN_STYLES[status].word(lang)


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


def format_numbers(
    values: Iterable[float | None], lang: str = "vi", decimals: int | None = None
) -> list[str]:
    """`format_number` of each value, text for text, for a hundred thousand at once (the
    status table's): one `format` call per value, the rest done once on all the texts."""
    spec = ",.2f" if decimals is None else f",.{decimals}f"
    text = "\n".join(["nan" if value is None else format(value, spec) for value in values])
    if not text:
        return []
    if decimals is None:  # "12.50" -> "12.5", "12.00" -> "12", as rstrip("0").rstrip(".")
        text = _TRAILING_ZEROS.sub("", text)
    text = _NEGATIVE_ZERO.sub(r"\1", text)
    if lang != "en":
        # (while the text is ASCII: once a dash is in it, translating takes ~50 times longer)
        text = text.translate(_VIETNAMESE_MARKS)
    text = _NAN.sub("–", text)
    return text.split("\n")


# A line of `format_numbers`' text: ".2f" always writes two decimals (or "nan", "inf").
_TRAILING_ZEROS = re.compile(r"\.00$|(?<=\.\d)0$", re.MULTILINE)
_NEGATIVE_ZERO = re.compile(r"^-(0|0\.0|0\.00)$", re.MULTILINE)
_NAN = re.compile(r"^nan$", re.MULTILINE)
_VIETNAMESE_MARKS = str.maketrans({",": ".", ".": ","})


def format_percents(
    shares: Iterable[float | None], lang: str = "vi", decimals: int = 0
) -> list[str]:
    """`format_percent` of each share, text for text."""
    return format_percentages(
        [None if share is None else share * 100 for share in shares], lang, decimals
    )


def format_percentages(
    hundreds: Iterable[float | None], lang: str = "vi", decimals: int = 0
) -> list[str]:
    """`format_percents` of shares given as percentages (each share × 100)."""
    return [
        text if text == "–" else f"{text}%" for text in format_numbers(hundreds, lang, decimals)
    ]


def format_percent(share: float | None, lang: str = "vi", decimals: int = 0) -> str:
    """A share (0.95) as a percentage ("95%")."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "–"
    return f"{format_number(share * 100, lang, decimals)}%"


def format_date(day: dt.date) -> str:
    """A date as the pages, decks and reports write it in both languages: 16/05/2016 (the
    Vietnamese convention; an English reader met «2016-05-16» beside «31/12/2024»)."""
    return day.strftime("%d/%m/%Y")


def language_tag(lang: str) -> str:
    """The language as Office files name it (a run's or a style's proofing language, the
    file's own): Vietnamese unless English."""
    return "en-GB" if lang == "en" else "vi-VN"


def pick(vi: str | None, en: str | None, lang: str) -> str:
    """The English text where asked for and given, else the Vietnamese."""
    return en if lang == "en" and en else (vi or "")


NO_ENGLISH_MARK = "(no English text yet)"


def plan_text(vi: str | None, en: str | None, lang: str) -> str:
    """A text of the plan (a name, clause, note…) in the page's language.

    English asked for and not written: the Vietnamese text with a visible mark, so a reader
    sees that a translation is missing instead of taking Vietnamese for an oversight. Text with
    no Vietnamese letter (a unit "%", a code "ICM") reads the same in both and is not marked.
    """
    if lang != "en" or en:
        return pick(vi, en, lang)
    if not vi or vi.isascii():
        return vi or ""
    return f"{vi} {NO_ENGLISH_MARK}"


_PLURAL_ES = ("ses", "xes", "zes", "ches", "shes")


def english_singular(unit: str) -> str:
    """'organisations' -> 'organisation', 'facilities' -> 'facility', 'million VND' as is:
    an English unit written in the plural, read for exactly one ("≥ 1 model")."""
    head, _, last = unit.rpartition(" ")
    word = last
    lower = word.lower()
    if not word.isalpha() or len(word) < 3 or lower.endswith(("ss", "us", "is")):
        return unit
    if lower.endswith("ies"):
        word = word[:-3] + "y"
    elif lower.endswith(_PLURAL_ES):
        word = word[:-2]
    elif lower.endswith("s"):
        word = word[:-1]
    return f"{head} {word}" if head else word


# "1 regions" in a filled-in English sentence: a count of exactly one before a plural word
# (not "0.1 units", not "2021 figures").
_ONE_PLURAL = re.compile(r"(?<![\d.,])1 ([A-Za-z]+s)\b")


def fill(vi: str, en: str, lang: str, **values: object) -> str:
    """The sentence in `lang` with its `{placeholders}` filled in; in English a count of one
    takes the singular ("1 region", not "1 regions"). Every word table formats through here."""
    text = en if lang == "en" else vi
    if not values:
        return text
    text = text.format(**values)
    if lang == "en":
        text = _ONE_PLURAL.sub(lambda m: f"1 {english_singular(m.group(1))}", text)
    return text


def figures_and_tasks(figures: int, tasks: int, lang: str) -> str:
    """What a save, or its undo, changes: "2 số liệu", "1 task", "3 figures, 1 task". A save
    of task progress changes tasks and is never said in figures («số liệu»)."""
    counts = [fill("{n} nhiệm vụ", "{n} tasks", lang, n=tasks)] if tasks else []
    if figures or not counts:
        counts.insert(0, fill("{n} số liệu", "{n} figures", lang, n=figures))
    return ", ".join(counts)


def count_unit(value: float | None, unit: str, lang: str) -> str:
    """The unit as it reads after `value`: English singular for exactly 1 (Vietnamese nouns
    do not change)."""
    if lang == "en" and value is not None and abs(value) == 1:
        return english_singular(unit)
    return unit


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
