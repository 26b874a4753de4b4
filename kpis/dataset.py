"""A plan and its figures loaded together: the one entry point for the CLI, pages and exports."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from kpis import store
from kpis.catalogue import sibling_ids
from kpis.errors import Problem, StoreBusy
from kpis.figures import Figures
from kpis.paths import data_location, targets_path
from kpis.plan import Plan, load_plan
from kpis.store import open_store

RECOVERY_WAIT_S = 15.0


@dataclass
class Dataset:
    plan: Plan
    figures: Figures
    plan_warnings: list[Problem]

    @property
    def problems(self) -> list[Problem]:
        return self.plan_warnings + self.figures.problems

    @property
    def errors(self) -> list[Problem]:
        return self.figures.errors


def load_dataset(
    targets: str | Path | None = None,
    data: str | Path | None = None,
    also_known: Collection[str] | None = None,
    sources: bool = True,
) -> Dataset:
    """Load the plan (raising PlanInvalid on any plan error) and every figure it can read.

    Figures problems do not raise: valid figures are kept and the problems listed, so a page
    can chart what is right; the CLI turns them into exit code 1. One set of figures serves
    every plan of a catalogue: ids of the plan's sibling plans (`also_known`, found by
    `kpis.catalogue.sibling_ids` when not given) are not errors, only not this plan's. A plan
    with no siblings is read exactly as CONTRACT.md says. `sources=False`: the figures table
    has no source and note columns (`kpis.figures.read_figures`). `data`: a folder or file,
    else wherever `kpis.store.open_store` finds the figures.
    """
    path = targets_path(targets)
    folder = data_location(data)  # a database (KPI_DATABASE_URL) leaves the folder alone
    if isinstance(folder, Path) and folder.is_dir() and store.needs_recovery(folder):
        # An import or undo interrupted half-way is finished before anyone reads the figures,
        # so a half-applied import is never shown (the next write would have done it too).
        # One being saved right now holds the lock: wait for it, a little.
        try:
            store.recover(folder, timeout=RECOVERY_WAIT_S)
        except OSError:  # a read-only mount (viewers): the writer finishes it, show nothing
            raise StoreBusy(str(folder / store.LOCK_NAME)) from None
    plan, plan_warnings = load_plan(path)
    if also_known is None:
        also_known = sibling_ids(path)
    figures = open_store(data).read_figures(plan, also_known, sources)
    return Dataset(plan=plan, figures=figures, plan_warnings=plan_warnings)
