"""Region names: the folding that tells two spellings of one region apart from two regions.

CONTRACT.md §1 (version 2): names are compared after NFC normalisation, case folding and
removing a leading "tỉnh " or "thành phố "; without a plan's `regions`, a name that equals
another only after also removing diacritics ("Bac Kan", "BẮC KẠN") is a misspelling too.
Pure string functions, shared by the plan's checks and the figures reader.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

_PREFIX = re.compile(r"^(?:tỉnh|thành phố)\s+")
_SPACES = re.compile(r"\s+")


def fold(name: str) -> str:
    """The key two spellings of one region share: NFC, case-folded, single spaces, without a
    leading "tỉnh " / "thành phố " ("Tỉnh Bắc Kạn" → "bắc kạn")."""
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", name).casefold().strip())
    return unicodedata.normalize("NFC", _PREFIX.sub("", text, count=1))


def fold_diacritics(name: str) -> str:
    """`fold`, then without tone and vowel marks, đ as d ("BẮC KẠN" → "bac kan")."""
    decomposed = unicodedata.normalize("NFD", fold(name))
    bare = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return bare.replace("đ", "d")


def closest(name: str, names: Iterable[str], n: int = 3) -> list[str]:
    """Up to `n` of `names` that look most like `name` (compared without diacritics)."""
    names = list(dict.fromkeys(names))
    keys = {fold_diacritics(candidate): candidate for candidate in reversed(names)}
    found = difflib.get_close_matches(fold_diacritics(name), list(keys), n=n, cutoff=0.6)
    return [keys[key] for key in found]
