"""The layering of STYLE.md: `kpis/` is logic only and never imports streamlit."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

KPIS = Path(__file__).resolve().parents[1] / "kpis"


def test_no_module_of_kpis_imports_streamlit_in_its_source():
    offenders = []
    for path in sorted(KPIS.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "streamlit"]
    assert offenders == []


def test_importing_every_kpis_module_loads_no_streamlit():
    modules = sorted(
        ".".join(p.relative_to(KPIS.parent).with_suffix("").parts)
        for p in KPIS.rglob("*.py")
        if p.name != "__main__.py"
    )
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "print('streamlit' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=KPIS.parent, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_no_eval_or_unsafe_yaml_anywhere():
    for path in [
        *KPIS.rglob("*.py"),
        *KPIS.parent.glob("*.py"),
        *(KPIS.parent / "app_pages").glob("*.py"),
    ]:
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = ast.unparse(node.func)
                assert name not in ("eval", "exec", "yaml.load", "yaml.unsafe_load"), (
                    f"{path}: {name}"
                )


# The store's operations that need to know where the figures are: outside kpis/store.py they
# are reached through a `Store` from `open_store`, so a page or command works on either store.
STORE_OPERATIONS = {
    "plan_import",
    "apply_import",
    "import_figures",
    "undo",
    "entries",
    "history",
    "read_audit",
    "snapshot",
    "fingerprint",
    "history_dir",
    "recover",
}


def test_pages_and_commands_reach_the_figures_only_through_open_store():
    root = KPIS.parent
    sources = [*sorted((root / "app_pages").glob("*.py")), *sorted(KPIS.rglob("*.py"))]
    sources += [*sorted((root / "ui").glob("*.py")), root / "dashboard.py"]
    offenders = []
    for path in sources:
        if path.name in ("store.py", "pgstore.py"):  # the implementations themselves
            continue
        if path.relative_to(root).as_posix() == "kpis/commands/tasks.py":
            continue  # task progress (issue 16) is kept in the data folder only, for now
        if path.relative_to(root).as_posix() == "kpis/dataset.py":
            continue  # finishes a folder's interrupted import before reading it (issue 10)
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "store"
                and node.attr in STORE_OPERATIONS
            ):
                offenders.append(f"{path.relative_to(root)}:{node.lineno}: store.{node.attr}")
            if isinstance(node, ast.ImportFrom) and node.module == "kpis.store":
                offenders += [
                    f"{path.relative_to(root)}:{node.lineno}: import {alias.name}"
                    for alias in node.names
                    if alias.name in STORE_OPERATIONS
                ]
    assert offenders == []
