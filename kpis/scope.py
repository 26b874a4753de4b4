"""What a limited editor account may write: which plans, and within each plan which agencies.

All plans of a catalogue share one figures store, and agency ids are the plans' own words:
Lạng Sơn's plan calls its department `so-khcn` as Bắc Kạn's does. A limit by agency id alone
therefore reached every plan that happens to use the id (security review, finding 1). A limit
is now read against a plan:

    [editors]
    an   = { hash = "...", agencies = ["so-tc"] }                         # the default plan only
    binh = { hash = "...", plans = ["lang-son-147-2023"] }                # that whole plan
    chi  = { hash = "...", agencies = ["lang-son-147-2023:so-khcn"] }     # one agency of one plan
    dung = { hash = "...", plans = ["bac-kan-684-2016", "thai-nguyen-57-2025"],
             agencies = ["so-tc"] }                                       # so-tc in both plans

- `plans`: the plans the account may edit (absent: the plans its agency ids name).
- An agency id `PLAN:AGENCY` holds in that plan only; a bare id holds in every plan `plans`
  lists, or, without `plans`, in the catalogue's default plan (`targets.yaml`) only: what a
  secrets file written before plans could be named meant where it was written.
- A listed plan that no agency id reaches is writable whole (its indicators and tasks,
  including those no agency answers for).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kpis.i18n import plan_text

if TYPE_CHECKING:  # kpis.auth reads limits without loading plans
    from kpis.catalogue import Catalogue

PLAN_MARK = ":"  # "plan-id:agency-id"
TASKS_FILE = ("_tasks-", ".csv")  # kpis.tasks.progress_file: the audit row's file names its plan


@dataclass(frozen=True)
class Limit:
    """An account's limit as the secrets file writes it (kpis.auth), not yet read against a
    catalogue."""

    plans: frozenset[str] | None = None  # `plans = [...]`; None when the key is absent
    agencies: frozenset[str] = frozenset()  # bare agency ids
    plan_agencies: Mapping[str, frozenset[str]] = field(default_factory=dict)  # "plan:agency"

    @classmethod
    def parse(
        cls, agencies: Collection[str] = (), plans: Collection[str] | None = None
    ) -> tuple[Limit | None, str | None]:
        """The limit of an account's `agencies` and `plans` (lists of non-empty ids), or None
        and why it cannot be one: a `PLAN:AGENCY` naming a plan `plans` leaves out is a
        contradiction the administrator settles, not one we guess."""
        bare: set[str] = set()
        by_plan: dict[str, set[str]] = {}
        for item in agencies:
            plan_id, mark, agency = item.partition(PLAN_MARK)
            if not mark:
                bare.add(item)
            elif not plan_id.strip() or not agency.strip():
                return None, f"«{item}» is not PLAN-ID:AGENCY-ID"
            else:
                by_plan.setdefault(plan_id.strip(), set()).add(agency.strip())
        listed = frozenset(plans) if plans is not None else None
        if listed is not None and set(by_plan) - listed:
            strays = ", ".join(sorted(set(by_plan) - listed))
            return None, f"agencies name plans that `plans` does not list ({strays})"
        return cls(listed, frozenset(bare), {p: frozenset(ids) for p, ids in by_plan.items()}), None

    def scope(
        self,
        default_plan: str | None,
        indicator_plans: Mapping[str, Collection[str]] | None = None,
        labels: Mapping[str, tuple[str, str | None]] | None = None,
    ) -> Scope:
        """The plans this limit reaches and its agencies in each, with `default_plan` the
        catalogue's default (where bare ids hold when no plan is listed; None: no default plan
        could be read, and bare ids then reach nothing); `labels`: the catalogue's plans as the
        sidebar names them (Vietnamese, English), which the refusals name plans by."""
        if self.plans is not None:
            reached = set(self.plans)
        else:
            reached = set(self.plan_agencies)
            if self.agencies and default_plan:
                reached.add(default_plan)
        plans: dict[str, frozenset[str] | None] = {}
        for plan_id in reached:
            ids = set(self.plan_agencies.get(plan_id, ()))
            if self.plans is not None or plan_id == default_plan:
                ids |= self.agencies
            plans[plan_id] = frozenset(ids) if ids else None
        return Scope(
            plans=plans,
            default_plan=default_plan,
            bare_default_only=self.plans is None and bool(self.agencies),
            indicator_plans={k: tuple(v) for k, v in (indicator_plans or {}).items()},
            labels=dict(labels or {}),
        )


@dataclass(frozen=True)
class Scope:
    """What a limited account may write: plan id -> the agencies it writes for there (None:
    the whole plan). A plan that is not a key: nothing of it."""

    plans: Mapping[str, frozenset[str] | None]
    default_plan: str | None = None
    bare_default_only: bool = False  # bare agency ids and no `plans`: the refusal explains them
    # The catalogue's plans of each indicator id: an audit row names its indicator, not its plan.
    indicator_plans: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # The catalogue's plans (Vietnamese, English) by id as the sidebar names them («684/QĐ-UBND
    # · Bắc Kạn»): people know a plan by its document and province, not by its id, and a
    # title is a paragraph long.
    labels: Mapping[str, tuple[str, str | None]] = field(default_factory=dict)

    def label(self, plan_id: str, lang: str) -> str:
        """The plan as the sidebar names it, in `lang`; its id when the catalogue has no such
        plan (a secrets file may name one that was removed)."""
        if plan_id not in self.labels:
            return plan_id
        return plan_text(*self.labels[plan_id], lang)

    def covers(self, plan_id: str) -> bool:
        return plan_id in self.plans

    def agencies(self, plan_id: str) -> frozenset[str] | None:
        """The agencies written for in `plan_id` (None: all of it; empty: none, not covered)."""
        return self.plans.get(plan_id, frozenset())

    def plans_of(self, row: Mapping[str, str]) -> tuple[str, ...]:
        """The plans an audit row's change belongs to: a task's, from its progress file
        (`_tasks-<plan id>.csv`); a figure's, those of the catalogue that have its indicator."""
        if row.get("task"):
            name = str(row.get("file") or "")
            head, tail = TASKS_FILE
            if name.startswith(head) and name.endswith(tail):
                return (name[len(head) : -len(tail)],)
            return ()
        return self.indicator_plans.get(str(row.get("indicator") or ""), ())

    def allows(self, row: Mapping[str, str]) -> bool:
        """Whether an audit row's change is within reach: one of its plans is covered, and
        there the whole plan, or one of the row's agencies (as the trail records them)."""
        owners = set(str(row.get("agency") or "").split())
        for plan_id in self.plans_of(row):
            if plan_id in self.plans:
                mine = self.plans[plan_id]
                if mine is None or owners & mine:
                    return True
        return False


def default_plan_id(catalogue: Catalogue, main: Path) -> str | None:
    """The catalogue's default plan: the one of `main` (targets.yaml, KPI_TARGETS). None when
    that file is missing or invalid: the first of `plans/` then leads the sidebar, but bare
    agency ids must not move to another province's plan because a file broke."""
    entry = catalogue.default
    if entry is None or entry.path.resolve() != Path(main).resolve():
        return None
    return entry.id


def scope_in(limit: Limit | None, catalogue: Catalogue, main: Path) -> Scope | None:
    """`limit` read against `catalogue` (whose default plan is `main`'s); None: no limit."""
    if limit is None:
        return None
    indicator_plans: dict[str, list[str]] = {}
    for entry in catalogue.entries:
        for indicator in entry.plan.indicators:
            indicator_plans.setdefault(indicator.id, []).append(entry.id)
    from kpis.ui_text import plan_short_label

    labels = {
        entry.id: (plan_short_label(entry.plan.plan, "vi"), plan_short_label(entry.plan.plan, "en"))
        for entry in catalogue.entries
    }
    return limit.scope(default_plan_id(catalogue, main), indicator_plans, labels)
