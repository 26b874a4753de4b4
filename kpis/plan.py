"""The plan: `targets.yaml` -> typed, validated plan objects (CONTRACT.md §1).

The schema is declared once, as pydantic models with `extra="forbid"`, so that a typo is an
error and editors can use the JSON Schema (`plan_json_schema`). Each indicator is validated
on its own, so one broken indicator does not hide the problems of the others.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import math
import re
import unicodedata
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from kpis.errors import InputNotFound, PlanInvalid, Problem
from kpis.formula import Formula, FormulaError, parse_formula
from kpis.i18n import format_number, pick, plan_text
from kpis.limits import active as active_limits
from kpis.regions import closest, fold
from kpis.yaml_lines import LoadedYaml, YamlRefused, YamlTooLarge, load_yaml_with_lines

Year = Annotated[int, Field(ge=1990, le=2100)]
Number = Annotated[float, Field(allow_inf_nan=False)]
Kind = Literal["stock", "flow", "cumulative", "milestone"]
Direction = Literal["increase", "decrease"]
PERCENT_UNIT = "%"
# The highest average growth a growth target may ask for, in % a year: × 11 each year, far
# beyond any plan ("tăng bình quân 7%/năm"), so a larger rate is a typo or a unit mistake
# (1e40, or 100000 for 10 %). It also keeps the level a target implies representable:
# (1 + X/100)^(Y2 − Y0) ≤ 11^110 ≈ 3.6e114 over the years 1990-2100, where 1e40 %/year for
# ten years is beyond any float (kpis.progress.growth_level).
MAX_GROWTH_RATE = 1000
GROWTH_FIELDS = ("min_growth", "max_growth")
GrowthRate = Annotated[float, Field(gt=-100, le=MAX_GROWTH_RATE, allow_inf_nan=False)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    def text(self, name: str, lang: str = "vi") -> str:
        """The field `name` in the page's language: `name_en` in English, else the
        Vietnamese visibly marked (kpis.i18n.plan_text); "" when the plan leaves it out."""
        return plan_text(getattr(self, name), getattr(self, f"{name}_en", None), lang)


class Region(_Strict):
    """A region the figures may name (CONTRACT.md §1, version 2): its canonical name, other
    spellings, the last year it exists and the region it merged into (shown, never summed)."""

    name: Annotated[str, Field(min_length=1)]
    name_en: str | None = None
    aliases: list[Annotated[str, Field(min_length=1)]] = []
    until: Year | None = None
    merged_into: Annotated[str, Field(min_length=1)] | None = None


class ReportingPeriod(_Strict):
    """Version 2: the time the figures of one year cover when it is not that calendar year
    ("năm 2022 và 6 tháng đầu năm 2023"). The figures stay recorded at `year`, the year the
    period ends (CONTRACT.md: a figure has one year); pages, slides and reports name the
    period beside them, so "60 nhiệm vụ · 2023" is never read as one year's work."""

    year: Year
    start: dt.date
    end: dt.date
    region: Annotated[str, Field(min_length=1)] | None = None  # None: the plan's region

    @model_validator(mode="after")
    def _ends_in_its_year(self) -> ReportingPeriod:
        if self.start > self.end:
            raise _form_error("`start` phải trước `end`", "`start` must come before `end`", "start")
        if self.end.year != self.year:
            # the figure is recorded at the year its period ends: anything else would put it
            # on the chart at a year it does not reach
            raise _form_error(
                f"kỳ kết thúc năm {self.end.year}, nhưng `year` là {self.year}: số liệu được "
                "ghi ở năm kết thúc kỳ",
                f"the period ends in {self.end.year} but `year` is {self.year}: figures are "
                "recorded at the year their period ends",
                "end",
            )
        return self


class RegionMerged(_Strict):
    """Version 2: the plan's region stopped being a province of its own on `date`, merged
    into `into` (Bắc Kạn into Thái Nguyên on 1/7/2025). A report dated from then on is not
    issued from the region that no longer exists; its figures stay the region's own."""

    date: dt.date  # the first day the region is part of `into`
    into: Annotated[str, Field(min_length=1)]
    into_en: str | None = None


class PlanInfo(_Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    title: Annotated[str, Field(min_length=1)]
    title_en: str | None = None
    document: Annotated[str, Field(min_length=1)]
    document_en: str | None = None  # only where `document` is words, not a number
    issued: dt.date
    issuer: Annotated[str, Field(min_length=1)]
    issuer_en: str | None = None
    region: Annotated[str, Field(min_length=1)]
    region_merged: RegionMerged | None = None
    baseline_year: Year
    regions: list[Region] | None = None
    reporting_periods: list[ReportingPeriod] | None = None
    notes: str | None = None
    notes_en: str | None = None

    def document_text(self, lang: str = "vi") -> str:
        """The document as people cite it: a number ("684/QĐ-UBND") reads the same in both
        languages and is never marked; `document_en` where the document is named in words."""
        return pick(self.document, self.document_en, lang)


class Baseline(_Strict):
    year: Year | None = None
    value: Number


class Reference(_Strict):
    value: Number
    label: Annotated[str, Field(min_length=1)]
    label_en: str | None = None


def _form_error(vi: str, en: str, field_name: str = "") -> ValueError:
    """A rule across fields broken, in both languages; `field_name`: the field to name."""
    return ValueError(f"FORM{':' if field_name else ''}{field_name}|{vi}|{en}")


class Target(_Strict):
    """One target; exactly one of the forms of CONTRACT.md §1.

    Dated: `year` with `min`, `max` (both: between), or `min_times_baseline`. Standing: `from`
    and `to` with `min`/`max`. Version 2: growth, `from`, `to` and `min_growth`/`max_growth`
    (% a year, compounded from the value of `from`); period average, `from`, `to` and
    `mean_min`/`mean_max`; `exclusive` ("trên", "dưới") on any single bound.
    """

    year: Year | None = None
    from_: Annotated[Year | None, Field(alias="from")] = None
    to: Year | None = None
    min: Number | None = None
    max: Number | None = None
    approx: bool = False
    exclusive: bool = False
    min_times_baseline: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = None
    min_growth: GrowthRate | None = None
    max_growth: GrowthRate | None = None
    mean_min: Number | None = None
    mean_max: Number | None = None
    note: str | None = None
    note_en: str | None = None
    clause: str | None = None
    clause_en: str | None = None

    @model_validator(mode="after")
    def _one_form(self) -> Target:
        bounds = self.min is not None or self.max is not None
        growth = self.min_growth is not None or self.max_growth is not None
        mean = self.mean_min is not None or self.mean_max is not None
        times = self.min_times_baseline is not None
        if times and bounds:
            raise _form_error(
                "`min_times_baseline` không đi cùng `min`/`max`: chọn một dạng",
                "`min_times_baseline` does not go with `min`/`max`: choose one form",
            )
        given = [
            name
            for name, flag in (
                ("`min`/`max`", bounds),
                ("`min_times_baseline`", times),
                ("`min_growth`/`max_growth`", growth),
                ("`mean_min`/`mean_max`", mean),
            )
            if flag
        ]
        if len(given) > 1:
            raise _form_error(
                f"{given[0]} không đi cùng {given[1]}: mỗi mục tiêu chọn một dạng",
                f"{given[0]} does not go with {given[1]}: choose one form per target",
            )
        if not given:
            raise _form_error(
                "thiếu giá trị mục tiêu: thêm `min`, `max`, `min_times_baseline`, "
                "`min_growth`, `max_growth`, `mean_min` hoặc `mean_max`",
                "no target value: add `min`, `max`, `min_times_baseline`, `min_growth`, "
                "`max_growth`, `mean_min` or `mean_max`",
            )
        if growth or mean:
            self._check_period("tăng trưởng" if growth else "bình quân giai đoạn", growth)
        elif self.from_ is not None or self.to is not None:
            self._check_standing()
        elif self.year is None:
            raise _form_error(
                "thiếu `year` (hoặc `from` và `to` cho chỉ tiêu thường xuyên)",
                "missing `year` (or `from` and `to` for a standing target)",
            )
        if self.min is not None and self.max is not None:
            if self.min > self.max:
                raise _form_error(
                    f"`min` ({self.min:g}) lớn hơn `max` ({self.max:g}): đổi chỗ hai giá trị",
                    f"`min` ({self.min:g}) is above `max` ({self.max:g}): swap them",
                )
            if self.approx:
                raise _form_error(
                    "`approx` chỉ đi với một giá trị `min` hoặc `max`, không với khoảng",
                    "`approx` goes with a single `min` or `max`, not with a range",
                )
        if self.approx and not bounds:
            raise _form_error(
                "`approx` chỉ đi với một giá trị `min` hoặc `max`",
                "`approx` goes with a single `min` or `max`",
            )
        if self.exclusive:
            self._check_exclusive()
        return self

    def _check_period(self, what: str, growth: bool) -> None:
        name = "a growth target" if growth else "a period-average target"
        if self.year is not None:
            raise _form_error(
                f"mục tiêu {what} dùng `from` và `to`, không dùng `year`",
                f"{name} uses `from` and `to`, not `year`",
            )
        if self.from_ is None or self.to is None:
            raise _form_error(
                f"mục tiêu {what} cần cả `from` và `to`", f"{name} needs both `from` and `to`"
            )
        if self.from_ >= self.to:
            raise _form_error(
                f"`from` ({self.from_}) phải trước `to` ({self.to})",
                f"`from` ({self.from_}) must be before `to` ({self.to})",
            )
        if self.min_growth is not None and self.max_growth is not None:
            raise _form_error(
                "mục tiêu tăng trưởng dùng `min_growth` hoặc `max_growth`, không dùng cả hai",
                "a growth target takes `min_growth` or `max_growth`, not both",
            )
        low, high = self.mean_min, self.mean_max
        if low is not None and high is not None and low > high:
            raise _form_error(
                f"`mean_min` ({low:g}) lớn hơn `mean_max` ({high:g}): đổi chỗ hai giá trị",
                f"`mean_min` ({low:g}) is above `mean_max` ({high:g}): swap them",
            )

    def _check_standing(self) -> None:
        if self.year is not None:
            raise _form_error(
                "một chỉ tiêu thường xuyên dùng `from` và `to`, không dùng `year`",
                "a standing target uses `from` and `to`, not `year`",
            )
        if self.from_ is None or self.to is None:
            raise _form_error(
                "chỉ tiêu thường xuyên cần cả `from` và `to`",
                "a standing target needs both `from` and `to`",
            )
        # CONTRACT.md §1: `from` < `to`, as for the growth and period-average forms; a
        # single year is a dated target (`year:`).
        if self.from_ >= self.to:
            raise _form_error(
                f"`from` ({self.from_}) phải trước `to` ({self.to}); mục tiêu một năm dùng `year`",
                f"`from` ({self.from_}) must be before `to` ({self.to}); a target for one year "
                "uses `year`",
            )
        if self.min_times_baseline is not None:
            raise _form_error(
                "`min_times_baseline` chỉ dùng với `year`, không dùng với `from`/`to`",
                "`min_times_baseline` goes with `year`, not with `from`/`to`",
            )

    def _check_exclusive(self) -> None:
        if self.approx:
            raise _form_error(
                "`exclusive` («trên», «dưới») không đi cùng `approx` («khoảng»): chọn một",
                "`exclusive` («more than», «less than») does not go with `approx` («about»): "
                "choose one",
            )
        if (self.min is not None and self.max is not None) or (
            self.mean_min is not None and self.mean_max is not None
        ):
            raise _form_error(
                "`exclusive` chỉ đi với một giá trị `min` hoặc `max` («trên A», «dưới A»), "
                "không với khoảng",
                "`exclusive` goes with a single `min` or `max` («more than A», «less than A»), "
                "not with a range",
            )

    @property
    def is_standing(self) -> bool:
        """Every year from `from` to `to` (not a growth or period-average target)."""
        return self.from_ is not None and not (self.is_growth or self.is_period_average)

    @property
    def is_growth(self) -> bool:
        return self.min_growth is not None or self.max_growth is not None

    @property
    def is_period_average(self) -> bool:
        return self.mean_min is not None or self.mean_max is not None

    @property
    def growth_rate(self) -> float | None:
        """The average growth a growth target asks for, in % a year (None for other forms)."""
        return self.min_growth if self.min_growth is not None else self.max_growth

    @property
    def end_year(self) -> int:
        """The year the target is judged at: `year`, or `to` for a target over years."""
        return self.to if self.from_ is not None else self.year  # type: ignore[return-value]

    @property
    def form(self) -> str:
        """standing, growth, period_average, min_times_baseline, between, min or max."""
        if self.is_growth:
            return "growth"
        if self.is_period_average:
            return "period_average"
        if self.is_standing:
            return "standing"
        if self.min_times_baseline is not None:
            return "min_times_baseline"
        if self.min is not None and self.max is not None:
            return "between"
        return "min" if self.min is not None else "max"


class Indicator(_Strict):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    name: Annotated[str, Field(min_length=1)]
    name_en: str | None = None
    unit: Annotated[str, Field(min_length=1)]
    unit_en: str | None = None
    kind: Kind = "stock"
    direction: Direction = "increase"
    integer: bool = False
    value_range: tuple[Number | None, Number | None] | None = None
    group: str | None = None
    group_en: str | None = None
    clause: str | None = None
    clause_en: str | None = None
    code: str | None = None
    # Free text, or (when the plan declares `agencies`) one agency id or a list of them.
    responsible: str | list[Annotated[str, Field(min_length=1)]] | None = None
    baseline: Baseline | None = None
    cumulative_from: Year | None = None
    formula: str | None = None
    notes: str | None = None
    notes_en: str | None = None
    references: list[Reference] = []
    targets: list[Target] = []

    @model_validator(mode="after")
    def _range_in_order(self) -> Indicator:
        low, high = self.value_range or (None, None)
        if low is not None and high is not None and low > high:
            raise _form_error(
                f"`value_range` [{low:g}, {high:g}]: giá trị thấp nhất lớn hơn cao nhất",
                f"`value_range` [{low:g}, {high:g}]: the lowest value is above the highest",
                "value_range",
            )
        return self

    @property
    def is_percent(self) -> bool:
        return self.unit.strip() == PERCENT_UNIT

    @property
    def bounds(self) -> tuple[float | None, float | None]:
        """(lowest, highest) value a figure may take, None for no bound: `value_range`, else
        [0, 100] for a percentage, [0, None] otherwise (CONTRACT.md §1)."""
        if self.value_range is not None:
            return self.value_range
        return (0.0, 100.0) if self.is_percent else (0.0, None)

    @property
    def is_derived(self) -> bool:
        return self.formula is not None

    @cached_property
    def parsed_formula(self) -> Formula | None:
        return parse_formula(self.formula) if self.formula else None

    def value_problem(self, value: float, whole: bool = True) -> tuple[str, str] | None:
        """Why `value` cannot be a figure of this indicator (vi, en), or None if it can.

        `whole=False` skips the whole-number rule, for targets ("about 2.5 per year").
        """
        if not math.isfinite(value):
            return ("giá trị phải là một số hữu hạn", "the value must be a finite number")
        if self.kind == "milestone" and value not in (0, 1):
            return (
                f"{value:g} không hợp lệ cho mốc hoàn thành: ghi 1 (đã xong) hoặc 0 (chưa)",
                f"{value:g} is not valid for a milestone: write 1 (done) or 0 (not done)",
            )
        outside = range_problem(self, value)
        if outside:
            return outside
        if whole and self.integer and value != int(value):
            return (f"{value:g} không phải số nguyên", f"{value:g} is not a whole number")
        return None

    @property
    def responsible_ids(self) -> list[str]:
        """`responsible` as a list (agency ids when the plan declares agencies)."""
        if self.responsible is None:
            return []
        return [self.responsible] if isinstance(self.responsible, str) else list(self.responsible)


# ---------------------------------------------------------------------------------------------
# Agencies and tasks (issue 16): who answers for what. A plan without `agencies` keeps
# `responsible` as free text (CONTRACT.md §1); with them, every `responsible` is an agency id.

AgencyId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]*$")]


class Agency(_Strict):
    """A department the plan assigns work to (its Vietnamese and English names)."""

    id: AgencyId
    name: Annotated[str, Field(min_length=1)]
    name_en: str | None = None
    clause: str | None = None
    clause_en: str | None = None
    notes: str | None = None
    notes_en: str | None = None

    def label(self, lang: str = "vi") -> str:
        return self.text("name", lang)


class Task(_Strict):
    """A task (nhiệm vụ) of the plan: what, where the plan says it, who, by when."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")]
    name: Annotated[str, Field(min_length=1)]
    name_en: str | None = None
    clause: Annotated[str, Field(min_length=1)]
    clause_en: str | None = None
    quote: str | None = None  # the plan's own wording
    quote_en: str | None = None  # that wording translated (the plan's words stay in `quote`)
    responsible: Annotated[str, Field(min_length=1)]
    deadline: dt.date | None = None  # none: the plan sets no date; never overdue
    deadline_inferred: bool = False  # the plan gives a year or a period; `notes` say how
    indicator: str | None = None
    notes: str | None = None
    notes_en: str | None = None

    def label(self, lang: str = "vi") -> str:
        return self.text("name", lang)

    def named(self, lang: str = "vi") -> str:
        """The task as a message names it: its name between «», then the id in brackets (what
        the person typed in the file, to find the row by): «Xây dựng vùng…» (iii-a3-agri-zone)."""
        return f"«{self.label(lang)}» ({self.id})"


def range_problem(indicator: Indicator, value: float) -> tuple[str, str] | None:
    """Why `value` lies outside the indicator's range (vi, en), or None if it does not."""
    low, high = indicator.bounds
    if low is not None and value < low:
        if low == 0:
            return (f"giá trị {value:g} âm: số liệu không được âm", f"{value:g} is negative")
        return (
            f"{value:g} nhỏ hơn giá trị thấp nhất {low:g} của chỉ tiêu (`value_range`)",
            f"{value:g} is below {low:g}, the lowest value of this indicator (`value_range`)",
        )
    if high is not None and value > high:
        if high == 100 and indicator.is_percent:
            return (f"{value:g}% lớn hơn 100%", f"{value:g}% is above 100%")
        return (
            f"{value:g} lớn hơn giá trị cao nhất {high:g} của chỉ tiêu (`value_range`)",
            f"{value:g} is above {high:g}, the highest value of this indicator (`value_range`)",
        )
    return None


class Plan(_Strict):
    plan: PlanInfo
    indicators: list[Indicator]
    agencies: list[Agency] = []
    tasks: list[Task] = []

    @cached_property
    def agency_by_id(self) -> dict[str, Agency]:
        return {agency.id: agency for agency in self.agencies}

    @cached_property
    def task_by_id(self) -> dict[str, Task]:
        return {task.id: task for task in self.tasks}

    def agency_name(self, agency_id: str, lang: str = "vi") -> str:
        """The agency's name for people (the text itself for a plan without agencies)."""
        agency = self.agency_by_id.get(agency_id)
        return agency.label(lang) if agency else agency_id

    def responsible_text(self, indicator: Indicator, lang: str = "vi") -> str:
        """Who reports `indicator`, in words ("" when the plan does not say)."""
        return ", ".join(self.agency_name(a, lang) for a in indicator.responsible_ids)

    def indicators_of(self, agency_id: str) -> list[Indicator]:
        return [ind for ind in self.indicators if agency_id in ind.responsible_ids]

    def tasks_of(self, agency_id: str) -> list[Task]:
        return [task for task in self.tasks if task.responsible == agency_id]

    @cached_property
    def by_id(self) -> dict[str, Indicator]:
        return {indicator.id: indicator for indicator in self.indicators}

    def indicator(self, indicator_id: str) -> Indicator:
        return self.by_id[indicator_id]

    def baseline_year(self, indicator: Indicator) -> int:
        """The year targets must come after (CONTRACT.md §1 Rules)."""
        if indicator.baseline is not None and indicator.baseline.year is not None:
            return indicator.baseline.year
        if indicator.baseline is None and indicator.kind == "cumulative":
            return indicator.cumulative_from - 1  # type: ignore[operator]
        return self.plan.baseline_year

    def targeted(self) -> Iterator[tuple[Indicator, int, Target]]:
        """Every (indicator, 1-based target position, target), in plan order."""
        for indicator in self.indicators:
            for position, target in enumerate(indicator.targets, start=1):
                yield indicator, position, target

    @cached_property
    def groups(self) -> list[str]:
        """Group headings in the order the plan first uses them ('' for ungrouped)."""
        return list(dict.fromkeys(ind.group or "" for ind in self.indicators))

    @cached_property
    def region_keys(self) -> dict[str, str] | None:
        """{`regions.fold` of each declared name and alias: its canonical name}; None when
        the plan declares no `regions` (figures may then name any region)."""
        if self.plan.regions is None:
            return None
        keys: dict[str, str] = {}
        for region in self.plan.regions:
            for spelling in (region.name, *region.aliases):
                keys.setdefault(fold(spelling), region.name)
        return keys

    def canonical_region(self, name: str) -> str | None:
        """The declared name `name` stands for (empty: the plan's region); without `regions`,
        the name itself; None when `regions` does not list it."""
        if not name.strip():
            return self.plan.region
        if self.region_keys is None:
            return unicodedata.normalize("NFC", name.strip())
        return self.region_keys.get(fold(name))

    def periods_of(self, region: str) -> tuple[ReportingPeriod, ...]:
        """The reporting periods (version 2) of the figures of `region` (its canonical name)."""
        return tuple(
            period
            for period in self.plan.reporting_periods or ()
            if (self.canonical_region(period.region or "") or period.region) == region
        )

    def region(self, name: str) -> Region | None:
        """The declared region of that canonical name (None: not declared, or no `regions`)."""
        for region in self.plan.regions or ():
            if region.name == name:
                return region
        return None


def plan_json_schema() -> dict[str, Any]:
    """JSON Schema of `targets.yaml`, for editors (see `schema/targets.schema.json`)."""
    return Plan.model_json_schema(by_alias=True)


# ---------------------------------------------------------------------------------------------
# Loading


_TOP_KEYS = ("plan", "indicators", "agencies", "tasks")
# Lists whose items a problem names by their `id` (`rd_orgs: targets[2].min`).
_LISTS_BY_ID = ("indicators", "agencies", "tasks")


def load_plan(path: str | Path) -> tuple[Plan, list[Problem]]:
    """Read and validate a plan file. Returns the plan and its warnings.

    Raises InputNotFound when the file is missing, PlanInvalid with every problem otherwise.
    """
    path = Path(path)
    if not path.is_file():
        raise InputNotFound(str(path), "tệp kế hoạch", "plan file")
    shown = str(path)
    limit = active_limits().plan_kb * 1024
    try:
        size = path.stat().st_size
        if size > 4 * limit:  # not even read (UTF-8 is at most 4 bytes a character)
            raise PlanInvalid(
                [
                    Problem(
                        shown,
                        f"tệp dài {format_number(size // 1024)} kB, quá giới hạn "
                        f"{format_number(limit // 1024)} kB",
                        f"the file is {size // 1024:,} kB, more than the limit of "
                        f"{limit // 1024:,} kB",
                    )
                ]
            )
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanInvalid(
            [
                Problem(
                    shown,
                    f"không đọc được tệp ({exc}); lưu tệp dạng UTF-8",
                    f"cannot read the file ({exc}); save it as UTF-8",
                )
            ]
        ) from None
    return parse_plan(text, shown)


def parse_plan(text: str, file: str = "targets.yaml") -> tuple[Plan, list[Problem]]:
    try:
        loaded = load_yaml_with_lines(text)
    except YamlTooLarge as exc:
        raise PlanInvalid(
            [
                Problem(
                    file,
                    f"{exc.message_vi}: kế hoạch vượt giới hạn của máy chủ (xem docs/deployment.md)",
                    f"{exc.message_en}: the plan is beyond the server's limits (see "
                    "docs/deployment.md)",
                    line=exc.line,
                )
            ]
        ) from None
    except YamlRefused as exc:  # (a recursive alias)
        raise PlanInvalid([Problem(file, exc.message_vi, exc.message_en, line=exc.line)]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or str(exc)
        raise PlanInvalid(
            [
                Problem(
                    file,
                    f"YAML không hợp lệ: {reason}; kiểm tra thụt lề và dấu hai chấm",
                    f"invalid YAML: {reason}; check indentation and colons",
                    line=mark.line + 1 if mark else None,
                )
            ]
        ) from None
    return _PlanChecker(loaded, file).check()


class _PlanChecker:
    """Collects every problem of one plan file, then builds the Plan or raises PlanInvalid."""

    def __init__(self, loaded: LoadedYaml, file: str):
        self.loaded = loaded
        self.file = file
        self.problems: list[Problem] = []
        # Values PyYAML could not build (kpis.yaml_lines): reported as such, and nothing else
        # is said of them ("not a date" of «2016-02-30» would only repeat it).
        self._unreadable = {path for path, *_ in loaded.unreadable}

    def add(self, path: tuple, vi: str, en: str, severity: str = "error") -> None:
        if tuple(path) in self._unreadable:
            return
        self.problems.append(
            Problem(
                self.file,
                vi,
                en,
                line=self.loaded.line_of(path),
                column=self._name(path),
                severity=severity,
            )  # type: ignore[arg-type]
        )

    def _name(self, path: tuple) -> str | None:
        """`rd_orgs: targets[2].min` (positions from 1), or `plan.title`."""
        if not path:
            return None
        data = self.loaded.data
        if path[0] in _LISTS_BY_ID and len(path) >= 2 and isinstance(path[1], int):
            head = f"{path[0]}[{path[1] + 1}]"
            try:
                item_id = data[path[0]][path[1]].get("id")
                if isinstance(item_id, str) and item_id:
                    # Indicators by their id alone (CONTRACT.md §3); tasks and agencies say
                    # which list they are in: `tasks.iii-a-1: responsible`.
                    head = item_id if path[0] == "indicators" else f"{path[0]}.{item_id}"
            except (AttributeError, IndexError, KeyError, TypeError):
                pass
            rest = path[2:]
        else:
            head, rest = str(path[0]), path[1:]
        text = head
        for index, part in enumerate(rest):
            if isinstance(part, int):
                text += f"[{part + 1}]"
            else:
                text += (": " if index == 0 and head != "plan" else ".") + str(part)
        return text

    def check(self) -> tuple[Plan, list[Problem]]:
        for path, line, vi, en in self.loaded.unreadable:
            self.problems.append(Problem(self.file, vi, en, line=line, column=self._name(path)))
        for path, first, again in self.loaded.duplicates:
            self.add(
                path,
                f"khoá «{path[-1]}» ghi hai lần (dòng {first} và {again}): giữ một",
                f"key «{path[-1]}» given twice (lines {first} and {again}): keep one",
            )
        data = self.loaded.data
        if not isinstance(data, dict):
            self.add(
                (),
                "tệp kế hoạch phải có hai phần `plan:` và `indicators:`",
                "a plan file needs two sections, `plan:` and `indicators:`",
            )
            raise PlanInvalid(self.problems)
        for key in data:
            if key not in _TOP_KEYS:
                self._unknown_key((key,), key, list(_TOP_KEYS))
        info = self._validate(PlanInfo, data.get("plan"), ("plan",))
        if info is not None and info.regions is not None:
            info = self._check_regions(info)
        if info is not None and info.reporting_periods:
            self._check_periods(info)
        raw_indicators = data.get("indicators")
        if not isinstance(raw_indicators, list) or not raw_indicators:
            self.add(
                ("indicators",),
                "thiếu danh sách `indicators:` (ít nhất một chỉ tiêu)",
                "missing `indicators:` list (at least one indicator)",
            )
            raw_indicators = []
        indicators = [
            self._validate(Indicator, raw, ("indicators", index))
            for index, raw in enumerate(raw_indicators)
        ]
        valid = [(i, ind) for i, ind in enumerate(indicators) if ind is not None]
        self._check_ids(valid)
        if info is not None:
            for index, indicator in valid:
                self._check_indicator(info, index, indicator, {ind.id for _, ind in valid})
        self._check_cycles(valid)
        agencies = self._items(Agency, "agencies")
        tasks = self._items(Task, "tasks")
        self._check_agencies_and_tasks(valid, agencies, tasks)
        errors = [p for p in self.problems if p.is_error]
        if errors or info is None or len(valid) != len(indicators):
            raise PlanInvalid(self.problems)
        plan = Plan(
            plan=info,
            indicators=[ind for _, ind in valid],
            agencies=[a for _, a in agencies],
            tasks=[t for _, t in tasks],
        )
        return plan, self.problems

    # -- agencies and tasks (issue 16) -------------------------------------------------------

    def _items(self, model: type[BaseModel], key: str) -> list[tuple[int, Any]]:
        """The valid items of the optional list `key` (agencies, tasks), with their positions."""
        raw = self.loaded.data.get(key)
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.add(
                (key,),
                f"`{key}:` phải là một danh sách (mỗi mục bắt đầu bằng «- »)",
                f"`{key}:` must be a list (each item starting with «- »)",
            )
            return []
        items = [(i, self._validate(model, item, (key, i))) for i, item in enumerate(raw)]
        first: dict[str, int] = {}
        for index, item in items:
            if item is None:
                continue
            if item.id in first:
                self.add(
                    (key, index, "id"),
                    f"mã «{item.id}» đã dùng ở mục thứ {first[item.id] + 1} của `{key}`",
                    f"id «{item.id}» is already used by item {first[item.id] + 1} of `{key}`",
                )
            else:
                first[item.id] = index
        return [(i, item) for i, item in items if item is not None]

    def _check_agencies_and_tasks(
        self,
        indicators: list[tuple[int, Indicator]],
        agencies: list[tuple[int, Agency]],
        tasks: list[tuple[int, Task]],
    ) -> None:
        declared = "agencies" in self.loaded.data
        known = sorted(a.id for _, a in agencies)

        def check(path: tuple, agency_id: str) -> None:
            if declared and agency_id not in known:
                close = difflib.get_close_matches(agency_id, known, n=3)
                hint = f" ({', '.join(close)}?)" if close else ""
                listed = ", ".join(known) or "-"
                self.add(
                    path,
                    f"«{agency_id}» không phải mã cơ quan trong `agencies`{hint}; có: {listed}",
                    f"«{agency_id}» is not an agency id of `agencies`{hint}; known: {listed}",
                )

        for index, ind in indicators:
            if isinstance(ind.responsible, list):
                for position, agency_id in enumerate(ind.responsible):
                    check(("indicators", index, "responsible", position), agency_id)
            elif ind.responsible is not None:
                check(("indicators", index, "responsible"), ind.responsible)
        indicator_ids = sorted(ind.id for _, ind in indicators)
        for index, task in tasks:
            check(("tasks", index, "responsible"), task.responsible)
            if task.indicator is not None and task.indicator not in indicator_ids:
                close = difflib.get_close_matches(task.indicator, indicator_ids, n=3)
                hint = f" ({', '.join(close)}?)" if close else ""
                self.add(
                    ("tasks", index, "indicator"),
                    f"«{task.indicator}» không phải chỉ tiêu của kế hoạch{hint}",
                    f"«{task.indicator}» is not an indicator of the plan{hint}",
                )
            if task.deadline_inferred and task.deadline is None:
                self.add(
                    ("tasks", index, "deadline_inferred"),
                    "`deadline_inferred` cần `deadline`: ghi ngày đã suy ra, hoặc bỏ dòng này",
                    "`deadline_inferred` needs a `deadline`: give the inferred date, or remove it",
                )

    def _validate(self, model: type[BaseModel], raw: Any, path: tuple) -> Any:
        if raw is None:
            self.add(path, f"thiếu phần `{path[-1]}`", f"missing section `{path[-1]}`")
            return None
        try:
            return model.model_validate(raw)
        except ValidationError as exc:
            errors = exc.errors()
            for error in errors:
                self._pydantic_problem(error, path, model)
        # An unknown key is reported above, and must not hide the checks that need the model
        # (an indicator's target years, a duplicate's siblings: CONTRACT.md §1, every problem
        # at once). Without its unknown keys the item is validated again; where that fails
        # too, what it says was already said (or follows from a misspelt key: «minn» leaves
        # a target without a value), so nothing more is reported.
        unknown = [tuple(e["loc"]) for e in errors if e["type"] == "extra_forbidden"]
        if not unknown:
            return None
        try:
            return model.model_validate(_without(raw, unknown))
        except ValidationError:
            return None

    def _unknown_key(self, path: tuple, key: Any, allowed: list[str]) -> None:
        close = difflib.get_close_matches(str(key), allowed, n=1)
        hint_vi = f"; có phải «{close[0]}»?" if close else ""
        hint_en = f"; did you mean «{close[0]}»?" if close else ""
        self.add(
            path,
            f"khoá không hợp lệ «{key}»{hint_vi} (hợp lệ: {', '.join(allowed)})",
            f"unknown key «{key}»{hint_en} (allowed: {', '.join(allowed)})",
        )

    def _pydantic_problem(self, error: dict, base: tuple, model: type[BaseModel]) -> None:
        loc = tuple(error["loc"])
        path = base + loc
        kind = error["type"]
        ctx = error.get("ctx") or {}
        if kind == "extra_forbidden":
            owner = _model_at(model, loc[:-1])
            allowed = [f.alias or name for name, f in owner.model_fields.items()] if owner else []
            self._unknown_key(path, loc[-1], allowed)
            return
        if kind == "value_error" and str(ctx.get("error", "")).startswith("FORM"):
            head, vi, en = str(ctx["error"]).split("|", 2)
            field_name = head.partition(":")[2]  # "FORM:value_range": the field it is about
            self.add((*path, field_name) if field_name else path, vi, en)
            return
        if kind == "less_than_equal" and loc and loc[-1] in GROWTH_FIELDS:
            self.add(path, *_growth_too_large(error.get("input")))
            return
        vi, en = _translate(kind, ctx, error.get("input"), error["msg"])
        self.add(path, vi, en)

    def _check_regions(self, info: PlanInfo) -> PlanInfo:
        """Each spelling names one region; the plan's region is one of them (then written
        as its canonical name, which the figures count under)."""
        owner: dict[str, str] = {}
        for index, region in enumerate(info.regions or ()):
            for spelling in (region.name, *region.aliases):
                key = fold(spelling)
                if key in owner and owner[key] != region.name:
                    self.add(
                        ("plan", "regions", index),
                        f"«{spelling}» đã là tên của địa bàn «{owner[key]}»: mỗi tên chỉ một "
                        "địa bàn",
                        f"«{spelling}» already names the region «{owner[key]}»: a name "
                        "stands for one region",
                    )
                owner.setdefault(key, region.name)
        canonical = owner.get(fold(info.region))
        if canonical is None:
            close = closest(info.region, [r.name for r in info.regions or ()])
            hint_vi = f"; có phải: {', '.join(close)}?" if close else ""
            hint_en = f"; did you mean: {', '.join(close)}?" if close else ""
            self.add(
                ("plan", "region"),
                f"địa bàn «{info.region}» không có trong `regions`{hint_vi}",
                f"the region «{info.region}» is not among `regions`{hint_en}",
            )
            return info
        return info.model_copy(update={"region": canonical})

    def _check_periods(self, info: PlanInfo) -> None:
        """One period per year and region: two would give one figure two meanings."""
        seen: dict[tuple[int, str], int] = {}
        for index, period in enumerate(info.reporting_periods or ()):
            key = (period.year, fold(period.region or info.region))
            if key in seen:
                self.add(
                    ("plan", "reporting_periods", index),
                    f"năm {period.year} đã có kỳ báo cáo ở mục thứ {seen[key] + 1}: mỗi năm "
                    "và địa bàn một kỳ",
                    f"the year {period.year} already has a reporting period in item "
                    f"{seen[key] + 1}: one period per year and region",
                )
            else:
                seen[key] = index

    def _check_ids(self, valid: list[tuple[int, Indicator]]) -> None:
        first: dict[str, int] = {}
        for index, indicator in valid:
            if indicator.id in first:
                self.add(
                    ("indicators", index, "id"),
                    f"mã «{indicator.id}» đã dùng cho chỉ tiêu thứ {first[indicator.id] + 1}:"
                    " mỗi chỉ tiêu cần một mã riêng",
                    f"id «{indicator.id}» is already used by indicator "
                    f"{first[indicator.id] + 1}: ids must be unique",
                )
            else:
                first[indicator.id] = index

    def _check_indicator(self, info: PlanInfo, index: int, ind: Indicator, ids: set[str]) -> None:
        at = ("indicators", index)
        if ind.kind == "cumulative" and ind.cumulative_from is None:
            self.add(
                (*at, "kind"),
                "chỉ tiêu cộng dồn cần `cumulative_from` (năm bắt đầu cộng)",
                "a cumulative indicator needs `cumulative_from` (the year counting starts)",
            )
        if ind.kind != "cumulative" and ind.cumulative_from is not None:
            self.add(
                (*at, "cumulative_from"),
                "`cumulative_from` chỉ dùng khi `kind: cumulative`: bỏ dòng này",
                "`cumulative_from` is only for `kind: cumulative`: remove it",
            )
        if ind.formula is not None:
            self._check_formula(at, ind, ids)
        if ind.baseline is not None:
            value, where = ind.baseline.value, (*at, "baseline", "value")
            problem = ind.value_problem(value, whole=False)
            if problem:
                self.add(where, *problem)
            elif ind.integer and ind.kind != "milestone" and value != int(value):
                self.add(where, *self._not_whole(where, value))
        base_year = (
            ind.baseline.year
            if ind.baseline is not None and ind.baseline.year is not None
            else ind.cumulative_from - 1
            if ind.baseline is None and ind.cumulative_from
            else info.baseline_year
        )
        for position, target in enumerate(ind.targets):
            self._check_target((*at, "targets", position), ind, target, base_year)

    def _check_target(self, at: tuple, ind: Indicator, target: Target, base_year: int) -> None:
        # A growth or period-average target's `from` is its own base (CONTRACT.md §1 Rules).
        years = (
            [("from", target.from_), ("to", target.to)]
            if target.is_standing
            else [("to", target.to)]
            if target.from_ is not None
            else [("year", target.year)]
        )
        for key, year in years:
            if year is not None and year <= base_year:
                self.add(
                    (*at, key),
                    f"năm {year} phải sau năm gốc {base_year} của chỉ tiêu",
                    f"year {year} must be after the indicator's baseline year {base_year}",
                )
        if ind.kind == "milestone" and (
            target.form != "min" or target.min != 1 or target.approx or target.exclusive
        ):
            self.add(
                at,
                "mốc hoàn thành chỉ nhận mục tiêu dạng {year: Y, min: 1}",
                "a milestone takes only targets of the form {year: Y, min: 1}",
            )
        for key in ("min", "max", "mean_min", "mean_max"):
            value = getattr(target, key)
            if value is None or ind.kind == "milestone":
                continue
            problem = ind.value_problem(value, whole=False)
            if problem:
                self.add((*at, key), *problem)
            elif ind.integer and value != int(value):
                self.add((*at, key), *self._not_whole((*at, key), value))
        if ind.direction == "decrease" and target.form == "min":
            self.add(
                at,
                "chỉ tiêu giảm (`direction: decrease`) mà mục tiêu là `min`: kiểm tra lại",
                "a `decrease` indicator with a `min` target: check it",
                "warning",
            )
        if ind.direction == "increase" and target.form == "max" and ind.kind != "milestone":
            self.add(
                at,
                "chỉ tiêu tăng (`direction: increase`) mà mục tiêu là `max`: kiểm tra lại",
                "an `increase` indicator with a `max` target: check it",
                "warning",
            )

    def _not_whole(self, path: tuple, value: float) -> tuple[str, str]:
        """A target of an `integer` indicator that is not whole; "1.500" as written (which
        YAML reads as 1.5) is most likely one thousand five hundred."""
        text = self.loaded.texts.get(path, "")
        if _THOUSANDS_DOT.fullmatch(text):
            whole = text.replace(".", "")
            return (
                f"{text} là {value:g}; viết {whole} (không dùng dấu chấm phân cách hàng nghìn)",
                f"{text} is {value:g}; write {whole} (no thousands separator)",
            )
        return (
            f"{value:g} không phải số nguyên: chỉ tiêu này đếm số nguyên (`integer: true`)",
            f"{value:g} is not a whole number: this indicator counts whole numbers "
            "(`integer: true`)",
        )

    def _check_formula(self, at: tuple, ind: Indicator, ids: set[str]) -> None:
        try:
            formula = parse_formula(ind.formula)  # type: ignore[arg-type]
        except FormulaError as exc:
            self.add((*at, "formula"), exc.message_vi, exc.message_en)
            return
        if ind.kind in ("cumulative", "milestone"):
            self.add(
                (*at, "formula"),
                f"chỉ tiêu tính từ công thức không thể là `{ind.kind}`",
                f"a derived indicator cannot be `{ind.kind}`",
            )
        for name in formula.names:
            if name == ind.id:
                self.add(
                    (*at, "formula"),
                    "công thức không được dùng chính chỉ tiêu này",
                    "a formula may not refer to its own indicator",
                )
            elif name not in ids:
                close = difflib.get_close_matches(name, sorted(ids), n=3)
                hint = f" ({', '.join(close)}?)" if close else ""
                self.add(
                    (*at, "formula"),
                    f"công thức dùng mã không có trong kế hoạch «{name}»{hint}",
                    f"the formula uses «{name}», which is not an indicator of the plan{hint}",
                )

    def _check_cycles(self, valid: list[tuple[int, Indicator]]) -> None:
        graph: dict[str, list[str]] = {}
        index_of: dict[str, int] = {}
        for index, ind in valid:
            index_of.setdefault(ind.id, index)
            if ind.formula:
                with contextlib.suppress(FormulaError):
                    graph[ind.id] = [n for n in parse_formula(ind.formula).names if n != ind.id]
        reported: set[frozenset[str]] = set()
        for start in graph:
            cycle = _find_cycle(start, graph)
            if cycle and frozenset(cycle) not in reported:
                reported.add(frozenset(cycle))
                loop = " → ".join([*cycle, cycle[0]])
                self.add(
                    ("indicators", index_of[start], "formula"),
                    f"công thức tạo vòng lặp: {loop}",
                    f"formulas form a cycle: {loop}",
                )


_THOUSANDS_DOT = re.compile(r"[-+]?\d{1,3}(?:\.\d{3})+")
_DECIMAL_COMMA = re.compile(r"[-+]?\d+,\d+")


def _without(raw: Any, locations: list[tuple]) -> Any:
    """A copy of `raw` without the keys at `locations` (pydantic's `loc`s: keys and list
    positions); `raw` itself is left as it was (its lines and names are read later)."""
    if not locations:
        return raw
    here = {loc[0] for loc in locations if len(loc) == 1}
    deeper: dict[Any, list[tuple]] = {}
    for loc in locations:
        if len(loc) > 1:
            deeper.setdefault(loc[0], []).append(loc[1:])
    if isinstance(raw, dict):
        return {
            key: _without(value, deeper.get(key, []))
            for key, value in raw.items()
            if key not in here
        }
    if isinstance(raw, list):
        return [_without(item, deeper.get(index, [])) for index, item in enumerate(raw)]
    return raw


def _find_cycle(start: str, graph: dict[str, list[str]]) -> list[str] | None:
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    while stack:
        node, trail = stack.pop()
        for nxt in graph.get(node, []):
            if nxt == start:
                return trail
            if nxt not in trail and nxt in graph:
                stack.append((nxt, [*trail, nxt]))
    return None


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model class that owns the field at `loc` (for the list of allowed keys)."""
    nested = {
        ("targets",): Target,
        ("baseline",): Baseline,
        ("references",): Reference,
        ("regions",): Region,
    }
    keys = tuple(part for part in loc if isinstance(part, str))
    return nested.get(keys, model) if keys else model


def _growth_too_large(value: Any) -> tuple[str, str]:
    """A growth rate above MAX_GROWTH_RATE, in the user's words."""
    shown = f"{value:g}" if isinstance(value, int | float) else str(value)
    limit = MAX_GROWTH_RATE
    return (
        f"{shown}%/năm quá lớn: tăng bình quân tối đa {limit}%/năm (gấp {limit // 100 + 1} lần "
        "mỗi năm); ghi số phần trăm mỗi năm, ví dụ 7 cho «tăng bình quân 7%/năm»",
        f"{shown}% a year is too large: an average growth is at most {limit}% a year "
        f"({limit // 100 + 1} times over each year); write the percentage a year, e.g. 7 for "
        "«7% a year on average»",
    )


def _translate(kind: str, ctx: dict, value: Any, msg: str) -> tuple[str, str]:
    """pydantic's error types in the user's words."""
    shown = repr(value) if not isinstance(value, dict | list) else type(value).__name__
    if kind == "missing":
        return "thiếu trường bắt buộc", "required field is missing"
    if kind in ("int_parsing", "int_from_float", "int_type"):
        return f"{shown} không phải số nguyên", f"{shown} is not a whole number"
    if kind in ("float_parsing", "float_type", "finite_number"):
        if isinstance(value, str) and _DECIMAL_COMMA.fullmatch(value.strip()):
            point = value.strip().replace(",", ".")
            return (
                f"«{value}» viết bằng dấu phẩy thập phân, YAML không đọc được: viết {point}",
                f"«{value}» has a decimal comma, which YAML does not read: write {point}",
            )
        if isinstance(value, str) and _THOUSANDS_DOT.fullmatch(value.strip()):
            whole = value.strip().replace(".", "")
            return (
                f"«{value}» không phải một số: viết {whole} (không dùng dấu phân cách hàng nghìn)",
                f"«{value}» is not a number: write {whole} (no thousands separator)",
            )
        return f"{shown} không phải một số", f"{shown} is not a number"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than"):
        limits = {
            "greater_than_equal": ("≥", ctx.get("ge")),
            "less_than_equal": ("≤", ctx.get("le")),
            "greater_than": (">", ctx.get("gt")),
        }[kind]
        return f"{shown} phải {limits[0]} {limits[1]}", f"{shown} must be {limits[0]} {limits[1]}"
    if kind == "literal_error":
        return (
            f"{shown} không hợp lệ; chọn một trong: {ctx.get('expected')}",
            f"{shown} is not valid; choose one of: {ctx.get('expected')}",
        )
    if kind == "string_pattern_mismatch":
        return (
            f"{shown} không đúng dạng: chỉ dùng chữ thường không dấu, số và «_» hoặc «-»",
            f"{shown} has the wrong form: use lowercase letters, digits and «_» or «-»",
        )
    if kind in ("string_too_short",):
        return "không được để trống", "must not be empty"
    if kind in ("string_type",):
        return f"{shown} phải là chữ", f"{shown} must be text"
    if kind in ("bool_parsing", "bool_type"):
        return f"{shown} phải là true hoặc false", f"{shown} must be true or false"
    if kind in ("date_from_datetime_parsing", "date_parsing", "date_type"):
        return f"{shown} không phải ngày dạng YYYY-MM-DD", f"{shown} is not a date YYYY-MM-DD"
    if kind in ("list_type",):
        return (
            "phải là một danh sách (mỗi mục bắt đầu bằng «- »)",
            "must be a list (each item starting with «- »)",
        )
    if kind in ("model_type", "dict_type"):
        return "phải là một nhóm khoá: giá trị", "must be a mapping of key: value"
    return msg, msg
