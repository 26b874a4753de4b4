"""Who may change figures: scrypt password hashes, editor accounts from secrets, slowed failures.

Editor accounts live in `.streamlit/secrets.toml` (git-ignored; `KPI_SECRETS` points elsewhere):

    [editors]                  # user name = hash made with `python -m kpis hash-password`
    nguyen_van_a = "scrypt$16384$8$1$<salt>$<hash>"

    [editor_emails]            # with an identity provider ([auth], st.login): who may edit
    emails = ["a@skhcn.example.gov.vn"]

An account may be limited to plans and, within them, to agencies (issue 16; kpis/scope.py
says what each form means): the user's value is then a table, and an email gets a line under
`[editor_emails.agencies]` and/or `[editor_emails.plans]`:

    [editors]
    tran_thi_b = { hash = "scrypt$...", agencies = ["so-tc"] }          # the default plan only
    le_van_c = { hash = "scrypt$...", agencies = ["lang-son-147-2023:so-khcn"] }
    pham_d = { hash = "scrypt$...", plans = ["thai-nguyen-57-2025"] }

    [editor_emails.agencies]
    "c@stc.example.gov.vn" = ["so-tc"]
    [editor_emails.plans]
    "c@stc.example.gov.vn" = ["bac-kan-684-2016"]

A hash is self-describing (`scrypt$n$r$p$salt$hash`, base64), so the cost can be raised later
without breaking existing accounts. Passwords are compared in constant time and never stored,
logged or kept in an exception.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
import threading
import time
import tomllib
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from kpis.errors import Problem
from kpis.scope import Limit

DEFAULT_SECRETS = ".streamlit/secrets.toml"
# scrypt cost: n=2**14, r=8 takes ~50 ms and 16 MB; OWASP's minimum for interactive logins.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
SALT_BYTES, HASH_BYTES = 16, 32
MAX_PASSWORD_CHARS = 1024  # a megabyte "password" must not make the server hash for seconds
MAX_USER_CHARS = 200


def secrets_path() -> Path:
    """The secrets file: `KPI_SECRETS`, else `.streamlit/secrets.toml` in the working directory."""
    return Path(os.environ.get("KPI_SECRETS") or DEFAULT_SECRETS)


def read_only() -> bool:
    """`KPI_READ_ONLY=1` (a public deployment): no editing at all, whatever the secrets say."""
    return os.environ.get("KPI_READ_ONLY", "").strip().lower() in ("1", "true", "yes", "on")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    """`scrypt$n$r$p$salt$hash` for `password` (a new random salt each time)."""
    if not password:
        raise ValueError("empty password")
    if len(password) > MAX_PASSWORD_CHARS:
        # verify_password refuses such a password: a hash of it could never be signed in with.
        raise ValueError(f"the password is longer than {MAX_PASSWORD_CHARS} characters")
    salt = secrets.token_bytes(SALT_BYTES)
    digest = hashlib.scrypt(
        password.encode("utf-8"),
        salt=salt,
        n=n,
        r=r,
        p=p,
        maxmem=256 * 1024 * 1024,
        dklen=HASH_BYTES,
    )
    return f"scrypt${n}${r}${p}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    """Whether `password` matches `stored`; False (never an exception) for a malformed hash
    and for a password longer than hash_password accepts (never cut to fit)."""
    if len(password) > MAX_PASSWORD_CHARS:
        return False
    try:
        scheme, n, r, p, salt, expected = stored.split("$")
        if scheme != "scrypt":
            return False
        salt_bytes = base64.b64decode(salt, validate=True)
        expected_bytes = base64.b64decode(expected, validate=True)
        n_, r_, p_ = int(n), int(r), int(p)
        if not (2 <= n_ <= 2**20 and 1 <= r_ <= 32 and 1 <= p_ <= 16 and expected_bytes):
            return False  # a hand-edited hash must not make the server spin or run out of memory
        digest = hashlib.scrypt(
            password.encode("utf-8"),
            salt=salt_bytes,
            n=n_,
            r=r_,
            p=p_,
            maxmem=256 * 1024 * 1024,
            dklen=len(expected_bytes),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest, expected_bytes)


@dataclass(frozen=True)
class Editors:
    """The editor accounts a deployment allows, and what was wrong with the secrets file."""

    passwords: dict[str, str] = field(default_factory=dict)  # user -> hash
    emails: frozenset[str] = frozenset()
    problems: tuple[str, ...] = ()  # English text for the log: never a password or a hash
    # user name or (lower-case) email -> its plans and agencies (kpis.scope); absent: no limit
    agencies: dict[str, Limit] = field(default_factory=dict)
    # The file exists but could not be read (a TOML error: its line and column): every account
    # is off, and the sign-in and the command line say so rather than "not an editor".
    unreadable: Problem | None = None

    def limits(self, who: str | None) -> Limit | None:
        """The plans and agencies `who` (a user name or an email) may write for, as the file
        writes them (`kpis.scope.scope_in` reads them against the catalogue); None: no limit."""
        if not who:
            return None
        return self.agencies.get(who.strip()) or self.agencies.get(who.strip().lower())

    @property
    def any(self) -> bool:
        return bool(self.passwords or self.emails)

    def allows_email(self, email: str | None) -> bool:
        return bool(email) and email.strip().lower() in self.emails


def load_editors(path: Path | None = None) -> Editors:
    """Read `[editors]` and `[editor_emails]` from the secrets file (missing file: no editors)."""
    path = Path(path) if path is not None else secrets_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Editors()
    # (ValueError: tomllib's int() of a number of more than 4,300 digits)
    except (OSError, UnicodeDecodeError, ValueError, tomllib.TOMLDecodeError) as exc:
        return Editors(
            problems=(f"{path}: cannot read the secrets file ({type(exc).__name__})",),
            unreadable=unreadable_secrets(path, exc),
        )
    passwords, problems = {}, []
    section = data.get("editors", {})
    if not isinstance(section, dict):
        section, problems = {}, [f"{path}: [editors] must be a table of user = hash"]
    agencies: dict[str, Limit] = {}
    for user, stored in section.items():
        if isinstance(stored, dict):  # { hash = "...", agencies = [...], plans = [...] }
            limit, why = _limit(stored.get("agencies"), stored.get("plans"))
            if limit is None:
                problems.append(f"{path}: editors.{user}: {why}; the account is disabled")
                continue
            agencies[str(user)] = limit
            stored = stored.get("hash")
        if isinstance(stored, str) and stored.startswith("scrypt$") and stored.count("$") == 5:
            passwords[str(user)] = stored
        else:
            problems.append(
                f"{path}: editors.{user} is not a hash made with "
                "`python -m kpis hash-password`; the account is disabled"
            )
    emails_section = data.get("editor_emails", {})
    emails = emails_section.get("emails", []) if isinstance(emails_section, dict) else []
    if not isinstance(emails, list):
        emails, problems = [], [*problems, f"{path}: editor_emails.emails must be a list"]
    emails = [str(e).strip().lower() for e in emails if str(e).strip()]

    def by_email(key: str) -> dict[str, object]:
        table = emails_section.get(key, {}) if isinstance(emails_section, dict) else {}
        if not isinstance(table, dict):
            problems.append(f"{path}: editor_emails.{key} must be a table of email = [ids]")
            return {}
        return {str(email).strip().lower(): ids for email, ids in table.items()}

    email_agencies, email_plans = by_email("agencies"), by_email("plans")
    for email in [*email_agencies, *(e for e in email_plans if e not in email_agencies)]:
        limit, why = _limit(email_agencies.get(email), email_plans.get(email))
        if limit is None:
            problems.append(f"{path}: editor_emails, {email}: {why}; the address is disabled")
            emails = [e for e in emails if e != email]
        else:
            agencies[email] = limit
    return Editors(
        passwords=passwords,
        emails=frozenset(emails),
        problems=tuple(problems),
        agencies=agencies,
    )


# tomllib (Python 3.11) gives the place only in its message: "... (at line 2, column 7)".
_TOML_PLACE = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")


def unreadable_secrets(path: Path, exc: Exception) -> Problem:
    """Why the secrets file could not be read, at its line and column when TOML says them."""
    text = str(exc) if isinstance(exc, tomllib.TOMLDecodeError) else type(exc).__name__
    place = _TOML_PLACE.search(text)
    line = int(place.group(1)) if place else None
    at_vi = f"cột {place.group(2)}: " if place else ""
    at_en = f"column {place.group(2)}: " if place else ""
    reason = text[: place.start()] if place else text
    # The reason is TOML's own (English) words: it quotes no value, so no hash is shown.
    return Problem(
        str(path),
        f"{at_vi}tệp secrets không đọc được ({reason}), nên mọi tài khoản biên tập đều tạm "
        "khoá: sửa dòng này (tên tài khoản có ký tự ngoài chữ, số, _ và - phải để trong ngoặc "
        'kép, dấu " và \\ trong tên viết là \\" và \\\\; lệnh python -m kpis hash-password '
        "--user TÊN in sẵn dòng đúng)",
        f"{at_en}the secrets file does not parse ({reason}), so every editor account is off "
        "until it does: correct this line (a user name with characters other than letters, "
        'digits, _ and - goes in double quotes, with " and \\ written \\" and \\\\; '
        "python -m kpis hash-password --user NAME prints the line ready to paste)",
        line=line,
    )


_TOML_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def toml_key(name: str) -> str:
    """`name` as a quoted TOML key that reads back as `name`: `"`, `\\` and control characters
    escaped (the sign-in form accepts any user name, so none is refused)."""
    escaped = "".join(
        _TOML_ESCAPES.get(c) or (f"\\u{ord(c):04X}" if ord(c) < 0x20 or ord(c) == 0x7F else c)
        for c in name
    )
    return f'"{escaped}"'


def _id_list(value: object) -> frozenset[str] | None:
    """A list of ids as written in the secrets file, or None when it is not a non-empty list
    of non-empty texts."""
    if not isinstance(value, list) or not value:
        return None
    if not all(isinstance(item, str) and item.strip() for item in value):
        return None
    return frozenset(item.strip() for item in value)


def _limit(agencies: object, plans: object) -> tuple[Limit | None, str]:
    """An account's limit from its `agencies` and `plans` (either may be absent, not both), or
    None and why not (English, for the log): a limit written wrong disables the account
    rather than leaving it without one."""
    if agencies is None and plans is None:
        return None, "a table needs `agencies` or `plans` (non-empty lists of ids)"
    agency_ids = _id_list(agencies) if agencies is not None else frozenset()
    if agency_ids is None:
        return None, "agencies must be a non-empty list of agency ids (or PLAN-ID:AGENCY-ID)"
    plan_ids = _id_list(plans) if plans is not None else None
    if plans is not None and plan_ids is None:
        return None, "plans must be a non-empty list of plan ids"
    limit, why = Limit.parse(agency_ids, plan_ids)
    return limit, why or ""


class Throttle:
    """Slows repeated failed sign-ins: after `free` failures, each further attempt must wait
    twice as long as the last (1 s, 2 s, 4 s … at most `cap` s).

    Counted per user name *and client* (the browser's address), and per client over every
    name: a guesser opening new tabs gains nothing, yet someone failing from elsewhere cannot
    lock an editor out of their own machine, and one client cannot try name after name. A try
    is reserved under the lock before the password is checked (counted as a failure until it
    succeeds), so parallel attempts cannot all pass the check at once. At most `max_entries`
    keys are kept, the least recently used forgotten first: the memory stays bounded whatever
    names are tried. Kept in the server's memory, shared by every session.
    """

    CLIENT_FREE_FACTOR = 10  # one client may fail this many times `free` over all names

    def __init__(
        self, free: int = 3, base: float = 1.0, cap: float = 60.0, max_entries: int = 10_000
    ):
        self.free, self.base, self.cap, self.max_entries = free, base, cap, max_entries
        self._entries: OrderedDict[tuple[str, str, str], list[float]] = OrderedDict()
        self._lock = threading.Lock()

    def _keys(self, user: str, client: str) -> list[tuple[str, str, str]]:
        return [("user", user.strip().lower()[:MAX_USER_CHARS], client), ("client", "", client)]

    def _free(self, key: tuple[str, str, str]) -> int:
        return self.free * (self.CLIENT_FREE_FACTOR if key[0] == "client" else 1)

    def wait_left(self, user: str, now: float | None = None, client: str = "") -> float:
        """Seconds before `user` may try again from `client` (0 when allowed now)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            return self._wait(user, client, now)

    def _wait(self, user: str, client: str, now: float) -> float:
        until = [self._entries[k][1] for k in self._keys(user, client) if k in self._entries]
        return max([0.0, *(u - now for u in until)])

    def attempt(self, user: str, client: str = "", now: float | None = None) -> tuple[bool, float]:
        """Reserve one try: (True, the wait it costs if it fails) when it may go ahead now (it
        counts as a failure until `succeeded`), else (False, the seconds left to wait)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            wait = self._wait(user, client, now)
            if wait > 0:
                return False, wait
            return True, self._record(user, client, now)

    def failed(self, user: str, now: float | None = None, client: str = "") -> float:
        """Record a failure; the seconds the user must now wait."""
        now = time.monotonic() if now is None else now
        with self._lock:
            return self._record(user, client, now)

    def _record(self, user: str, client: str, now: float) -> float:
        delays = []
        for key in self._keys(user, client):
            count, _ = self._entries.pop(key, (0, 0.0))
            count += 1
            over = count - self._free(key)
            delay = 0.0 if over <= 0 else min(self.cap, self.base * 2 ** min(over - 1, 32))
            self._entries[key] = [count, now + delay]
            delays.append(delay)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)
        return delays[0]

    def succeeded(self, user: str, client: str | None = None) -> None:
        """Clear the user's failures (from `client`, or from every client when None). With
        `client`, the try `attempt` reserved for it no longer counts against that client
        either: signing in successfully, again and again, never slows the client down."""
        name = user.strip().lower()[:MAX_USER_CHARS]
        with self._lock:
            for key in list(self._entries):
                if key[0] == "user" and key[1] == name and client in (None, key[2]):
                    del self._entries[key]
            entry = self._entries.get(("client", "", client)) if client is not None else None
            if entry is not None:
                entry[0] -= 1
                if entry[0] <= 0:
                    del self._entries[("client", "", client)]

    def __len__(self) -> int:
        return len(self._entries)


THROTTLE = Throttle()


@dataclass(frozen=True)
class SignIn:
    """The outcome of one sign-in attempt: `ok`, or the seconds to wait before the next."""

    ok: bool
    wait: float = 0.0


def sign_in(
    editors: Editors, user: str, password: str, throttle: Throttle = THROTTLE, client: str = ""
) -> SignIn:
    """Check a user name and password against the editor accounts, slowing down guessers.

    `client`: who is trying (the browser's address), for the throttle."""
    user = user.strip()
    allowed, wait = throttle.attempt(user, client)
    if not allowed:
        return SignIn(False, wait)
    stored = editors.passwords.get(user)
    # An unknown user costs the same hash as a known one: the time does not tell which exist.
    ok = verify_password(password, stored or _DUMMY_HASH) and stored is not None
    if ok:
        throttle.succeeded(user, client)
        return SignIn(True)
    return SignIn(False, wait)


_DUMMY_HASH = (
    f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(b'0' * SALT_BYTES)}${_b64(b'0' * HASH_BYTES)}"
)
