"""The scenario: an immutable, validated set of assumptions for one projection."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

import attrs

from ammoflow.scenarios.model import registry
from ammoflow.scenarios.model.errors import Problem, ScenarioError
from ammoflow.scenarios.model.months import MAX_MONTHS, format_month, parse_month, parse_start
from ammoflow.scenarios.model.numbers import format_number, parse_number

BASELINE_START = "2023-09"
BASELINE_MONTHS = 48

# Where a problem sits inside a scenario: ("parameters", key), ("changes", i, field), ("start",) ...
Path = tuple[Any, ...]


def _as_float(value: Any) -> Any:
    if isinstance(value, bool):
        return value  # left for validation to reject
    try:
        return float(value)
    except OverflowError:  # a whole number too large for a float: out of every range, and said so
        return math.inf if value > 0 else -math.inf
    except (TypeError, ValueError):
        return value


@attrs.frozen
class Change:
    """From ``month`` on, ``parameter`` moves to ``value`` (until a later change of it).

    ``over`` is how many months the move is phased in over: 0 is a step, in force from
    ``month``; N moves in equal steps, N months strictly between the old and new value,
    reaching ``value`` N months after ``month`` (docs/model.md, Gradual changes).
    """

    month: str
    parameter: str
    value: float = attrs.field(converter=_as_float)
    over: int = 0


MAX_OVER = MAX_MONTHS  # no phase-in can be longer than the longest horizon


def ramp_fractions(over: int, months: int) -> list[float]:
    """How far along a change phased in over ``over`` months is in each of its first months.

    Month k (0 is the change's month) is (k + 1) / (over + 1) of the way while k < over; from
    month ``over`` on the new value holds exactly (docs/model.md, Gradual changes). Only the
    months inside the horizon (``months`` from the change's month) are listed.
    """
    return [(k + 1) / (over + 1) for k in range(min(over, months))]


def phase_in(before: float, after: float, over: int, months: int) -> list[float]:
    """The first ``months`` months of a change from ``before`` to ``after`` phased in over ``over`` months."""
    ramp = [before + (after - before) * fraction for fraction in ramp_fractions(over, months)]
    return ramp + [after] * (months - len(ramp))


def schedule(start_value: float, steps: Iterable[tuple[int, float, int]], months: int) -> list[float]:
    """A parameter's planned path: ``start_value``, then each (offset, value, over) step in order.

    Each change moves from the value in force the month before it (the starting value when it is
    in the first month), so a change that starts while an earlier one is still phasing in takes
    over from wherever that one had got to (docs/model.md, Gradual changes).
    """
    path = [start_value] * months
    for offset, value, over in sorted(steps, key=lambda step: step[0]):
        if offset >= months:
            continue
        before = path[offset - 1] if offset > 0 else start_value
        path[offset:] = phase_in(before, value, over, months - offset)
    return path


DISTRIBUTIONS = ("triangular", "uniform")
SAMPLINGS = ("random", "latin-hypercube")
MAX_RUNS = 100_000
# The largest whole number a TOML file may hold, so every seed can be saved and read back.
MAX_SEED = 2**63 - 1


MAX_DRIFT = 50.0  # percent a month: beyond it a rate halves or doubles within a few months, no longer a drift


def _drift(drift: Mapping[str, Any] | Iterable[str]) -> Mapping[str, Any]:
    """Drift as key -> percent a month; a bare list of keys (None each) takes the registry's defaults.

    One form or the other: where some volatilities are given, a key without one takes its
    default written out, so equal settings compare equal and read back from a file as they were.
    """
    if not isinstance(drift, Mapping):
        return MappingProxyType(dict.fromkeys((drift,) if isinstance(drift, str) else drift))
    given = {key: None if v is None else _as_float(v) for key, v in dict(drift).items()}
    if any(v is not None for v in given.values()):
        for key, v in given.items():
            if v is None and key in registry.BY_KEY and registry.BY_KEY[key].can_drift:
                given[key] = float(registry.BY_KEY[key].drift)
    return MappingProxyType(given)


def _ranges(ranges: Mapping[str, Any]) -> Mapping[str, tuple[float, float]]:
    return MappingProxyType({key: tuple(_as_float(v) for v in value) for key, value in dict(ranges).items()})


@attrs.frozen
class Uncertainty:
    """How a scenario's parameters are drawn for Monte Carlo runs.

    Each parameter is drawn from its uncertainty range (the registry's, or ``ranges``
    to narrow or widen it for this scenario): triangular with the scenario's value as
    its mode, or uniform. ``seed`` makes every run reproducible.

    ``drift`` names the parameters that wander month to month in each run, each with its
    monthly volatility in percent, None for the registry's default (docs/model.md, Drift).
    """

    seed: int = 0
    runs: int = 1_000
    distribution: str = "triangular"
    sampling: str = "random"
    ranges: Mapping[str, tuple[float, float]] = attrs.field(factory=dict, converter=_ranges)
    drift: Mapping[str, float | None] = attrs.field(factory=dict, converter=_drift)

    def range_of(self, key: str) -> tuple[float, float]:
        return self.ranges.get(key, registry.BY_KEY[key].uncertainty)

    def volatilities(self) -> dict[str, float]:
        """Each drifting parameter's monthly volatility in percent, defaults filled in, in registry order."""
        return {
            key: float(registry.BY_KEY[key].drift) if self.drift[key] is None else float(self.drift[key] or 0)
            for key in registry.KEYS
            if key in self.drift
        }

    def problems(self) -> list[tuple[Path, str]]:
        found: list[tuple[Path, str]] = []
        where = ("uncertainty",)
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or not 0 <= self.seed <= MAX_SEED:
            shown = f"{self.seed!r}" if len(repr(self.seed)) <= 30 else "a larger number"
            found.append(((*where, "seed"), f"seed must be a whole number from 0 to {MAX_SEED:,}, not {shown}"))
        if isinstance(self.runs, bool) or not isinstance(self.runs, int) or not 1 <= self.runs <= MAX_RUNS:
            found.append(((*where, "runs"), f"runs must be a whole number from 1 to {MAX_RUNS:,}, not {self.runs!r}"))
        if self.distribution not in DISTRIBUTIONS:
            found.append(
                (
                    (*where, "distribution"),
                    f'distribution must be one of {", ".join(DISTRIBUTIONS)}, not "{self.distribution}"',
                )
            )
        if self.sampling not in SAMPLINGS:
            found.append(
                ((*where, "sampling"), f'sampling must be one of {", ".join(SAMPLINGS)}, not "{self.sampling}"')
            )
        for key, bounds in self.ranges.items():
            path = (*where, "ranges", key)
            if key not in registry.BY_KEY:
                found.append((path, registry.unknown_key_message("parameter", key, registry.KEYS)))
                continue
            parameter = registry.BY_KEY[key]
            if len(bounds) != 2 or not all(isinstance(b, float) for b in bounds):
                found.append((path, f"the range of {key} must be two numbers, [low, high]"))
                continue
            low, high = bounds
            if low > high:
                found.append((path, f"the range of {key} runs from low to high: [{low:g}, {high:g}] is backwards"))
            for bound in bounds:
                problem = parameter.out_of_range(bound)
                if problem:
                    found.append((path, f"the range of {key}: {problem}"))
                    break
        found.extend(drift_problems(self.drift))
        return found


def drift_problems(drift: Mapping[str, Any]) -> list[tuple[Path, str]]:
    """Why each entry of ``[uncertainty] drift`` cannot be used (docs/model.md, Drift)."""
    found: list[tuple[Path, str]] = []
    for key, volatility in drift.items():
        path = ("uncertainty", "drift", key)
        if key not in registry.BY_KEY:
            found.append((path, registry.unknown_key_message("parameter", key, registry.KEYS)))
            continue
        parameter = registry.BY_KEY[key]
        if not parameter.can_drift:
            why = (
                "a whole number"
                if parameter.integer
                else "a starting stock"
                if not parameter.changes_over_time
                else "a level, not a rate"
                if parameter.group == "stockpiles"
                else "fixed by how a container is packed"
            )
            found.append((path, f"{key} cannot drift: it is {why}"))
            continue
        if volatility is None:
            continue
        if isinstance(volatility, bool) or not isinstance(volatility, float) or not math.isfinite(volatility):
            found.append((path, f"the drift of {key} must be a number of percent a month, not {volatility!r}"))
        elif not 0 < volatility <= MAX_DRIFT:
            found.append(
                (
                    path,
                    f"the drift of {key} = {volatility:g}% a month is outside its range: "
                    f"more than 0, at most {MAX_DRIFT:g}",
                )
            )
    return found


def parse_drift(text: str) -> dict[str, float | None]:
    """Drift as a person types it: ``containers_per_month 4, ru_fire_rate`` (a key alone takes its default).

    Entries are split by commas or semicolons; a key may be followed by ``=`` or ``:``, the
    percent by ``%``. Everything ``[uncertainty] drift`` checks is checked here too.

    Raises:
        ValueError: With a message for the user.
    """
    drift: dict[str, float | None] = {}
    for entry in (part.strip() for part in text.replace(";", ",").split(",")):
        if not entry:
            continue
        key, _, rest = entry.replace("=", " ").replace(":", " ").partition(" ")
        shown = rest.strip().removesuffix("%").strip()
        try:
            drift[key] = parse_number(shown, "4") if shown else None
        except ValueError as exc:
            raise ValueError(f"the drift of {key}: {exc}") from None
    problems = drift_problems(_drift(drift))
    if problems:
        raise ValueError("; ".join(message for _, message in problems))
    return drift


def format_drift(drift: Mapping[str, float | None]) -> str:
    """``[uncertainty] drift`` as :func:`parse_drift` reads it back."""
    return ", ".join(key if v is None else f"{key} {format_number(v)}" for key, v in drift.items())


def _full_values(values: Mapping[str, float]) -> Mapping[str, float]:
    merged = dict(registry.DEFAULTS)
    merged.update({key: _as_float(value) for key, value in values.items()})
    return MappingProxyType(merged)


def _sorted_changes(changes: Iterable[Change]) -> tuple[Change, ...]:
    order = {key: i for i, key in enumerate(registry.KEYS)}

    def sort_key(change: Change) -> tuple[str, int]:
        return change.month, order.get(change.parameter, len(order))

    return tuple(sorted(changes, key=sort_key))


@attrs.frozen(eq=True)
class Scenario:
    """Everything a projection needs. Changing anything makes a new, re-validated scenario."""

    name: str = "Untitled"
    description: str = ""
    start: str = BASELINE_START
    months: int = BASELINE_MONTHS
    values: Mapping[str, float] = attrs.field(factory=dict, converter=_full_values)
    changes: tuple[Change, ...] = attrs.field(default=(), converter=_sorted_changes)
    notes: str = ""
    uncertainty: Uncertainty = attrs.field(factory=Uncertainty)

    def __attrs_post_init__(self) -> None:
        problems = [Problem(_located(path, message)) for path, message in self.problems()]
        if problems:
            raise ScenarioError(problems)

    def problems(self) -> list[tuple[Path, str]]:
        """Every reason this scenario is invalid, each with where it sits."""
        found: list[tuple[Path, str]] = []
        texts: tuple[tuple[str, object], ...] = (
            ("name", self.name),
            ("description", self.description),
            ("notes", self.notes),
        )  # as given: a file or a caller may pass anything
        for field, value in texts:
            if not isinstance(value, str):
                found.append(((field,), f"{field} must be text"))
        start_index = None
        try:
            start_index = parse_start(self.start)
        except ValueError as exc:
            found.append((("start",), f"start: {exc}"))
        months: object = self.months  # as given: a file or a caller may pass anything
        if isinstance(months, bool) or not isinstance(months, int):
            found.append((("months",), f"months must be a whole number from 1 to {MAX_MONTHS}"))
        elif not 1 <= months <= MAX_MONTHS:
            found.append((("months",), f"months = {months} is outside its range 1 to {MAX_MONTHS} months"))
        for key, number in self.values.items():
            found.extend((("parameters", key), m) for m in value_problems(key, number))
        horizon = None
        if start_index is not None and (("months",) not in [p for p, _ in found]):
            horizon = (start_index, start_index + self.months - 1)
        if isinstance(self.uncertainty, Uncertainty):
            found.extend(self.uncertainty.problems())
        seen: set[tuple[str, str]] = set()
        for i, change in enumerate(self.changes):
            found.extend(change_problems(i, change, horizon))
            if (change.month, change.parameter) in seen:
                found.append((("changes", i), f"a second change of {change.parameter} from {change.month}; keep one"))
            seen.add((change.month, change.parameter))
        return found

    # -- derived facts -------------------------------------------------------------

    @property
    def start_index(self) -> int:
        return parse_month(self.start)

    @property
    def end(self) -> str:
        """The last month of the projection."""
        return format_month(self.start_index + self.months - 1)

    def month_labels(self) -> list[str]:
        first = self.start_index
        return [format_month(first + i) for i in range(self.months)]

    def steps(self, key: str) -> list[tuple[int, float, int]]:
        """``key``'s changes as (month offset from the start, value, months phased in over), in order."""
        first = self.start_index
        return [(parse_month(c.month) - first, c.value, c.over) for c in self.changes if c.parameter == key]

    def series(self, key: str) -> list[float]:
        """The value of ``key`` in force in each month of the horizon, changes applied."""
        return schedule(self.values[key], self.steps(key), self.months)

    def changed_from(self, other: Scenario) -> list[str]:
        """Keys whose starting value differs from ``other``'s."""
        return [key for key in registry.KEYS if self.values[key] != other.values[key]]

    # -- making new scenarios ------------------------------------------------------

    def with_values(self, values: Mapping[str, float]) -> Scenario:
        return attrs.evolve(self, values={**self.values, **values})

    def with_value(self, key: str, value: float) -> Scenario:
        return self.with_values({key: value})

    def with_changes(self, changes: Iterable[Change]) -> Scenario:
        return attrs.evolve(self, changes=tuple(changes))

    def with_change(self, change: Change) -> Scenario:
        """This scenario with ``change`` added, replacing a change of the same parameter from the same month.

        Two changes of one parameter in one month would leave which is in force to their order;
        a person adding one means "from then on, this value" (docs/model.md, changes over time).
        """
        kept = [c for c in self.changes if (c.month, c.parameter) != (change.month, change.parameter)]
        return self.with_changes([*kept, change])

    def with_horizon(self, start: str | None = None, months: int | None = None) -> Scenario:
        """The same assumptions over another window of months.

        A change at or before the new start is folded into the starting values (it is
        in force from the first month); a change after the new end has no effect and
        is dropped.
        """
        start = self.start if start is None else start
        months = self.months if months is None else months
        try:
            first = parse_start(start)
        except ValueError as exc:
            raise ScenarioError(f"start: {exc}") from None
        last = first + months - 1
        values = dict(self.values)
        kept = []
        for change in self.changes:
            at = parse_month(change.month)
            if first < at <= last:
                kept.append(change)
        for key in {c.parameter for c in self.changes if parse_month(c.month) <= first}:
            # The value in force in the new first month becomes the starting value; a change still
            # phasing in then goes on from the next month, on the same line (docs/model.md).
            before = [c for c in self.changes if c.parameter == key and parse_month(c.month) <= first]
            values[key] = schedule(self.values[key], self.steps(key), first - self.start_index + 1)[-1]
            latest = before[-1]
            left = parse_month(latest.month) + latest.over - first - 1
            if (
                left >= 0
                and first + 1 <= last
                and not any(c.parameter == key and parse_month(c.month) == first + 1 for c in kept)
            ):
                kept.append(Change(format_month(first + 1), key, latest.value, left))
        return attrs.evolve(self, start=start, months=months, values=values, changes=tuple(kept))


def value_problems(key: str, value: Any) -> list[str]:
    """Why ``value`` cannot be the value of parameter ``key`` (empty when it can)."""
    if key not in registry.BY_KEY:
        return [registry.unknown_key_message("parameter", key, registry.KEYS)]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        unit = registry.BY_KEY[key].unit
        return [f"{key} must be a number ({unit}), not {type(value).__name__} {value!r}"]
    problem = registry.BY_KEY[key].out_of_range(value)
    return [problem] if problem else []


def change_problems(i: int, change: Change, horizon: tuple[int, int] | None) -> list[tuple[Path, str]]:
    found: list[tuple[Path, str]] = []
    try:
        at = parse_month(change.month)
    except ValueError as exc:
        found.append((("changes", i, "month"), str(exc)))
        at = None
    if at is not None and horizon is not None and not horizon[0] <= at <= horizon[1]:
        span = f"{format_month(horizon[0])} to {format_month(horizon[1])}"
        found.append(
            (("changes", i, "month"), f"month {change.month} is outside the horizon; changes may start {span}")
        )
    if change.parameter not in registry.BY_KEY:
        message = registry.unknown_key_message("parameter", change.parameter, registry.KEYS)
        found.append((("changes", i, "parameter"), message))
        return found
    if not registry.BY_KEY[change.parameter].changes_over_time:
        found.append(
            (("changes", i, "parameter"), f"{change.parameter} is a starting stock and cannot change over time")
        )
    found.extend((("changes", i, "value"), m) for m in value_problems(change.parameter, change.value))
    over: object = change.over  # as given: a file or a caller may pass anything
    if isinstance(over, bool) or not isinstance(over, int):
        found.append((("changes", i, "over"), f"over must be a whole number of months from 0 to {MAX_OVER}"))
    elif not 0 <= over <= MAX_OVER:
        found.append(
            (("changes", i, "over"), f"over = {over} is outside its range 0 to {MAX_OVER} months (0 is a step)")
        )
    elif over and registry.BY_KEY[change.parameter].integer:
        found.append((("changes", i, "over"), f"{change.parameter} is a whole number: it changes in a step (over = 0)"))
    return found


def _located(path: Path, message: str) -> str:
    """Prefix a change's problem with which change it is (1-based)."""
    if path and path[0] == "changes" and len(path) > 1:
        return f"change {path[1] + 1}: {message}"
    return message


def baseline() -> Scenario:
    """docs/model.md's defaults over the baseline horizon."""
    return Scenario(
        name="Baseline",
        description="The model's default assumptions, 2023-09 to 2027-08.",
    )
