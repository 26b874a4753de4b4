"""Fuzzing (issue 10): mutated CSV, xlsx and YAML files thrown at the reader and the plan
loader in a child process with a memory limit (2 GB of address space) and a time limit; every
file must end as figures or problems, never a traceback (tests/fuzz_readers.py)."""

from __future__ import annotations

import pytest

from tests.sandbox import run_limited

EXAMPLES = {"csv": 150, "xlsx": 100, "yaml": 150}


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
def test_mutated_files_give_problems_never_a_traceback(kind):
    code = (
        "import runpy, sys\n"
        f"sys.argv = ['fuzz', {kind!r}, '{EXAMPLES[kind]}']\n"
        "runpy.run_path('tests/fuzz_readers.py', run_name='__main__')\n"
    )
    assert run_limited(code, timeout=240) == "ok"
