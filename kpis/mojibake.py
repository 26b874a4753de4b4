"""Text that was decoded with the wrong code page ("mojibake"): found, and named.

A CSV saved in a legacy Vietnamese encoding (TCVN3/ABC, VNI), or passed through a program that
read UTF-8 as Windows-1252/1258 or kept only one byte of each character, decodes without an
error into text no Vietnamese writer typed: «B¾c K¹n», «BÃ¡o cÃ¡o», «B¯c K¡n», «B?c K?n».
`suspicious` finds such text; `diagnose` tries each known mistake backwards and says which one
gives Vietnamese again, so the message can say how the file was damaged and show the text as
it was meant. Pure functions; `kpis.figures` turns a finding into the file's one error.
"""

from __future__ import annotations

import contextlib
import csv
import re
import unicodedata
from dataclasses import dataclass

# Every Vietnamese letter, both cases, precomposed (NFC).
_VOWELS = "aăâeêioôơuưy"
_TONES = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
_BASES = {
    "ă": "a\u0306",
    "â": "a\u0302",
    "ê": "e\u0302",
    "ô": "o\u0302",
    "ơ": "o\u031b",
    "ư": "u\u031b",
}
VIETNAMESE_LETTERS = frozenset(
    unicodedata.normalize("NFC", case(_BASES.get(v, v) + tone))
    for v in _VOWELS
    for tone in _TONES
    for case in (str.lower, str.upper)
) | {"đ", "Đ"}
# Marks people put in names, sources and notes of a Vietnamese report (not letters of another
# language): dashes, quotes, bullets, degrees, comparison signs, the đồng sign, and the ticks
# («✓», «✔», «☑») staff put in an «ước tính» cell or a checklist note. No wrong code page turns
# Vietnamese into them (each is three UTF-8 bytes none of which decodes to a tick), so taking
# them for garbled text only told the sender of an .xlsx to save as CSV UTF-8.
_PUNCTUATION = "–—‐‑…“”‘’«»•·°±×÷≤≥≈≠§²³‰№€₫✓✔☑\u00a0\u202f\u200b\ufeff"
_ALLOWED = "".join(sorted(VIETNAMESE_LETTERS)) + _PUNCTUATION
# A character outside ASCII and outside Vietnamese, or a "?" between two letters (a letter the
# code page could not hold, written as "?").
SUSPICIOUS = "[^\\x00-\\x7f" + re.escape(_ALLOWED).replace("\\-", "-").replace("-", "\\-") + "]"
# VNI's mark bytes that are Vietnamese letters themselves still give pairs Vietnamese never
# writes: a circumflex or an acute-on-u after a, e or o ("Coâng", "Baùo").
_VNI_PAIRS = "[aeoAEO][âÂùÙ]|[aA][êÊ]"
SUSPICIOUS_RE = re.compile(SUSPICIOUS + r"|[^\W\d_]\?[^\W\d_]|" + _VNI_PAIRS)

# TCVN 5712:1993 (VN3, "ABC", fonts .VnTime): one byte a letter; uppercase toned letters come
# from a second font with the same bytes, so they read as lowercase here.
_TCVN3 = dict(
    zip(
        bytes(
            [0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7, 0xA8, 0xA9, 0xAA, 0xAB, 0xAC, 0xAD, 0xAE]
            + [0xB5, 0xB6, 0xB7, 0xB8, 0xB9, 0xBB, 0xBC, 0xBD, 0xBE, 0xC6]
            + [0xC7, 0xC8, 0xC9, 0xCA, 0xCB, 0xCC, 0xCE, 0xCF, 0xD0, 0xD1]
            + [0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8, 0xDC, 0xDD, 0xDE]
            + [0xDF, 0xE1, 0xE2, 0xE3, 0xE4, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9]
            + [0xEA, 0xEB, 0xEC, 0xED, 0xEE, 0xEF, 0xF1, 0xF2, 0xF3, 0xF4]
            + [0xF5, 0xF6, 0xF7, 0xF8, 0xF9, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE]
        ),
        "ĂÂÊÔƠƯĐăâêôơưđàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ",
        strict=True,
    )
)
# VNI (fonts VNI-Times): a base letter followed by a byte for its marks.
_VNI_MARKS = {
    "ù": "\u0301",
    "ø": "\u0300",
    "û": "\u0309",
    "õ": "\u0303",
    "ï": "\u0323",
    "â": "\u0302",
    "ê": "\u0306",
    "á": "\u0302\u0301",
    "à": "\u0302\u0300",
    "å": "\u0302\u0309",
    "ã": "\u0302\u0303",
    "ä": "\u0302\u0323",
    "é": "\u0306\u0301",
    "è": "\u0306\u0300",
    "ú": "\u0306\u0309",
    "ü": "\u0306\u0303",
    "ë": "\u0306\u0323",
}
_VNI_ALONE = {
    "ô": "ơ",
    "ö": "ư",
    "ñ": "đ",
    "í": "í",
    "ì": "ì",
    "æ": "ỉ",
    "ó": "ĩ",
    "ò": "ị",
    "î": "ỵ",
}


@dataclass(frozen=True)
class Diagnosis:
    """How a text looks damaged: `kind` (a key of `ENCODINGS`) and the text as meant, if known."""

    kind: str
    repaired: str | None


# What each kind of damage is, for the message (vi, en).
ENCODINGS = {
    "tcvn3": ("bảng mã TCVN3 (ABC, phông .VnTime)", "the TCVN3 (ABC, .VnTime fonts) encoding"),
    "vni": ("bảng mã VNI (phông VNI-Times)", "the VNI (VNI-Times fonts) encoding"),
    "utf8_as_1252": (
        "chữ UTF-8 đã bị đọc nhầm bằng bảng mã Windows-1252/1258 rồi lưu lại (các cặp «Ã», «Â»)",
        "UTF-8 text that was read as Windows-1252/1258 and saved again (the «Ã», «Â» pairs)",
    ),
    "low_byte": (
        "chữ Unicode bị cắt còn một byte (lưu bằng bảng mã một byte, ví dụ «Unicode» mở nhầm)",
        "Unicode text cut to one byte a character (saved through a one-byte code page)",
    ),
    "lost": (
        "bảng mã không có chữ tiếng Việt (ví dụ Western Europe/Windows-1252): các chữ có dấu "
        "đã thành «?»",
        "a code page without Vietnamese letters (Western Europe/Windows-1252, say): accented "
        "letters became «?»",
    ),
    "unknown": ("một bảng mã không phải UTF-8", "an encoding other than UTF-8"),
}


def suspicious(text: str) -> bool:
    """Whether `text` has a character no Vietnamese writer types (or a letter turned to "?")."""
    return bool(SUSPICIOUS_RE.search(text))


def diagnose(
    texts: list[str], raw: bytes | None = None, line: int | None = None, position: int = 0
) -> Diagnosis:
    """The likeliest damage of `texts` (suspicious cells of one file, as decoded).

    `raw`: the file's bytes when it was decoded as Windows-1258, so that the legacy Vietnamese
    encodings can be tried on the bytes themselves; `line` and `position`: the line and column
    of `texts[0]` in it (the text shown repaired).
    """
    if raw is not None:
        raw = raw[: 64 * 1024]
    sample = "\n".join(texts[:200])
    candidates: list[tuple[str, str]] = []
    for codec in ("cp1252", "cp1258"):
        with contextlib.suppress(UnicodeError):
            candidates.append(("utf8_as_1252", _one_byte(sample, codec).decode("utf-8")))
    if raw is not None:
        candidates.append(("tcvn3", _from_tcvn3(raw)))
        candidates.append(("vni", _from_vni(raw.decode("latin-1"))))
    else:
        latin = _latin_bytes(sample)
        if latin is not None:
            candidates.append(("tcvn3", _from_tcvn3(latin)))
            candidates.append(("vni", _from_vni(latin.decode("latin-1"))))
    candidates.append(("low_byte", _from_low_bytes(sample)))
    legacy = raw if raw is not None else _latin_bytes(sample)
    vni_like = legacy is not None and _marks_follow_vowels(legacy)
    best: tuple[int, str, str] | None = None
    for kind, text in candidates:
        text = unicodedata.normalize("NFC", text)
        if suspicious(text) or not any(c in VIETNAMESE_LETTERS for c in text):
            continue
        score = _oddness(text) + 5 * (
            (kind == "tcvn3" and vni_like) or (kind == "vni" and not vni_like)
        )
        if best is None or score < best[0]:
            best = (score, kind, text)
    if best is not None:
        if raw is None or best[1] not in ("tcvn3", "vni"):
            repaired = best[2].split("\n")[0]
        else:  # the whole file was repaired: the line the message names
            lines = best[2].splitlines()
            repaired = None
            if line and line <= len(lines):
                text = lines[line - 1]
                sep = max(",;\t", key=text.count)
                cells = next(csv.reader([text], delimiter=sep), [])
                repaired = cells[position].strip() if position < len(cells) else None
        return Diagnosis(best[1], repaired[:80] if repaired else None)
    if any(re.search(r"[^\W\d_]\?[^\W\d_]", t) for t in texts):
        return Diagnosis("lost", None)
    return Diagnosis("unknown", None)


def _one_byte(text: str, codec: str) -> bytes:
    """`text` in a one-byte code page; a character it lacks but Latin-1 has (U+0080-U+009F,
    which programs keep for bytes the code page leaves undefined) as that byte."""
    out = bytearray()
    for char in text:
        try:
            out += char.encode(codec)
        except UnicodeError:
            if ord(char) > 0xFF:
                raise
            out.append(ord(char))
    return bytes(out)


def _latin_bytes(text: str) -> bytes | None:
    """The one-byte code the text came from (Windows-1252/1258 or Latin-1), if any."""
    for codec in ("cp1258", "cp1252", "latin-1"):
        try:
            return unicodedata.normalize("NFD", text).encode(codec)
        except UnicodeError:
            try:
                return text.encode(codec)
            except UnicodeError:
                continue
    return None


def _from_tcvn3(raw: bytes) -> str:
    return "".join(_TCVN3.get(b, chr(b)) for b in raw)


def _from_vni(text: str) -> str:
    out: list[str] = []
    for char in text:
        mark = _VNI_MARKS.get(char.lower())
        if mark and out and out[-1].lower() in "aeiouyơư":
            out[-1] = unicodedata.normalize("NFC", out[-1] + mark)
        elif char.lower() in _VNI_ALONE:
            alone = _VNI_ALONE[char.lower()]
            out.append(alone.upper() if char.isupper() else alone)
        else:
            out.append(char)
    return "".join(out)


def _from_low_bytes(text: str) -> str:
    """Each suspicious character put back into U+1Exx, where Vietnamese letters live."""

    out: list[str] = []
    for char in text:
        # Also a capital Latin-1 letter inside a word ("tÉnh" for "tỉnh"): Vietnamese has É,
        # but not after a small letter.
        inside = bool(out) and out[-1].islower() and char.isupper()
        if (suspicious(char) or inside) and 0x80 <= ord(char) < 0x100:
            letter = chr(0x1E00 + ord(char))
            if letter in VIETNAMESE_LETTERS:
                char = letter
        out.append(char)
    return "".join(out)


def _oddness(text: str) -> int:
    """How unlike written Vietnamese a repaired text still is: words with a capital inside."""
    return sum(
        1
        for word in re.findall(r"[^\W\d_]+", text)
        if any(c.islower() for c in word) and any(c.isupper() for c in word[1:])
    )


def _marks_follow_vowels(raw: bytes) -> bool:
    """VNI writes a letter's marks as a byte after the vowel ("Baùo"); TCVN3 replaces the vowel
    ("B¾c"): which of the two a file's high bytes look like."""
    high = [i for i, b in enumerate(raw) if b >= 0x80]
    after = sum(1 for i in high if i and chr(raw[i - 1]).lower() in "aeiouy")
    return bool(high) and after / len(high) > 0.6
