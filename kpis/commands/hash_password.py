"""Make a password hash for an editor account in .streamlit/secrets.toml ([editors])."""

from __future__ import annotations

import argparse
import getpass
import sys

from kpis.cli import EXIT_INVALID, EXIT_OK

SUMMARY = (
    "Tạo mã băm mật khẩu cho một tài khoản biên tập trong .streamlit/secrets.toml ([editors]) /"
    " "
    "Make a password hash for an editor account in .streamlit/secrets.toml ([editors])"
)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--user",
        metavar="NAME",
        help="in ra dòng hoàn chỉnh cho [editors] / print the whole "
        "[editors] line for this user name",
    )


def _read_password(lang: str) -> str | None:
    """From the terminal without echo (asked twice), or one line from a pipe."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: " if lang == "en" else "Mật khẩu: ")
    again = getpass.getpass("Again: " if lang == "en" else "Nhập lại: ")
    return first if first == again else None


def run(args: argparse.Namespace) -> int:
    from kpis.auth import MAX_PASSWORD_CHARS, hash_password, toml_key

    password = _read_password(args.lang)
    if password is None:
        print(
            "the two passwords differ" if args.lang == "en" else "hai lần nhập không khớp",
            file=sys.stderr,
        )
        return EXIT_INVALID
    if len(password) < 8:
        print(
            "use at least 8 characters" if args.lang == "en" else "mật khẩu cần ít nhất 8 ký tự",
            file=sys.stderr,
        )
        return EXIT_INVALID
    if len(password) > MAX_PASSWORD_CHARS:  # the sign-in refuses longer ones: never cut
        print(
            f"use at most {MAX_PASSWORD_CHARS} characters"
            if args.lang == "en"
            else f"mật khẩu dài tối đa {MAX_PASSWORD_CHARS} ký tự",
            file=sys.stderr,
        )
        return EXIT_INVALID
    hashed = hash_password(password)
    if args.user:
        print("[editors]", file=sys.stderr)
        # Escaped: a name with `"` or `\\` pasted as typed broke the whole file, and with it
        # every account (the sign-in strips the name it is given, so the key is stripped too).
        print(f'{toml_key(args.user.strip())} = "{hashed}"')
    else:
        print(hashed)
    return EXIT_OK
