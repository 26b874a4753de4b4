"""`python -m kpis undo | redo` name a save by the local time the /data page shows for it, and
say which files they deleted, on a copy of the shipped figures, as real processes.

The server runs in UTC here (TZ=UTC), as on the review's machine: the audit trail keeps its
ISO time with the offset, and the words give Vietnam's clock (UTC+7, no summer time).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

from streamlit.testing.v1 import AppTest

from kpis import auth
from kpis.store import read_audit

REPO = Path(__file__).resolve().parents[1]
VIETNAM = dt.timezone(dt.timedelta(hours=7))
# 2025.csv does not exist in the shipped figures: the import creates it; 2024.csv it changes.
UPLOAD = (
    "indicator,year,value,source\n"
    "biotech_lab,2025,1,Báo cáo 7/BC-SKHCN\n"
    "public_st_orgs,2024,3,Báo cáo 8/BC-SKHCN\n"
)


def kpis(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kpis", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO), "TZ": "UTC", **(env or {})},
    )


def imported(tmp_path: Path, data_dir: Path) -> dt.datetime:
    """Import UPLOAD as «An»; the save's time as the audit trail records it."""
    upload = tmp_path / "so-lieu.csv"
    upload.write_text(UPLOAD, encoding="utf-8")
    assert not (data_dir / "2025.csv").exists()
    done = kpis("import", str(upload), "--data", str(data_dir), "--user", "An")
    assert done.returncode == 0, done.stderr
    assert (data_dir / "2025.csv").exists()
    return dt.datetime.fromisoformat(read_audit(data_dir)[-1]["time"])


def test_undo_and_redo_give_the_saves_local_time_and_say_which_file_they_removed(
    tmp_path, data_dir
):
    saved = imported(tmp_path, data_dir)
    assert saved.utcoffset() == dt.timedelta(0)  # the server's clock: UTC
    local = saved.astimezone(VIETNAM)

    undone = kpis("undo", "--data", str(data_dir), "--user", "Bình")
    assert undone.returncode == 0, undone.stderr
    assert undone.stdout == (
        f"đã hoàn tác lượt lưu lúc {local:%d/%m/%Y %H:%M} của An (2 số liệu; "
        "tệp được khôi phục: 2024.csv; đã xoá 2025.csv (do lượt lưu đó tạo ra))\n"
    )
    assert not (data_dir / "2025.csv").exists()  # what the words say happened

    redone = kpis("redo", "--data", str(data_dir), "--user", "Bình", "--lang", "en")
    assert redone.returncode == 0, redone.stderr
    assert redone.stdout == (
        f"redone: the save of {local:%Y-%m-%d %H:%M} by An (2 figures; "
        "files rewritten: 2024.csv, 2025.csv)\n"
    )
    assert (data_dir / "2025.csv").exists()

    again = kpis("undo", "--data", str(data_dir), "--user", "Bình", "--lang", "en")
    assert again.returncode == 0, again.stderr
    assert "; files restored: 2024.csv; removed 2025.csv (created by that save))" in (again.stdout)
    # The audit trail is for machines: its time column stays ISO with the offset.
    times = [row["time"] for row in read_audit(data_dir)]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", t) for t in times)


def test_a_refused_redo_lists_the_newer_saves_by_local_time(tmp_path, data_dir):
    imported(tmp_path, data_dir)
    assert kpis("undo", "--data", str(data_dir), "--user", "Bình").returncode == 0
    other = tmp_path / "other.csv"
    other.write_text("indicator,year,value,source\npublic_st_orgs,2023,2,BC 9\n", encoding="utf-8")
    assert kpis("import", str(other), "--data", str(data_dir), "--user", "Dũng").returncode == 0
    newer = dt.datetime.fromisoformat(read_audit(data_dir)[-1]["time"]).astimezone(VIETNAM)

    refused = kpis("redo", "--data", str(data_dir), "--user", "Bình")
    assert refused.returncode == 1
    assert f"  {newer:%d/%m/%Y %H:%M} Dũng (import): public_st_orgs" in refused.stderr
    assert "+00:00" not in refused.stderr


def test_the_command_line_and_the_data_page_name_the_same_save_by_the_same_time(
    tmp_path, data_dir, monkeypatch
):
    imported(tmp_path, data_dir)
    password = "mat-khau-cua-an-2025"
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[editors]\nan = "{auth.hash_password(password)}"\n', encoding="utf-8")
    monkeypatch.setenv("KPI_DATA", str(data_dir))
    monkeypatch.setenv("KPI_TARGETS", str(REPO / "targets.yaml"))
    monkeypatch.setenv("KPI_SECRETS", str(secrets))
    monkeypatch.delenv("KPI_READ_ONLY", raising=False)
    auth.THROTTLE.succeeded("an")
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
    at.run()
    at.switch_page("app_pages/data.py").run()
    at.text_input(key="data_login_user").set_value("an")
    at.text_input(key="data_login_password").set_value(password)
    at.button(key="data_login_button").click().run()
    assert not at.exception, [e.value for e in at.exception]
    history = next(df.value for df in at.dataframe if "Thời gian" in df.value.columns)
    shown = history.iloc[0]["Thời gian"]

    undone = kpis("undo", "--data", str(data_dir), "--user", "an")
    assert undone.returncode == 0, undone.stderr
    assert undone.stdout.startswith(f"đã hoàn tác lượt lưu lúc {shown} của An ")
