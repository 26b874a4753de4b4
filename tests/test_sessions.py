"""kpis.sessions: sign-in tokens that last across a reload, signed, expiring, revocable."""

from __future__ import annotations

import os
import stat

import pytest

from kpis import auth, sessions

HASH = auth.hash_password("mat-khau-cua-an-2025", n=2**4)
EDITORS = auth.Editors(passwords={"an": HASH, "bình": HASH})
NOW = 1_800_000_000.0


@pytest.fixture(autouse=True)
def state(tmp_path, monkeypatch):
    """Secrets file and session state in a temporary folder; the default lifetime."""
    monkeypatch.setenv("KPI_SECRETS", str(tmp_path / "secrets.toml"))
    monkeypatch.delenv("KPI_SESSION_DIR", raising=False)
    monkeypatch.delenv("KPI_SESSION_SECRET", raising=False)
    monkeypatch.delenv("KPI_SIGN_IN_HOURS", raising=False)
    return tmp_path


def test_a_token_signs_its_user_in_until_it_expires(state):
    token = sessions.issue("bình", EDITORS, now=NOW)
    assert "mat-khau" not in token and HASH not in token  # never the password or its hash
    assert sessions.verify(token, EDITORS, now=NOW + 60) == "bình"
    assert sessions.verify(token, EDITORS, now=NOW + 8 * 3600 - 1) == "bình"
    assert sessions.verify(token, EDITORS, now=NOW + 8 * 3600) is None  # expired
    # The generated secret sits beside the secrets file, private to the dashboard's user.
    secret = state / sessions.SECRET_NAME
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t.replace(t.split(".")[0], sessions._b64(b"an")),  # another user
        lambda t: t.replace(t.split(".")[1], str(int(t.split(".")[1]) + 3600)),  # longer
        lambda t: t[:-1] + ("0" if t[-1] != "0" else "1"),  # the signature
        lambda t: t + ".x",
        lambda t: "",
        lambda t: "a" * 5000,
        lambda t: "%%%.1.2.3",
    ],
    ids=["user", "expiry", "signature", "extra part", "empty", "huge", "garbage"],
)
def test_a_tampered_token_signs_nobody_in(tamper):
    token = sessions.issue("bình", EDITORS, now=NOW)
    assert sessions.verify(tamper(token), EDITORS, now=NOW + 60) is None


def test_signing_out_revokes_the_token_on_the_server(state):
    token = sessions.issue("an", EDITORS, now=NOW)
    other = sessions.issue("an", EDITORS, now=NOW)  # the same editor in another browser
    assert sessions.revoke(token, EDITORS, now=NOW + 10)
    assert sessions.verify(token, EDITORS, now=NOW + 20) is None
    assert sessions.verify(other, EDITORS, now=NOW + 20) == "an"
    # The list forgets ids once they would have expired anyway: it stays short.
    later = sessions.issue("an", EDITORS, now=NOW + 9 * 3600)
    sessions.revoke(later, EDITORS, now=NOW + 9 * 3600)
    listed = (state / sessions.REVOKED_NAME).read_text("ascii").splitlines()
    assert len(listed) == 1 and listed[0].startswith(later.split(".")[2])


def test_a_revocation_list_that_cannot_be_read_refuses_every_token(state):
    token = sessions.issue("an", EDITORS, now=NOW)
    (state / sessions.REVOKED_NAME).mkdir()  # a folder where the file should be
    assert sessions.verify(token, EDITORS, now=NOW + 1) is None


def test_a_changed_password_or_a_removed_account_ends_the_token():
    token = sessions.issue("an", EDITORS, now=NOW)
    changed = auth.Editors(passwords={"an": auth.hash_password("mat-khau-moi-2026", n=2**4)})
    assert sessions.verify(token, changed, now=NOW + 1) is None
    assert sessions.verify(token, auth.Editors(passwords={"bình": HASH}), now=NOW + 1) is None


def test_another_server_secret_refuses_the_token(state, monkeypatch):
    token = sessions.issue("an", EDITORS, now=NOW)
    monkeypatch.setenv("KPI_SESSION_SECRET", "x" * 40)
    assert sessions.verify(token, EDITORS, now=NOW + 1) is None
    signed = sessions.issue("an", EDITORS, now=NOW)
    assert sessions.verify(signed, EDITORS, now=NOW + 1) == "an"


def test_the_secret_may_come_from_the_secrets_file(state):
    (state / "secrets.toml").write_text(f'[session]\nsecret = "{"s" * 48}"\n', encoding="utf-8")
    token = sessions.issue("an", EDITORS, now=NOW)
    assert sessions.verify(token, EDITORS, now=NOW + 1) == "an"
    assert not (state / sessions.SECRET_NAME).exists()


@pytest.mark.parametrize(
    ("setting", "lasts"), [("2", 2.0), ("0", 0.0), ("1000", 168.0), ("nan", 8.0), ("x", 8.0)]
)
def test_the_lifetime_is_bounded(monkeypatch, setting, lasts):
    monkeypatch.setenv("KPI_SIGN_IN_HOURS", setting)
    assert sessions.hours() == lasts
    token = sessions.issue("an", EDITORS, now=NOW)
    if lasts == 0:
        assert token is None  # sign-ins do not outlive the session
    else:
        assert sessions.verify(token, EDITORS, now=NOW + lasts * 3600 - 5) == "an"
        assert sessions.verify(token, EDITORS, now=NOW + lasts * 3600 + 5) is None


def test_a_token_issued_with_a_longer_lifetime_ends_when_the_setting_is_shortened(monkeypatch):
    token = sessions.issue("an", EDITORS, now=NOW)  # 8 hours
    monkeypatch.setenv("KPI_SIGN_IN_HOURS", "1")
    assert sessions.verify(token, EDITORS, now=NOW + 60) is None
    monkeypatch.setenv("KPI_SIGN_IN_HOURS", "0")
    assert sessions.verify(token, EDITORS, now=NOW + 60) is None


def test_the_session_folder_can_be_moved(tmp_path, monkeypatch):
    monkeypatch.setenv("KPI_SESSION_DIR", str(tmp_path / "sessions"))
    token = sessions.issue("an", EDITORS, now=NOW)
    assert (tmp_path / "sessions" / sessions.SECRET_NAME).exists()
    assert sessions.revoke(token, EDITORS, now=NOW + 1)
    assert os.path.exists(tmp_path / "sessions" / sessions.REVOKED_NAME)


def test_a_session_signed_in_ends_when_its_account_is_removed_or_its_password_changed():
    mark = sessions.account_mark("an", EDITORS)
    assert mark is not None and HASH not in mark  # a digest, never the hash itself
    assert sessions.same_account("an", mark, EDITORS)
    assert sessions.same_account("an", mark, auth.Editors(passwords={"an": HASH}))
    changed = auth.Editors(passwords={"an": auth.hash_password("mat-khau-moi-2026", n=2**4)})
    assert not sessions.same_account("an", mark, changed)
    assert not sessions.same_account("an", mark, auth.Editors(passwords={"bình": HASH}))
    assert not sessions.same_account("bình", mark, EDITORS)  # another account's mark
    assert not sessions.same_account("an", None, EDITORS)  # signed in before marks existed
    assert sessions.account_mark("chi", EDITORS) is None
