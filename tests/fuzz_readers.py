"""The fuzz loop of tests/test_fuzz.py, run in a child process under memory and time limits.

`python tests/fuzz_readers.py KIND N` throws N mutated files of one kind (csv, xlsx, yaml) at
the reader or the plan loader. Every outcome must be a value: figures and problems, a plan,
or PlanInvalid with its problems. Anything else escapes as a traceback and fails the test,
with hypothesis' smallest example printed.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kpis.errors import PlanInvalid  # noqa: E402
from kpis.figures import parse_figures_bytes, text_rows  # noqa: E402
from kpis.plan import parse_plan  # noqa: E402
from tests.helpers import make_plan, plan_text  # noqa: E402

PLAN = make_plan(
    {"id": "orgs", "integer": True},
    {"id": "share", "unit": "%"},
    {"id": "lab", "kind": "milestone"},
    {"id": "spend"},
    {"id": "ratio", "formula": "spend / orgs"},
)
CSV_SEED = (
    "indicator,region,year,value,source,note\n"
    "orgs,Bắc Kạn,2020,3,Báo cáo 12/BC,\n"
    'share,,2021,"1,5","BC, 2021",ghi chú\n'
    "lab,Thái Nguyên,2022,1,,\n"
).encode()
YAML_SEED = plan_text(
    {"id": "orgs", "integer": True, "targets": [{"year": 2020, "min": 3}]},
    {"id": "share", "unit": "%", "baseline": {"year": 2015, "value": 1.2}},
    {"id": "ratio", "formula": "share / orgs"},
    notes="Ghi chú: &anchor",
).encode()
TOKENS = [
    b"\r", b"\n", b"\r\n", b"\x00", b"\x0b", b'"', b",", b";", b"\t", b"1e999", b"nan", b"-inf",
    b"\xe1", b"\xef\xbb\xbf", "\u200b".encode(), "\u202e".encode(), b"=HYPERLINK(\"http://x\")",
    b"[x](http://e)", b"&a [1]", b"*a", b"[" * 60, b"{" * 60, b"!!python/object:os.system",
    b"<!DOCTYPE x [<!ENTITY a \"aaaa\">]>", b"&a;", b"9" * 400, b"A1:XFD1048576",
    b" " * 3, b"\xff\xfe", b"<row r=\"99999999\">", b"-",
]  # fmt: skip


def mutations() -> st.SearchStrategy:
    position = st.floats(0, 1)
    return st.lists(
        st.one_of(
            st.tuples(st.just("insert"), position, st.sampled_from(TOKENS)),
            st.tuples(st.just("bytes"), position, st.binary(min_size=1, max_size=8)),
            st.tuples(st.just("delete"), position, st.integers(1, 40)),
            st.tuples(st.just("repeat"), position, st.integers(2, 30)),
            st.tuples(st.just("cut"), position, st.just(0)),
        ),
        min_size=1,
        max_size=6,
    )


def mutate(raw: bytes, steps) -> bytes:
    for kind, where, arg in steps:
        at = int(where * len(raw))
        if kind in ("insert", "bytes"):
            raw = raw[:at] + arg + raw[at:]
        elif kind == "delete":
            raw = raw[:at] + raw[at + arg :]
        elif kind == "repeat":
            raw = raw[:at] + raw[at : at + 20] * arg + raw[at:]
        else:
            raw = raw[:at]
    return raw


def xlsx_seed() -> dict[str, bytes]:
    book = Workbook()
    sheet = book.active
    sheet.append(["indicator", "region", "year", "value", "source"])
    sheet.append(["orgs", "Bắc Kạn", 2020, 3, "Báo cáo 12"])
    sheet.append(["share", "", 2021, 1.5, '=HYPERLINK("http://x")'])
    out = io.BytesIO()
    book.save(out)
    with zipfile.ZipFile(out) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


XLSX_PARTS = xlsx_seed()


def rezip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def read(raw: bytes) -> None:
    table, problems = parse_figures_bytes(raw, "fuzz.csv", PLAN)
    assert all(p.message_vi and p.message_en for p in problems)
    text_rows(raw, "fuzz.csv")  # what the store reads a saved file with


def run(kind: str, examples: int) -> None:
    common = settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    if kind == "csv":

        @common
        @given(mutations())
        def case(steps):
            read(mutate(CSV_SEED, steps))

    elif kind == "xlsx":

        @common
        @given(st.sampled_from(sorted(XLSX_PARTS)), mutations(), st.booleans())
        def case(part, steps, whole):
            if whole:  # the zip's own bytes damaged
                read(mutate(rezip(XLSX_PARTS), steps))
            else:  # one part's XML damaged, the zip intact
                read(rezip({**XLSX_PARTS, part: mutate(XLSX_PARTS[part], steps)}))

    else:

        @common
        @given(mutations())
        def case(steps):
            text = mutate(YAML_SEED, steps).decode("utf-8", errors="replace")
            try:
                parse_plan(text)
            except PlanInvalid as invalid:
                assert invalid.problems

    case()
    print('"ok"')


if __name__ == "__main__":
    run(sys.argv[1], int(sys.argv[2]))
