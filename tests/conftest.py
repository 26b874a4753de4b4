"""Shared pytest setup: the repo root is importable (``import kpis``) and a ``repo_root`` fixture."""

from __future__ import annotations

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
