"""The documentation a clone carries: docs/ explains every plan key and every status, the README
links it, and nothing in the repository needs the folder beside it (`../shared`)."""

from __future__ import annotations

import re
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel

from kpis.i18n import STATUS_STYLES
from kpis.plan import Plan
from kpis.progress import STATUSES

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
FORMATS = ("file-formats.md", "dinh-dang-tep.md")
METHODS = ("method.md", "phuong-phap.md")


def _models(model: type[BaseModel], seen: set[type[BaseModel]]) -> set[type[BaseModel]]:
    """The model and every model reachable through its fields' types."""
    if model in seen:
        return seen
    seen.add(model)
    for field in model.model_fields.values():
        stack = [field.annotation]
        while stack:
            kind = stack.pop()
            if isinstance(kind, type) and issubclass(kind, BaseModel):
                _models(kind, seen)
            stack.extend(typing.get_args(kind))
    return seen


def _plan_keys() -> set[str]:
    return {
        field.alias or name
        for model in _models(Plan, set())
        for name, field in model.model_fields.items()
    }


@pytest.mark.parametrize("doc", FORMATS)
def test_every_key_of_a_plan_is_documented(doc):
    text = (DOCS / doc).read_text("utf-8")
    missing = sorted(
        key for key in _plan_keys() if f"`{key}`" not in text and f"{key}:" not in text
    )
    assert missing == [], f"document these plan keys in docs/{doc}: {missing}"


@pytest.mark.parametrize("doc", METHODS)
def test_the_status_words_in_the_method_docs_are_the_dashboards(doc):
    table = {}
    for line in (DOCS / doc).read_text("utf-8").splitlines():
        match = re.match(r"\| (\w+) \| ([^|]+) \| ([^|]+) \|", line)
        if match and match.group(1) in STATUSES:
            table[match.group(1)] = (match.group(2).strip(), match.group(3).strip())
    assert set(table) == set(STATUSES) == set(STATUS_STYLES)
    for status, (vi, en) in table.items():
        assert (STATUS_STYLES[status].vi, STATUS_STYLES[status].en) == (vi, en)


def test_the_readme_links_the_docs_and_every_link_resolves():
    readme = (ROOT / "README.md").read_text("utf-8")
    links = re.findall(r"\]\(((?:docs/)?[\w./-]+\.md)\)", readme)
    for doc in FORMATS + METHODS:
        assert f"docs/{doc}" in links
    for doc in DOCS.glob("*.md"):
        for link in re.findall(r"\]\(([\w./-]+\.md)\)", doc.read_text("utf-8")):
            assert (doc.parent / link).resolve().is_file(), f"{doc.name} links {link}"
    for link in links:
        assert (ROOT / link).is_file(), link


def test_nothing_needs_the_folder_beside_the_repository():
    # A clone must stand alone: tests, commands and links read the repository's own files.
    places = [ROOT / "README.md", *DOCS.glob("*.md"), *(ROOT / "tests").rglob("*.py")]
    places += [*(ROOT / "bench").glob("*.py"), ROOT / ".ci" / "run", *(ROOT / "kpis").rglob("*.py")]
    pattern = re.compile(r"\.\./shared|parents\[2\]\s*/\s*\"shared\"")
    offenders = [
        str(path.relative_to(ROOT))
        for path in places
        if path != Path(__file__) and pattern.search(path.read_text("utf-8"))
    ]
    assert offenders == []


def test_the_first_commands_of_the_readme_make_their_own_virtual_environment():
    # Debian 12's and Ubuntu's python3 refuse a bare `pip install` (PEP 668).
    blocks = re.findall(r"```bash\n(.*?)```", (ROOT / "README.md").read_text("utf-8"), re.S)
    run, test = blocks[0].strip(), blocks[1].strip()
    for command in (run, test):
        assert command.startswith("python3 -m venv .venv && .venv/bin/pip install -r requirements")
    assert run.endswith(".venv/bin/streamlit run dashboard.py")
    assert test.endswith(".venv/bin/pytest")


CLOSED_NETWORK = "Cài trên mạng nội bộ không có Internet / Installing on a closed network"


def _section(text: str, heading: str) -> str:
    """The text under `heading` (any level, numbered or not) up to the next heading of the same
    or a higher level; a `#` comment inside a code block is not a heading."""
    lines, start, level, fenced = text.splitlines(), None, 0, False
    for number, line in enumerate(lines):
        if line.startswith("```"):
            fenced = not fenced
        found = None if fenced else re.match(r"(#+) (?:\d+\. )?(.*)$", line)
        if found is None:
            continue
        if start is None and found.group(2) == heading:
            start, level = number + 1, len(found.group(1))
        elif start is not None and len(found.group(1)) <= level:
            return "\n".join(lines[start:number])
    assert start is not None, f"no heading «{heading}»"
    return "\n".join(lines[start:])


@pytest.mark.parametrize("doc", ["README.md", "docs/deployment.md"])
def test_installing_on_a_closed_network_is_told_in_both_languages_with_its_commands(doc):
    # Provincial networks are often closed: the first step must not assume pypi.org.
    section = _section((ROOT / doc).read_text("utf-8"), CLOSED_NETWORK)
    assert "máy có Internet" in section and "connected machine" in section
    for command in (
        "pip download -r requirements.txt -d wheels",
        "python3 -m venv .venv && .venv/bin/pip install --no-index --find-links wheels "
        "-r requirements.txt",
        "requirements-dev.txt",
        "gatherUsageStats",
    ):
        assert command in section, f"{doc} does not say {command}"


def test_the_closed_network_page_brings_the_debian_packages_and_says_nothing_is_fetched():
    import tomllib

    section = _section((DOCS / "deployment.md").read_text("utf-8"), CLOSED_NETWORK)
    for words in ("apt-get install --download-only", "apt-get download", "apt-offline"):
        assert words in section
    for package in ("chromium", "libreoffice-calc", "postgresql", "python3-venv"):
        assert f"`{package}`" in section
    # What the page promises is what the shipped settings do.
    assert "`gatherUsageStats = false`" in section
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text("utf-8"))
    assert config["browser"]["gatherUsageStats"] is False
    assert config["browser"]["serverAddress"]


@pytest.mark.parametrize(
    ("doc", "said"),
    [
        (
            "tasks.md",
            (
                "an empty `note` cell (or a file without a `note` column) keeps the saved note",
                "a task's note cannot be removed by uploading an empty one, and there is no other "
                "way on the page or the command line to remove it",
            ),
        ),
        (
            "nhiem-vu.md",
            (
                "ô `ghi chú` để trống (hoặc tệp không có cột ghi chú) giữ nguyên ghi chú đã lưu",
                "không thể xoá ghi chú của một nhiệm vụ bằng cách tải lên ô ghi chú trống, và trên "
                "trang web cũng như dòng lệnh không có cách nào khác để xoá",
            ),
        ),
    ],
)
def test_the_tasks_docs_say_an_empty_note_keeps_the_saved_one_and_none_can_be_removed(doc, said):
    # The rule tests/test_tasks.py holds (kpis.tasks.plan_task_import): staff who send an
    # empty note to remove one must read that it stays.
    text = " ".join((DOCS / doc).read_text("utf-8").split())
    for words in said:
        assert words in text, f"docs/{doc} does not say: {words}"


def test_the_server_holds_the_page_s_upload_limit_and_the_docs_say_so():
    # Security review finding 2: the uploader's limit is checked in the browser only; the
    # server's own (Streamlit's, in MB) must be the same number, or anyone can send 200 MB.
    import tomllib

    from kpis.store import MAX_UPLOAD_BYTES

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text("utf-8"))
    assert config["server"]["maxUploadSize"] * 1024 * 1024 == MAX_UPLOAD_BYTES
    text = " ".join((DOCS / "deployment.md").read_text("utf-8").split())
    assert "`server.maxUploadSize = 5`" in text
    assert "set a body limit on every location" in text
