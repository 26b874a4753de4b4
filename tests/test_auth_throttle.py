"""The sign-in throttle under attack (issue 10, finding 12): atomic, bounded, keyed per user and
client; passwords limited the same way when hashed and when checked."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

from kpis import auth

REPO = Path(__file__).resolve().parents[1]


def cheap_hash(password: str) -> str:
    return auth.hash_password(password, n=16, r=1, p=1)


def test_parallel_attempts_get_no_more_password_checks_than_the_free_ones(monkeypatch):
    editors = auth.Editors(passwords={"an": cheap_hash("đúng-mật-khẩu")})
    throttle = auth.Throttle(free=3, base=30.0)
    checks = []
    real = auth.verify_password

    def counted(password, stored):
        checks.append(1)
        time.sleep(0.05)  # the real check takes ~50 ms: every thread is inside it at once
        return real(password, stored)

    monkeypatch.setattr(auth, "verify_password", counted)
    barrier = threading.Barrier(64)

    def guess(n: int) -> None:
        barrier.wait()
        auth.sign_in(editors, "an", f"sai {n}", throttle, client="10.0.0.9")

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(64)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # 3 free tries and the 4th (which arms the first wait), however the threads interleave
    assert len(checks) == 4


def test_the_table_stays_bounded_however_many_names_are_tried():
    throttle = auth.Throttle(max_entries=1000)
    for n in range(20_000):
        throttle.failed(f"user{n}", now=0.0, client=f"10.0.{n // 250}.{n % 250}")
    assert len(throttle) <= 1000


def test_an_attacker_elsewhere_cannot_lock_an_editor_out():
    editors = auth.Editors(passwords={"an": cheap_hash("đúng-mật-khẩu")})
    throttle = auth.Throttle(free=3, base=30.0)
    for n in range(20):
        auth.sign_in(editors, "an", f"sai {n}", throttle, client="203.0.113.5")
    assert auth.sign_in(editors, "an", "x", throttle, client="203.0.113.5").wait > 0
    assert auth.sign_in(editors, "an", "đúng-mật-khẩu", throttle, client="10.1.2.3").ok


def test_one_client_cannot_try_name_after_name():
    editors = auth.Editors(passwords={})
    throttle = auth.Throttle(free=3, base=30.0)
    outcomes = [
        auth.sign_in(editors, f"user{n}", "sai", throttle, client="203.0.113.5") for n in range(40)
    ]
    assert outcomes[-1].wait > 0  # 10 × free over every name, then the client waits


def test_a_password_the_sign_in_refuses_cannot_be_hashed():
    long = "x" * (auth.MAX_PASSWORD_CHARS + 1)
    try:
        auth.hash_password(long)
    except ValueError:
        pass
    else:
        raise AssertionError("hash_password accepted a password verify_password refuses")
    exact = "y" * auth.MAX_PASSWORD_CHARS
    assert auth.verify_password(exact, cheap_hash(exact))
    # never cut to fit: the first 1,024 characters of a longer password do not sign in
    assert not auth.verify_password(exact + "z", cheap_hash(exact))


def test_the_hash_password_command_refuses_an_overlong_password():
    result = subprocess.run(
        [sys.executable, "-m", "kpis", "hash-password", "--lang", "en"],
        input="x" * 2000 + "\n",
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert result.returncode == 1 and "at most 1024 characters" in result.stderr


def test_signing_in_successfully_again_and_again_never_slows_the_client_down():
    # A try is counted as a failure until it succeeds: success must take it back for the
    # client too, or an office behind one address would wait after 30 good sign-ins.
    editors = auth.Editors(passwords={"an": cheap_hash("đúng-mật-khẩu")})
    throttle = auth.Throttle(free=3, base=30.0)
    for _ in range(40):
        assert auth.sign_in(editors, "an", "đúng-mật-khẩu", throttle, client="10.0.0.1").ok
    assert throttle.wait_left("bình", client="10.0.0.1") == 0
    assert len(throttle) == 0
    assert not auth.sign_in(editors, "an", "sai", throttle, client="10.0.0.1").ok
    assert len(throttle) == 2  # the failure still counts, for the name and for the client
