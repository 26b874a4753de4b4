"""Staying signed in across a page reload: signed, expiring sign-in tokens, revoked on sign-out.

A password editor who signs in on /data gets a token that the browser keeps as a cookie
(`COOKIE_NAME`; the page sets it, `ui/signin.py`). A new session (a reload, a new tab) reads
it back from the request (`st.context.cookies`) and is signed in again without the password,
for at most `hours()` after signing in.

The token is `user.expires.id.mac`: the user name (base64url), the expiry (Unix seconds), a
random id, and an HMAC-SHA256 over those and a digest of the account's password hash, keyed
with a server secret. So a token cannot be forged or stretched, never carries the password,
and dies when the password is changed or the account removed (a session signed in already
ends then too: `same_account`). Signing out revokes it here on the server (its id is listed
until it would have expired anyway), so a copy of the cookie that survived the sign-out is
refused too.

The secret: `KPI_SESSION_SECRET`, else `[session] secret` in the secrets file, else a random
one generated once into `session-secret` beside the secrets file (never in `data/`). The
revocation list lives beside it (`sessions-revoked`). `KPI_SESSION_DIR` moves both.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import os
import secrets
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock

from kpis import auth

COOKIE_NAME = "kpi_editor"
DEFAULT_HOURS = 8.0  # a working day: a reload at 16:00 does not ask for the password again
MAX_HOURS = 24.0 * 7  # whatever is configured, a token never lives longer than a week
MAX_TOKEN_CHARS = 600  # a longer cookie is not ours: refused before any work
SECRET_NAME = "session-secret"
REVOKED_NAME = "sessions-revoked"
MIN_SECRET_CHARS = 32


def hours() -> float:
    """How long a sign-in lasts: `KPI_SIGN_IN_HOURS` (0: not across reloads), else 8 hours."""
    raw = os.environ.get("KPI_SIGN_IN_HOURS", "").strip()
    try:
        value = float(raw) if raw else DEFAULT_HOURS
    except ValueError:
        value = DEFAULT_HOURS
    if value != value:  # NaN
        value = DEFAULT_HOURS
    return max(0.0, min(value, MAX_HOURS))


def state_dir() -> Path:
    """Where the generated secret and the revocation list are kept: `KPI_SESSION_DIR`, else
    the folder of the secrets file (`.streamlit/`), never the data folder."""
    configured = os.environ.get("KPI_SESSION_DIR")
    return Path(configured) if configured else auth.secrets_path().parent


def _secret() -> bytes:
    configured = os.environ.get("KPI_SESSION_SECRET", "")
    if len(configured) >= MIN_SECRET_CHARS:
        return configured.encode("utf-8")
    with contextlib.suppress(OSError, ValueError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        section = tomllib.loads(auth.secrets_path().read_text(encoding="utf-8")).get("session")
        if isinstance(section, dict):
            value = section.get("secret")
            if isinstance(value, str) and len(value) >= MIN_SECRET_CHARS:
                return value.encode("utf-8")
    return _generated_secret()


def _generated_secret() -> bytes:
    folder = state_dir()
    path = folder / SECRET_NAME
    try:
        text = path.read_text(encoding="ascii").strip()
        if len(text) >= MIN_SECRET_CHARS:
            return text.encode("ascii")
    except (OSError, UnicodeDecodeError):
        pass
    folder.mkdir(parents=True, exist_ok=True)
    with FileLock(str(folder / f".{SECRET_NAME}.lock"), timeout=30):
        if path.exists():  # another process made it while we waited
            return path.read_text(encoding="ascii").strip().encode("ascii")
        text = secrets.token_hex(32)
        # Readable by the dashboard's user only; written whole before it is visible.
        tmp = folder / f".{SECRET_NAME}.{os.getpid()}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(text + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        return text.encode("ascii")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _account(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode("utf-8")).hexdigest()


def _mac(payload: str, password_hash: str) -> str:
    message = f"{payload}.{_account(password_hash)}".encode()
    return hmac.new(_secret(), message, hashlib.sha256).hexdigest()


def account_mark(user: str, editors: auth.Editors) -> str | None:
    """What a session keeps at sign-in to know the account later: a digest of `user` and its
    password hash (never the hash itself); None when `user` has no password account."""
    stored = editors.passwords.get(user)
    return None if stored is None else _account(f"{user}\0{stored}")


def same_account(user: str | None, mark: str | None, editors: auth.Editors) -> bool:
    """Whether `user` is still a password editor of `editors` with the password it signed in
    with (`mark`, from `account_mark`): False once the account is removed, disabled or its
    password changed. The pages ask it on every run, as `verify` asks it of a token."""
    now = account_mark(user, editors) if user else None
    return now is not None and isinstance(mark, str) and hmac.compare_digest(now, mark)


@dataclass(frozen=True)
class Token:
    """A token's parts, once its signature has been checked."""

    user: str
    expires: int
    id: str


def issue(user: str, editors: auth.Editors, now: float | None = None) -> str | None:
    """A token for `user`, a password account of `editors`; None when sign-ins do not last
    (`hours()` is 0) or the user has no password account."""
    lasting = hours()
    stored = editors.passwords.get(user)
    if lasting <= 0 or stored is None:
        return None
    now = time.time() if now is None else now
    expires = int(now + lasting * 3600)
    payload = f"{_b64(user.encode('utf-8'))}.{expires}.{secrets.token_urlsafe(16)}"
    return f"{payload}.{_mac(payload, stored)}"


def _parse(token: str, editors: auth.Editors) -> Token | None:
    """The token's parts if it is well formed and signed for a current account; else None."""
    if not isinstance(token, str) or len(token) > MAX_TOKEN_CHARS:
        return None
    parts = token.split(".")
    if len(parts) != 4:
        return None
    user_b64, expires_text, token_id, mac = parts
    try:
        user = _unb64(user_b64).decode("utf-8")
        expires = int(expires_text)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
    stored = editors.passwords.get(user)
    if stored is None:
        return None
    expected = _mac(f"{user_b64}.{expires_text}.{token_id}", stored)
    if not hmac.compare_digest(expected, mac):
        return None
    return Token(user, expires, token_id)


def verify(token: str | None, editors: auth.Editors, now: float | None = None) -> str | None:
    """The user `token` signs in, or None: unsigned, tampered, expired, revoked, for an
    account that is gone or whose password changed, or sign-ins that no longer last."""
    if not token or hours() <= 0:
        return None
    parsed = _parse(token, editors)
    if parsed is None:
        return None
    now = time.time() if now is None else now
    # Expired, or further ahead than any token this server issues (a longer setting earlier).
    if not now < parsed.expires <= now + hours() * 3600 + 60:
        return None
    try:
        if parsed.id in _revoked(now):
            return None
    except OSError:
        return None
    return parsed.user


def revoke(token: str | None, editors: auth.Editors, now: float | None = None) -> bool:
    """End `token` on the server (signing out): True if it was a live token of ours."""
    if not token:
        return False
    parsed = _parse(token, editors)
    now = time.time() if now is None else now
    if parsed is None or parsed.expires <= now:
        return False
    folder = state_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / REVOKED_NAME
    with FileLock(str(folder / f".{REVOKED_NAME}.lock"), timeout=30):
        # Rewritten whole, without the ids that have expired anyway: the list stays short.
        kept = {i: e for i, e in _read_revoked(path).items() if e > now}
        kept[parsed.id] = parsed.expires
        tmp = folder / f".{REVOKED_NAME}.{os.getpid()}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.writelines(f"{i} {e}\n" for i, e in sorted(kept.items()))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    return True


def _revoked(now: float) -> set[str]:
    return {i for i, e in _read_revoked(state_dir() / REVOKED_NAME).items() if e > now}


def _read_revoked(path: Path) -> dict[str, int]:
    # A list that exists but cannot be read raises (OSError): refusing every token then is
    # safer than honouring one that was signed out.
    try:
        text = path.read_text(encoding="ascii", errors="replace")
    except FileNotFoundError:
        return {}
    found = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].isdigit():
            found[parts[0]] = int(parts[1])
    return found
