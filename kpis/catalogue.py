"""The plans on offer: `targets.yaml` plus every `*.yaml` in `plans/` (or the `KPI_PLANS` folder).

One set of figures serves every plan of a catalogue: an indicator id means the same thing in
every plan, so the figures of all plans lie in one data folder. When the figures are read for
one plan, the ids of its sibling plans are not errors, only not its indicators
(`sibling_ids`); a plan with no siblings is read exactly as CONTRACT.md says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kpis.errors import InvalidInput, Problem
from kpis.paths import DEFAULT_PLANS, plans_path, targets_path
from kpis.plan import Plan, load_plan
from kpis.yaml_lines import load_yaml_with_lines

PLAN_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class PlanEntry:
    """One valid plan of the catalogue and the file it comes from."""

    path: Path
    plan: Plan
    warnings: tuple[Problem, ...] = ()

    @property
    def id(self) -> str:
        return self.plan.plan.id


@dataclass
class Catalogue:
    """The valid plans, the main plan (`targets.yaml`) first, and what is wrong with the rest."""

    entries: list[PlanEntry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ids(self) -> list[str]:
        return [entry.id for entry in self.entries]

    @property
    def default(self) -> PlanEntry | None:
        return self.entries[0] if self.entries else None

    def get(self, plan_id: str | None) -> PlanEntry | None:
        return next((entry for entry in self.entries if entry.id == plan_id), None)


def plan_files(targets: str | Path | None = None, plans: str | Path | None = None) -> list[Path]:
    """The main plan file (if it exists), then `*.yaml` in the plans folder, by name.

    Hidden files and files starting with `_` are left out, as in the data folder.
    """
    main = targets_path(targets)
    files = [main] if main.is_file() else []
    folder = plans_path(plans)
    if folder.is_dir():
        seen = {main.resolve()}
        for entry in sorted(folder.iterdir()):
            if (
                entry.is_file()
                and entry.suffix.lower() in PLAN_SUFFIXES
                and not entry.name.startswith((".", "_"))
                and entry.resolve() not in seen
            ):
                files.append(entry)
    return files


def load_catalogue(targets: str | Path | None = None, plans: str | Path | None = None) -> Catalogue:
    """Every plan of the catalogue, validated. Invalid files and repeated plan ids are problems
    of the catalogue, not exceptions: the other plans stay usable."""
    catalogue = Catalogue()
    first_file: dict[str, Path] = {}
    for path in plan_files(targets, plans):
        try:
            plan, warnings = load_plan(path)
        except InvalidInput as exc:
            catalogue.problems.extend(exc.problems)
            continue
        plan_id = plan.plan.id
        if plan_id in first_file:
            catalogue.problems.append(
                Problem(
                    str(path),
                    f"mã kế hoạch «{plan_id}» đã dùng ở {first_file[plan_id]}: mỗi kế "
                    "hoạch cần một mã riêng",
                    f"plan id «{plan_id}» is already used by "
                    f"{first_file[plan_id]}: each plan needs its own id",
                    column="plan.id",
                )
            )
            continue
        first_file[plan_id] = path
        catalogue.entries.append(PlanEntry(path, plan, tuple(warnings)))
    return catalogue


def sibling_ids(targets: str | Path) -> frozenset[str]:
    """Indicator ids of the other plans of the catalogue `targets` belongs to.

    Its catalogue is the default one (`targets.yaml` and `plans/`, or KPI_TARGETS and
    KPI_PLANS) when it is one of its files, else the `plans/` folder beside it, else none.
    Ids are read without validating the sibling plans, so a broken sibling does not break this
    plan; it is reported when it is itself chosen.
    """
    me = Path(targets).resolve()
    files = plan_files()
    if all(f.resolve() != me for f in files):
        beside = Path(targets).parent / DEFAULT_PLANS
        files = plan_files(targets, beside) if beside.is_dir() else []
    ids: set[str] = set()
    for path in files:
        if path.resolve() != me:
            ids |= _indicator_ids(path)
    return frozenset(ids)


def _indicator_ids(path: Path) -> set[str]:
    try:
        # Read as the plan itself is (kpis.yaml_lines): within the limits, a recursive alias
        # refused, a date that does not exist kept as text.
        data = load_yaml_with_lines(path.read_bytes().decode("utf-8-sig")).data
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError):
        return set()
    items = data.get("indicators") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return set()
    return {
        item["id"] for item in items if isinstance(item, dict) and isinstance(item.get("id"), str)
    }
