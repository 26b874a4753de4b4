"""`python -m kpis`: argument parsing, exit codes and the rendering of problems.

Each command lives in `kpis/commands/<name>.py` with `configure(parser)` and `run(args) -> int`;
its heavy imports stay inside `run`, so `status` does not pay for the deck's libraries.
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
import sys
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn

from kpis.errors import (
    InputNotFound,
    InvalidInput,
    KpiError,
    OutputFolderUnwritable,
    OutputNotAFile,
    Problem,
    errors_only,
    warnings_only,
)
from kpis.i18n import fill, format_number
from kpis.limits import NAMES as LIMIT_NAMES
from kpis.limits import active as active_limits
from kpis.limits import parse_override

if TYPE_CHECKING:
    from kpis.scope import Scope

COMMANDS = {
    "validate": "kpis.commands.validate",
    "status": "kpis.commands.status",
    "deck": "kpis.commands.deck",
    "report": "kpis.commands.report",
    "charts": "kpis.commands.charts",
    "scorecard": "kpis.commands.scorecard",
    "schema": "kpis.commands.schema",
    "import": "kpis.commands.import_",
    "delete": "kpis.commands.delete",
    "undo": "kpis.commands.undo",
    "redo": "kpis.commands.redo",
    "hash-password": "kpis.commands.hash_password",
    "db": "kpis.commands.db",
    "tasks": "kpis.commands.tasks",
}
EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


# argparse's own words, in both languages like every option's help (`_BilingualHelp`).
_HEADINGS = {
    "positional arguments": "đối số / positional arguments",
    "options": "tùy chọn / options",
}
LANG_HELP = "ngôn ngữ của thông báo và tệp xuất / language of messages and exports (vi)"
_HELP_OPTION = "in hướng dẫn này rồi thoát / show this help and exit"


class _BilingualHelp(argparse.HelpFormatter):
    """`-h`'s headings in Vietnamese, then English."""

    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        super().add_usage(
            usage, actions, groups, "cách dùng / usage: " if prefix is None else prefix
        )

    def start_section(self, heading) -> None:
        super().start_section(_HEADINGS.get(heading, heading))


# argparse's usage errors, said in Vietnamese before its English (`_Parser.error`); a message
# matching none is given in English only, as argparse wrote it.
_USAGE_ERRORS = [
    (r"the following arguments are required: (.*)", r"thiếu đối số bắt buộc: \1"),
    (r"unrecognized arguments: (.*)", r"đối số không nhận ra: \1"),
    (r"ambiguous option: (.*) could match (.*)", r"tùy chọn \1 không rõ, có thể là \2"),
    (
        r"argument (\S+): invalid choice: (.*) \(choose from (.*)\)",
        r"đối số \1: không có lựa chọn \2 (chọn một trong \3)",
    ),
    (r"argument (\S+): expected one argument", r"đối số \1 cần một giá trị"),
    (r"argument (\S+): invalid \S+ value: (.*)", r"đối số \1: giá trị \2 không hợp lệ"),
]


def _usage_error(message: str) -> str:
    said_in_both = re.fullmatch(r"argument (\S+): (.+ / .+)", message)  # our own types' words
    if said_in_both:
        return f"đối số / argument {said_in_both[1]}: {said_in_both[2]}"
    for english, vietnamese in _USAGE_ERRORS:
        if re.fullmatch(english, message):
            return f"{re.sub(english, vietnamese, message)} / {message}"
    return message


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: lỗi / error: {_usage_error(message)}\n")


def _parser_words(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("-h", "--help", action="help", help=_HELP_OPTION)
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = _parser_words(
        _Parser(
            prog="python -m kpis",
            description="Chỉ tiêu KH&CN: kiểm tra số liệu và tính tiến độ / "
            "S&T plan targets: check figures and compute progress",
            formatter_class=_BilingualHelp,
            add_help=False,
        )
    )
    # `--lang en` before the command too (`python -m kpis --lang en validate`): the contract
    # does not say where it goes. The command's own, when given, wins.
    parser.add_argument(
        "--lang", dest="lang_before", choices=("vi", "en"), help=LANG_HELP, metavar="{vi,en}"
    )
    sub = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", title="lệnh / commands"
    )
    for name, module_name in COMMANDS.items():
        module = importlib.import_module(module_name)
        command = _parser_words(
            sub.add_parser(
                name,
                help=module.SUMMARY,
                description=module.SUMMARY,
                formatter_class=_BilingualHelp,
                add_help=False,
            )
        )
        command.add_argument("--lang", choices=("vi", "en"), help=LANG_HELP)
        command.add_argument(
            "--limit",
            action="append",
            default=[],
            type=limit_argument,
            metavar="NAME=N",
            help="nâng một giới hạn đầu vào / raise an input limit (KPI_MAX_<NAME>; NAME: "
            f"{', '.join(LIMIT_NAMES)}; xem / see docs/deployment.md)",
        )
        module.configure(command)
        command.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.lang = args.lang or args.lang_before or "vi"
    # kpis.limits reads the environment: the option overrides it for this process only.
    os.environ.update(dict(args.limit))
    try:
        active_limits()
    except ValueError as exc:  # a KPI_MAX_<NAME> set in the environment that is not a number
        print(f"biến môi trường / environment variable {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        return args.run(args)
    except InputNotFound as exc:
        print(exc.message(args.lang), file=sys.stderr)
        return EXIT_USAGE
    except InvalidInput as exc:
        print_problems(exc.problems, args.lang, file=sys.stdout)
        return EXIT_INVALID
    except (OutputNotAFile, OutputFolderUnwritable) as exc:
        print(exc.message(args.lang), file=sys.stderr)
        return EXIT_USAGE
    except KpiError as exc:  # a busy lock, a damaged history entry: each says what to do
        message = getattr(exc, "message", None)
        print(message(args.lang) if callable(message) else str(exc), file=sys.stderr)
        return EXIT_INVALID
    except OSError as exc:  # a folder that cannot be listed, a disk that fails
        print(f"{exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


def limit_argument(text: str) -> tuple[str, str]:
    try:
        return parse_override(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def print_problems(
    problems: list[Problem], lang: str, file=sys.stderr, most: int | None = None
) -> None:
    """One line per problem, errors first, then the count of errors and warnings. `most`: at
    most that many problem lines (`import`; `validate`'s output is the contract's, all of them),
    the rest counted in one line: 560,000 copies of one mistake once printed 1.2 GB."""
    errors = errors_only(problems)
    warnings = warnings_only(problems)
    shown = errors + warnings
    if most is not None and len(shown) > most:
        shown, left = shown[:most], shown[most:]
    else:
        left = []
    for problem in shown:
        print(problem.format(lang, command_line=True), file=file)
    if left:
        print(
            fill(
                "… và {n} vấn đề nữa (thường là cùng một lỗi lặp lại): sửa các vấn đề trên rồi "
                "chạy lại, hoặc xem tất cả bằng python -m kpis validate --data TỆP",
                "… and {n} more problems (often the same mistake repeated): correct the ones "
                "above and run again, or see them all with python -m kpis validate --data FILE",
                lang,
                n=format_number(len(left), lang),
            ),
            file=file,
        )
    if errors:
        print(
            fill(
                "{errors} lỗi, {warnings} cảnh báo",
                "{errors} errors, {warnings} warnings",
                lang,
                errors=len(errors),
                warnings=len(warnings),
            ),
            file=file,
        )


def say_step(lang: str, vi: str, en: str) -> None:
    """One line of progress on stderr (stdout stays the command's output, for pipes)."""
    print(en if lang == "en" else vi, file=sys.stderr, flush=True)


def chart_progress(lang: str):
    """A `progress(done, total)` that says each chart drawn: 'đang vẽ biểu đồ 3/13'."""

    def drawn(done: int, total: int) -> None:
        say_step(lang, f"đã vẽ biểu đồ {done}/{total}", f"drew chart {done} of {total}")

    return drawn


def add_paths(parser: argparse.ArgumentParser, data_help: str = "DIR") -> None:
    parser.add_argument(
        "--targets", metavar="FILE", help="tệp kế hoạch / plan file (KPI_TARGETS, targets.yaml)"
    )
    parser.add_argument(
        "--data", metavar=data_help, help="thư mục số liệu / figures folder (KPI_DATA, data/)"
    )


def add_user(parser: argparse.ArgumentParser) -> None:
    """`--user`: the name a command that writes figures records in the audit trail."""
    parser.add_argument(
        "--user", metavar="NAME", help="tên ghi vào nhật ký / name for the audit trail (login name)"
    )


def add_secrets(parser: argparse.ArgumentParser) -> None:
    """`--secrets`: hold `--user` to the plans and agencies its account is limited to."""
    parser.add_argument(
        "--secrets",
        metavar="FILE",
        help="tệp secrets.toml: chỉ ghi cho các kế hoạch và cơ quan của tài khoản --user / "
        "secrets.toml: write only for the plans and agencies of the --user account",
    )


def agency_limits(args: argparse.Namespace, user: str) -> tuple[Scope | None, str | None]:
    """The plans and agencies `user` may write for under `--secrets` (None: no limit), or why
    `user` may not write at all (not an editor of that file).

    The limit is read against the deployment's catalogue (KPI_TARGETS or targets.yaml, and
    KPI_PLANS or plans/), never the one `--targets` would make: bare agency ids hold in the
    default plan, and `--targets plans/other.yaml` must not make that plan the default."""
    from kpis.auth import load_editors
    from kpis.catalogue import load_catalogue
    from kpis.paths import targets_path
    from kpis.scope import scope_in

    if not getattr(args, "secrets", None):
        return None, None
    from pathlib import Path

    path = Path(args.secrets)
    if not path.is_file():
        raise InputNotFound(str(path), "tệp secrets", "secrets file")
    editors = load_editors(path)
    if editors.unreadable is not None:  # every account is off: not this user's fault
        return None, f"{editors.unreadable.format(args.lang)}; " + (
            "nothing was changed" if args.lang == "en" else "không thay đổi gì"
        )
    if user not in editors.passwords and user.lower() not in editors.emails:
        return None, (
            f"«{user}» is not an editor in {path}: nothing was changed"
            if args.lang == "en"
            else f"«{user}» không phải tài khoản biên tập trong {path}: không thay đổi gì"
        )
    limit = editors.limits(user)
    if limit is None:
        return None, None
    return scope_in(limit, load_catalogue(), targets_path()), None


def year_argument(text: str) -> int:
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"không phải một năm / not a year: {text}") from None
    if not 1990 <= year <= 2100:
        raise argparse.ArgumentTypeError(
            f"năm ngoài khoảng 1990–2100 / year out of range 1990-2100: {text}"
        )
    return year


def region_option(name: str | None, plan, table, lang: str) -> tuple[str | None, str | None]:
    """`--region`, NFC-normalised (None when not given), and, when the figures have no such
    region, the message that names the regions they have."""
    from kpis.progress import regions_of

    if not name:
        return None, None
    region = unicodedata.normalize("NFC", name.strip())
    region = plan.canonical_region(region) or region  # a declared alias names its region
    known = regions_of(plan, table)
    if region in known:
        return region, None
    return region, (
        f"no figures for region «{region}» (regions: {', '.join(known)})"
        if lang == "en"
        else f"không có số liệu cho địa bàn «{region}» (có: {', '.join(known)})"
    )
