"""kpis.auth: scrypt hashes, editor accounts from the secrets file, slowed-down failures."""

from __future__ import annotations

import pytest

from kpis import auth


@pytest.fixture(scope="module")
def hashed() -> str:
    return auth.hash_password("mật khẩu đúng 2024")


def test_a_hash_describes_itself_and_never_contains_the_password(hashed):
    scheme, n, r, p, salt, digest = hashed.split("$")
    assert (scheme, n, r, p) == ("scrypt", str(2**14), "8", "1")
    assert "mật" not in hashed and salt and digest


def test_the_right_password_matches_and_others_do_not(hashed):
    assert auth.verify_password("mật khẩu đúng 2024", hashed)
    assert not auth.verify_password("mật khẩu đúng 2025", hashed)
    assert not auth.verify_password("", hashed)


def test_the_same_password_hashes_differently_each_time(hashed):
    again = auth.hash_password("mật khẩu đúng 2024")
    assert again != hashed and auth.verify_password("mật khẩu đúng 2024", again)


@pytest.mark.parametrize(
    "stored",
    [
        "",
        "plaintext",
        "scrypt$16384$8$1$salt",
        "bcrypt$16384$8$1$c2FsdA==$aGFzaA==",
        "scrypt$x$8$1$c2FsdA==$aGFzaA==",
        "scrypt$16384$8$1$not base64!$aGFzaA==",
        "scrypt$1073741824$8$1$c2FsdA==$aGFzaA==",  # a cost that would exhaust the server
    ],
)
def test_a_malformed_hash_never_matches_and_never_raises(stored):
    assert auth.verify_password("anything", stored) is False


def test_cheaper_parameters_in_the_hash_are_honoured():
    stored = auth.hash_password("abcdefgh", n=2**10, r=4, p=1)
    assert stored.startswith("scrypt$1024$4$1$") and auth.verify_password("abcdefgh", stored)


def test_editors_are_read_from_the_secrets_file(tmp_path, hashed):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        f'[editors]\nan = "{hashed}"\nbinh = "mat-khau-ro"\n\n'
        '[editor_emails]\nemails = ["Chi@SoKHCN.gov.vn"]\n',
        encoding="utf-8",
    )
    editors = auth.load_editors(secrets)
    assert list(editors.passwords) == ["an"]
    assert editors.allows_email("chi@sokhcn.gov.vn") and not editors.allows_email("x@y.vn")
    # A clear-text password in the file disables the account and says so, without echoing it.
    assert len(editors.problems) == 1 and "binh" in editors.problems[0]
    assert "mat-khau-ro" not in editors.problems[0]


def test_no_secrets_file_means_no_editors(tmp_path, monkeypatch):
    monkeypatch.setenv("KPI_SECRETS", str(tmp_path / "missing.toml"))
    assert auth.load_editors().any is False
    (tmp_path / "broken.toml").write_text("[editors\n", encoding="utf-8")
    assert auth.load_editors(tmp_path / "broken.toml").problems


@pytest.mark.parametrize(
    ("value", "expected"), [("1", True), ("true", True), ("yes", True), ("0", False), ("", False)]
)
def test_read_only_switch(monkeypatch, value, expected):
    monkeypatch.setenv("KPI_READ_ONLY", value)
    assert auth.read_only() is expected


def test_repeated_failures_are_slowed_down_and_a_success_clears_them():
    throttle = auth.Throttle(free=3, base=1.0, cap=8.0)
    delays = [throttle.failed("An", now=100.0) for _ in range(7)]
    assert delays == [0, 0, 0, 1, 2, 4, 8]
    assert throttle.wait_left("an", now=104.0) == 4.0  # user names are not case-sensitive
    throttle.succeeded("an")
    assert throttle.wait_left("an", now=100.0) == 0


def test_sign_in_refuses_while_a_user_must_wait(hashed):
    editors = auth.Editors(passwords={"an": hashed})
    throttle = auth.Throttle(free=1, base=30.0)
    assert auth.sign_in(editors, "an", "sai", throttle) == auth.SignIn(False, 0.0)
    assert auth.sign_in(editors, "an", "sai", throttle).wait == 30.0
    # Even the right password waits its turn: guessing faster gains nothing.
    blocked = auth.sign_in(editors, "an", "mật khẩu đúng 2024", throttle)
    assert not blocked.ok and blocked.wait > 29
    other = auth.sign_in(editors, "nobody", "mật khẩu đúng 2024", auth.Throttle())
    assert not other.ok
    assert auth.sign_in(editors, " an ", "mật khẩu đúng 2024", auth.Throttle()).ok


def test_a_secrets_file_with_a_number_of_5000_digits_is_a_problem_not_a_crash(tmp_path):
    # tomllib raises ValueError (not TOMLDecodeError) for an integer beyond 4,300 digits.
    secrets = tmp_path / "secrets.toml"
    secrets.write_text("[editors]\nan = " + "9" * 5000 + "\n", encoding="utf-8")
    assert auth.load_editors(secrets).problems == (
        f"{secrets}: cannot read the secrets file (ValueError)",
    )
