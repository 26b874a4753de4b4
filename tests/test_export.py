"""kpis.export's file writing: whole files only, at the name given, never over anything else
(security review, finding 6)."""

from __future__ import annotations

import os
import stat

import pytest

from kpis.errors import OutputNotAFile
from kpis.export import check_output, write_atomically


def test_a_new_name_and_a_regular_file_are_written_whole_with_the_umask_s_mode(tmp_path):
    target = tmp_path / "bang.xlsx"
    write_atomically(target, b"one")
    write_atomically(target, b"two")  # an old file is overwritten
    assert target.read_bytes() == b"two"
    mask = os.umask(0o022)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask  # not mkstemp's 0600
    assert [p.name for p in tmp_path.iterdir()] == ["bang.xlsx"]  # no temporary file left


def test_the_temporary_file_is_not_a_name_that_can_be_planted(tmp_path):
    # The old fixed `.NAME.partial`, made a symbolic link to another file beforehand, was
    # written through: the other file was overwritten.
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"keep")
    (tmp_path / ".bang.xlsx.partial").symlink_to(victim)
    write_atomically(tmp_path / "bang.xlsx", b"data")
    assert victim.read_bytes() == b"keep"
    assert (tmp_path / "bang.xlsx").read_bytes() == b"data"


@pytest.mark.parametrize("kind", ["folder", "pipe", "symbolic link"])
def test_anything_but_a_regular_file_is_refused_and_left_as_it_was(tmp_path, kind):
    target = tmp_path / "out.pptx"
    if kind == "folder":
        target.mkdir()
    elif kind == "pipe":
        os.mkfifo(target)
    else:
        (tmp_path / "real.pptx").write_bytes(b"real")
        target.symlink_to(tmp_path / "real.pptx")
    before = os.lstat(target).st_mode
    with pytest.raises(OutputNotAFile) as refused:
        write_atomically(target, b"data")
    assert kind in refused.value.message("en") and str(target) in refused.value.message("vi")
    assert os.lstat(target).st_mode == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["out.pptx", *(["real.pptx"] if kind == "symbolic link" else [])]
    )
    if kind == "symbolic link":
        assert (tmp_path / "real.pptx").read_bytes() == b"real"


def test_a_missing_name_passes_the_check(tmp_path):
    check_output(tmp_path / "new.docx")
    (tmp_path / "old.docx").write_bytes(b"")
    check_output(tmp_path / "old.docx")
