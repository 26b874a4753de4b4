"""A plan and its figures loaded together: the one entry point for the CLI, pages and exports."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kpis.errors import Problem
from kpis.figures import Figures, read_figures
from kpis.paths import data_path, targets_path
from kpis.plan import Plan, load_plan


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


def load_dataset(targets: str | Path | None = None, data: str | Path | None = None) -> Dataset:
    """Load the plan (raising PlanInvalid on any plan error) and every figure it can read.

    Figures problems do not raise: valid figures are kept and the problems listed, so a page
    can chart what is right; the CLI turns them into exit code 1.
    """
    plan, plan_warnings = load_plan(targets_path(targets))
    figures = read_figures(data_path(data), plan)
    return Dataset(plan=plan, figures=figures, plan_warnings=plan_warnings)
