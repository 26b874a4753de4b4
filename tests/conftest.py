"""Shared pytest setup: the repo root is importable (``import kpis``) and a ``repo_root`` fixture."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """Absolute path of the repository root."""
    return REPO_ROOT


@pytest.fixture
def data_dir(tmp_path) -> Path:
    """A copy of the shipped Bắc Kạn figures (data/<year>.csv): tests never write the repo's."""
    folder = tmp_path / "data"
    folder.mkdir()
    for file in sorted((REPO_ROOT / "data").glob("[0-9][0-9][0-9][0-9].csv")):
        shutil.copyfile(file, folder / file.name)
    return folder


# A developer's own database setting must not leak into the tests: each test names its store.
os.environ.pop("KPI_DATABASE_URL", None)


@pytest.fixture(scope="session")
def postgres():
    """A PostgreSQL server of our own for the whole session (tests/postgres.py)."""
    from tests.postgres import running_server

    with running_server() as server:
        yield server


@pytest.fixture(params=["folder", "postgres"])
def figures_store(request, data_dir):
    """The shipped figures in each store: the same test runs against both implementations."""
    from kpis.store import FolderStore

    # Lạng Sơn's figures share the folder: each store must keep another plan's figures.
    shutil.copyfile(REPO_ROOT / "data" / "lang-son.csv", data_dir / "lang-son.csv")
    if request.param == "folder":
        return FolderStore(data_dir)
    from kpis.pgstore import PostgresStore

    store = PostgresStore(request.getfixturevalue("postgres").database())
    store.load(data_dir, "test")
    return store
