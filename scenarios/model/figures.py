"""The scenario's headline numbers, and how the projection compares with what was observed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Literal

import attrs
import polars as pl

from ammoflow.scenarios.model.months import days_in, format_month, month_of, parse_month
from ammoflow.scenarios.model.numbers import (
    format_count,
    format_number,
    format_share,
    format_signed,
    format_signed_points,
    format_signed_tenths,
    format_tenths,
    format_whole,
)
from ammoflow.scenarios.model.observations import Observation, Verdict, check
from ammoflow.scenarios.model.scenario import Scenario

# Below this many rounds a stock or a shortfall is taken as reached / nothing.
ROUND_TOLERANCE = 0.5
# A share of less than one round of new supply is no share at all: below it, both engines
# would divide rounding dust by rounding dust and disagree.
MIN_SUPPLY = 1.0

Kind = Literal["rounds", "containers", "tonnes", "month", "share", "rounds/day", "months"]

# The figures "as of" a month look this far ahead from it (docs/model.md, "Key figures").
AHEAD_MONTHS = 12


@attrs.frozen
class Figure:
    key: str
    label: str
    kind: Kind
    description: str


FIGURES: tuple[Figure, ...] = (
    Figure("containers_shipped", "Containers shipped", "containers", "Containers sent over the horizon."),
    Figure("rounds_shipped", "Rounds shipped", "rounds", "Rounds sent over the horizon."),
    Figure(
        "nk_reserve_month",
        "NK stock at reserve",
        "month",
        "The month North Korea's exportable stock reaches its reserve.",
    ),
    Figure(
        "first_shortfall_month", "First Russian shortfall", "month", "The first month Russia cannot fire its demand."
    ),
    Figure("total_shortfall", "Total shortfall", "rounds", "Rounds Russia wanted to fire but had not."),
    Figure("average_fired_per_day", "Average fired per day", "rounds/day", "Rounds actually fired, per day."),
    Figure("nk_share_of_supply", "NK share of new supply", "share", "North Korean arrivals / all new Russian supply."),
    Figure("food_tonnes", "Food to North Korea", "tonnes", "Food received in returned containers."),
    # As of a month (today's, unless chosen): these tell apart scenarios that end alike.
    Figure(
        "shortfall_next_12_months",
        "Shortfall, next 12 months",
        "rounds",
        "Rounds Russia cannot fire in the 12 months from the as-of month (within the horizon).",
    ),
    Figure("nk_stock_as_of", "NK stock as of", "rounds", "North Korea's stock at the end of the as-of month."),
    Figure("ru_stock_as_of", "RU stock as of", "rounds", "Russia's stock at the end of the as-of month."),
    Figure(
        "nk_months_of_fire",
        "Months of fire from NK",
        "months",
        "North Korean rounds arrived up to the as-of month, in months of Russian fire at the pace of that period.",
    ),
)
FIGURE_KEYS = tuple(f.key for f in FIGURES)
BY_KEY = {f.key: f for f in FIGURES}


@attrs.frozen
class ObservationCheck:
    """An observation beside the projection's value at the same date (over its period, if it has one)."""

    observation: Observation
    projected: float | None
    why_missing: str = ""

    @property
    def difference(self) -> float | None:
        return None if self.projected is None else self.projected - self.observation.value

    @property
    def verdict(self) -> Verdict | None:
        """Whether the projection agrees with what the observation says: a bound is met, not missed by 30%."""
        return None if self.projected is None else check(self.observation, self.projected)


@attrs.frozen
class KeyFigures:
    containers_shipped: float
    rounds_shipped: float
    nk_reserve_month: str | None
    first_shortfall_month: str | None
    total_shortfall: float
    average_fired_per_day: float
    nk_share_of_supply: float | None
    food_tonnes: float
    shortfall_next_12_months: float
    nk_stock_as_of: float
    ru_stock_as_of: float
    nk_months_of_fire: float | None
    as_of: str  # the month the "as of" figures are read at
    observations: tuple[ObservationCheck, ...] = ()

    def value(self, key: str) -> float | str | None:
        found: float | str | None = getattr(self, key)
        return found

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {key: self.value(key) for key in FIGURE_KEYS}
        out["as_of"] = self.as_of
        out["observations"] = [_check_dict(one) for one in self.observations]
        return out


def _check_dict(one: ObservationCheck) -> dict[str, object]:
    """One observation against the projection, for JSON: what the row says, then how the projection reads it."""
    o, verdict = one.observation, one.verdict
    return {
        "date": o.day.isoformat(),
        "metric": o.metric,
        "observed": o.value,
        "qualifier": o.qualifier,
        "kind": o.kind,
        "high": o.high,
        "since": o.since.isoformat() if o.since else None,
        "tolerance": o.tolerance_used,
        "claimant": o.claimant,
        "projected": one.projected,
        "difference": one.difference,
        "consistent": verdict.consistent if verdict else None,
        "verdict": verdict.text if verdict else "",
        "note": one.why_missing,
    }


def as_of_offset(scenario: Scenario, as_of: int | None = None) -> int:
    """Where the "as of" figures are read: ``as_of`` (an absolute month; today's when None) as an
    index into the horizon, moved to its first or last month when it falls outside."""
    month = month_of(date.today()) if as_of is None else as_of
    return min(max(month - scenario.start_index, 0), scenario.months - 1)


def key_figures(
    frame: pl.DataFrame,
    scenario: Scenario,
    observations: Sequence[Observation] = (),
    as_of: int | None = None,
) -> KeyFigures:
    """Headline numbers of one projection (a frame from ``engine.project``).

    ``as_of`` is the absolute month (:func:`ammoflow.scenarios.model.months.parse_month`) the
    "as of" figures are read at, today's month when None (see :func:`as_of_offset`).
    """
    months = scenario.month_labels()
    reserve = scenario.series("nk_reserve")
    stock = frame["nk_stock"].to_list()
    reserve_month = next(
        (months[i] for i, (s, r) in enumerate(zip(stock, reserve, strict=True)) if s <= r + ROUND_TOLERANCE),
        None,
    )
    shortfall = frame["ru_shortfall"].to_list()
    first_shortfall = next((months[i] for i, s in enumerate(shortfall) if s > ROUND_TOLERANCE), None)
    supply = float(frame["ru_supply"].sum())
    total_days = float(frame["days"].sum())
    at = as_of_offset(scenario, as_of)
    so_far = frame.head(at + 1)
    fired_so_far = float(so_far["ru_fired"].sum())
    return KeyFigures(
        containers_shipped=float(frame["containers_shipped"].sum()),
        rounds_shipped=float(frame["rounds_shipped"].sum()),
        nk_reserve_month=reserve_month,
        first_shortfall_month=first_shortfall,
        total_shortfall=float(sum(shortfall)),
        average_fired_per_day=float(frame["ru_fired"].sum()) / total_days,
        nk_share_of_supply=float(frame["ru_arrivals"].sum()) / supply if supply >= MIN_SUPPLY else None,
        food_tonnes=float(frame["food_tonnes"].sum()),
        shortfall_next_12_months=float(sum(shortfall[at : at + AHEAD_MONTHS])),
        nk_stock_as_of=float(stock[at]),
        ru_stock_as_of=float(frame["ru_stock"][at]),
        nk_months_of_fire=(
            float(so_far["ru_arrivals"].sum()) / (fired_so_far / (at + 1)) if fired_so_far >= MIN_SUPPLY else None
        ),
        as_of=months[at],
        observations=tuple(projected_at(frame, scenario, o) for o in observations),
    )


def placement_problem(scenario: Scenario, observation: Observation) -> str | None:
    """Why an observation cannot be held against this scenario's projection, or None."""
    index = month_of(observation.day) - scenario.start_index
    if index < 0:
        return f"before the projection starts ({scenario.start})"
    if index >= scenario.months:
        return f"after the horizon ends ({scenario.end})"
    return None


def place(scenario: Scenario, day: date) -> tuple[int, float]:
    """Where a date falls: the month's index from the start and the share of the month gone by its end.

    A figure at that date is the total to the end of the month before plus that share of
    the month's flow: within a month, the flow is taken as spread evenly over its days.
    """
    absolute = month_of(day)
    return absolute - scenario.start_index, day.day / days_in(absolute)


def projected_at(frame: pl.DataFrame, scenario: Scenario, observation: Observation) -> ObservationCheck:
    """The projected figure at the observation's date: the cumulative total, or the count over its period.

    A period from before the start counts from the start: the model ships nothing before it.
    """
    why = placement_problem(scenario, observation)
    if why:
        return ObservationCheck(observation, None, why)
    figure = cumulative_at(frame, scenario, observation.metric, observation.day)
    if observation.since is not None:
        figure = max(0.0, figure - cumulative_at(frame, scenario, observation.metric, observation.since))
    return ObservationCheck(observation, figure)


def cumulative_at(frame: pl.DataFrame, scenario: Scenario, metric: str, day: date) -> float:
    """A cumulative column (``metric``) at a date inside the horizon; 0 before the start."""
    index, fraction = place(scenario, day)
    if index < 0:
        return 0.0
    flow = "containers_shipped" if metric == "cumulative_containers" else "rounds_shipped"
    before = float(frame[metric][index - 1]) if index > 0 else 0.0
    return before + float(frame[flow][index]) * fraction


def describe_observed(observation: Observation) -> str:
    """What a row says, as a reader would put it: "more than 10,000", "between 4,000 and 5,000 since 2024-02-01"."""
    value = format_whole(observation.value)
    if observation.kind == "range" and observation.high is not None:
        text = f"{observation.qualifier} {value} and {format_whole(observation.high)}"
    else:
        text = f"{observation.qualifier} {value}" if observation.qualifier else value
    if observation.tolerance is not None:
        text += f" (±{format_number(observation.tolerance)}%)"
    if observation.since is not None:
        text += f" since {observation.since.isoformat()}"
    return text


def format_figure(key: str, value: float | str | None, *, unit: bool = True) -> str:
    """A key figure as a person reads it (``unit=False`` for tables that name the unit elsewhere)."""
    kind = BY_KEY[key].kind
    if kind == "month":
        if value is None:
            return "none"  # one wording for "not within the horizon" (docs/model.md, "Key figures")
        return str(value)
    if value is None:
        return "n/a"
    number = float(value)
    if kind == "share":
        return format_share(number)
    if kind == "months":
        shown = format_tenths(number)
        return f"{shown} months" if unit else shown
    shown = format_whole(number)
    return f"{shown} {kind}" if unit else shown


def format_difference(key: str, a: float | str | None, b: float | str | None) -> str:
    """``b`` against ``a``: '+1,234 rounds', '+5 months', '-2.1 pts'; '' when they are equal."""
    kind = BY_KEY[key].kind
    if kind == "month":
        if a == b:
            return ""
        if b is None:
            return "not reached"
        if a is None:
            return f"now {b}"
        return format_count(months_between(str(a), str(b)) or 0, "month", signed=True)
    if a is None or b is None:
        return "" if a == b else "changed"
    delta = float(b) - float(a)
    if kind == "share":
        return "" if abs(delta) < 5e-4 else format_signed_points(delta)
    if kind == "months":
        # Against the values as shown: 17.6 beside 17.5 is a difference, however small.
        shown = round(float(b), 1) - round(float(a), 1)
        return "" if abs(shown) < 0.05 else format_signed_tenths(shown)
    return "" if abs(delta) < 0.5 else format_signed(delta)


def months_between(a: str | None, b: str | None) -> int | None:
    """How many months later ``b`` is than ``a`` (None when either is missing)."""
    if a is None or b is None:
        return None
    return parse_month(b) - parse_month(a)


__all__ = ["FIGURES", "KeyFigures", "ObservationCheck", "format_month", "key_figures", "projected_at"]
