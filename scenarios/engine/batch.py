"""Many variants of one scenario in one vectorised call: the run dimension.

Monte Carlo, sensitivity and goal seeking ask for thousands of projections that differ
only in their starting values. Here every quantity is laid out as a (months, runs) NumPy
block and docs/model.md's recursion steps down the month axis a whole row at a time: each
operation covers every run of one month, a contiguous row, so the Python-level work is a
few operations a month whatever the number of runs.

Polars is the engine for one projection, where a frame of 48 rows is the natural shape.
For a batch it is not: a long frame needs a window per run (``.over("run")``, some 20
times slower at 10,000 runs) and a wide frame a chain of per-month stages with a fixed
cost of about 20 ms a call. The property tests hold the two engines (and the plain
reference loop) to the same numbers; :meth:`Batch.frame` hands a batch back as a Polars
frame.

Only North Korea's two state series (shipped, its stock) are computed up front; Russia's
(fired, its stock) when a column or figure first needs them, so a caller reading only
shipments (conditioning on the observations) pays for North Korea's side only. Every other
output column is worked out when it is first asked for, and :meth:`Batch.total` gives a
column's sum over the horizon without building the column where a per-run factor allows:
on blocks this size, fresh memory costs more than arithmetic, so a column nobody reads is
never made.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import cached_property

import attrs
import numpy as np
import polars as pl

from ammoflow.scenarios.engine.allocator import keep_freed_blocks
from ammoflow.scenarios.model import registry
from ammoflow.scenarios.model.columns import NUMBER_COLUMNS
from ammoflow.scenarios.model.months import days_in, parse_month
from ammoflow.scenarios.model.scenario import Scenario, ramp_fractions

keep_freed_blocks()  # a batch's blocks are made again and again: see allocator.py

# What a parameter is inside a batch: a number (the same in every run and month), a
# (runs,) row (one value per run), or a (months, 1 or runs) grid (it changes over time).
Value = float | np.ndarray


@attrs.frozen(eq=False)
class Batch:
    """Projections of ``runs`` variants: each output column as a (runs, months) array."""

    scenario: Scenario
    runs: int
    columns: Columns
    values: Mapping[str, np.ndarray] = attrs.field(factory=dict)  # the per-run starting values given

    @property
    def months(self) -> list[str]:
        return self.scenario.month_labels()

    def __getitem__(self, column: str) -> np.ndarray:
        return self.columns[column]

    def total(self, column: str) -> np.ndarray:
        """Per run, ``column`` summed over the horizon."""
        return self.columns.total(column)

    def parameter(self, key: str) -> np.ndarray:
        """The parameter as the runs used it, changes over time included: broadcasts to (runs, months)."""
        value = np.asarray(self.columns.inputs(key))
        if value.ndim == 2:  # (months, 1 or runs): changes over time
            return value.T
        return value[:, None] if value.ndim == 1 else value

    def frame(self) -> pl.DataFrame:
        """The long form: a row per run and month, run-major, with the contract's columns."""
        return long_frame(self.months, self.runs, {name: self.columns[name] for name in NUMBER_COLUMNS})


def long_frame(
    months: Sequence[str], runs: int, columns: Mapping[str, np.ndarray], *, first_run: int = 0
) -> pl.DataFrame:
    """(runs, months) columns as a long frame: ``run``, ``month``, then the columns, run by run.

    Runs are numbered from ``first_run``, so the frames of consecutive chunks of runs follow on.
    """
    labels = pl.Series("month", months, dtype=pl.String)
    data: dict[str, pl.Series | np.ndarray] = {
        "run": np.repeat(np.arange(first_run, first_run + runs, dtype=np.int32), len(months)),
        "month": labels.gather(np.tile(np.arange(len(months)), runs)),
    }
    for name, block in columns.items():
        data[name] = block.reshape(-1)
    return pl.DataFrame(data)


def check_values(parameter: registry.Parameter, array: np.ndarray) -> None:
    """The rules a scenario enforces, for a whole column of run values at once."""
    bad = ~np.isfinite(array) | (array < parameter.low) | (array > parameter.high)
    if parameter.integer:
        bad |= array != np.round(array)
    if bad.any():
        first = int(np.argmax(bad))
        problem = parameter.out_of_range(float(array[first])) or f"{parameter.key} = {array[first]} is not allowed"
        raise ValueError(f"run {first}: {problem}")


def check_drift(scenario: Scenario, runs: int, drift: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Drift multipliers as read-only (months, runs) blocks of positive numbers.

    A read-only float64 block (what :func:`ammoflow.scenarios.analysis.montecarlo.draw_drift`
    gives) is taken as it is; any other is copied, so the batch never follows a caller's edits.
    Copying blocks this size costs more than the projection itself.
    """
    checked: dict[str, np.ndarray] = {}
    for key, given in drift.items():
        if key not in registry.BY_KEY:
            raise KeyError(registry.unknown_key_message("parameter", key, registry.KEYS))
        if not registry.BY_KEY[key].can_drift:
            raise ValueError(f"{key} cannot drift (docs/model.md, Drift)")
        taken = isinstance(given, np.ndarray) and given.dtype == np.float64 and not given.flags.writeable
        block = given if taken else np.array(given, dtype=np.float64)
        if block.shape != (scenario.months, runs):
            raise ValueError(
                f"the drift of {key} must be a (months, runs) block {(scenario.months, runs)}, not {block.shape}"
            )
        if not (block.min() > 0 and np.isfinite(block.max())):  # NaN fails the first; no temporary block
            raise ValueError(f"the drift of {key} must be finite multipliers above 0")
        if block.flags.writeable:
            block.flags.writeable = False
        checked[key] = block
    return checked


def project_batch(
    scenario: Scenario,
    values: Mapping[str, Sequence[float] | np.ndarray] | None = None,
    runs: int | None = None,
    *,
    drift: Mapping[str, np.ndarray] | None = None,
    into: Mapping[str, np.ndarray] | None = None,
) -> Batch:
    """``runs`` variants of ``scenario``; ``values`` gives some parameters one starting value per run.

    Changes over time apply to every run (a change sets a value from its month on). ``drift``
    gives some parameters a (months, runs) block of multipliers: the parameter's planned path
    (its starting value, then its changes) times the multiplier, clipped into its slider range
    (docs/model.md, Drift). Without it every number is what it was before drift existed.

    ``into`` gives some output columns a writable (months, runs) float64 array of the caller's
    (a slice of a larger block, say) to be worked out in, when they are asked for, instead of
    memory of the batch's own: Monte Carlo writes each chunk of runs straight into the blocks it
    keeps for all of them, with no copy. The numbers are the same either way.
    """
    inputs = batch_inputs(scenario, values, runs, drift)
    destinations = check_into(scenario, inputs.runs, into or {})
    projection = _Projection(inputs, destinations)
    return Batch(scenario, inputs.runs, Columns(projection, destinations), inputs.arrays)


def batch_inputs(
    scenario: Scenario,
    values: Mapping[str, Sequence[float] | np.ndarray] | None,
    runs: int | None,
    drift: Mapping[str, np.ndarray] | None,
) -> _Inputs:
    """The checked inputs of a batch (see :func:`project_batch`): each parameter per run, and drift."""
    # Copies, read-only: columns are worked out later, from these, and must not follow a caller's edits.
    arrays = {key: np.array(v, dtype=np.float64).reshape(-1) for key, v in (values or {}).items()}
    for array in arrays.values():
        array.flags.writeable = False
    for key, array in arrays.items():
        if key not in registry.BY_KEY:
            raise KeyError(registry.unknown_key_message("parameter", key, registry.KEYS))
        check_values(registry.BY_KEY[key], array)
    lengths = {len(a) for a in arrays.values()}
    if runs is None:
        runs = lengths.pop() if lengths else 1
    if lengths - {runs}:
        raise ValueError(f"every parameter needs one value per run ({runs} runs)")
    if runs < 1:
        raise ValueError("a projection needs at least one run")
    multipliers = check_drift(scenario, runs, drift or {})
    return _Inputs(scenario, arrays, runs, multipliers)


def check_into(scenario: Scenario, runs: int, into: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The arrays a batch is to work columns out in: known columns, (months, runs), float64, writable."""
    for name, array in into.items():
        if name not in _BLOCKS:
            raise KeyError(registry.unknown_key_message("output column", name, NUMBER_COLUMNS))
        if not (
            isinstance(array, np.ndarray)
            and array.shape == (scenario.months, runs)
            and array.dtype == np.float64
            and array.flags.writeable
        ):
            raise ValueError(f"{name} must be worked out in a writable float64 ({scenario.months}, {runs}) array")
    return dict(into)


class _Inputs:
    """Each parameter's value, shaped to broadcast against a (months, runs) block."""

    def __init__(
        self, scenario: Scenario, arrays: dict[str, np.ndarray], runs: int, drift: Mapping[str, np.ndarray]
    ) -> None:
        self.scenario = scenario
        self.arrays = arrays
        self.drift = drift
        self.drifted: dict[str, np.ndarray] = {}
        self.runs = runs
        self.months = scenario.months
        self.shape = (self.months, runs)
        first = scenario.start_index
        self.days = np.array([days_in(first + i) for i in range(self.months)], dtype=np.float64)[:, None]
        self.changes: dict[str, list[tuple[int, float, int]]] = {}
        for change in scenario.changes:
            self.changes.setdefault(change.parameter, []).append(
                (parse_month(change.month) - first, change.value, change.over)
            )

    def __call__(self, key: str) -> Value:
        if key not in self.drift:
            return self.planned(key)
        made = self.drifted.get(key)
        if made is None:
            parameter = registry.BY_KEY[key]
            made = np.multiply(self.planned(key), self.drift[key])
            np.clip(made, parameter.low, parameter.high, out=made)
            made.flags.writeable = False
            self.drifted[key] = made
        return made

    def planned(self, key: str) -> Value:
        """The parameter's planned path: its starting value (per run when given), then its changes."""
        steps = self.changes.get(key)
        base = self.arrays.get(key)
        if not steps:
            return float(self.scenario.values[key]) if base is None else base
        if base is None:
            base = np.array([self.scenario.values[key]])
        grid = np.broadcast_to(base, (self.months, len(base))).copy()
        for offset, value, over in steps:  # as Scenario.series does it (docs/model.md, Gradual changes)
            fractions = ramp_fractions(over, self.months - offset)
            if fractions:
                before = grid[offset - 1] if offset > 0 else base
                ramp = np.asarray(fractions)[:, None]
                grid[offset : offset + len(fractions)] = before + (value - before) * ramp
            grid[offset + len(fractions) :, :] = value
        return grid

    def full(self, value: Value) -> np.ndarray:
        """``value`` as a whole (months, runs) block: a read-only view, no copy."""
        return np.broadcast_to(value, self.shape)


class _InputRows(_Inputs):
    """The inputs of one window of months (:class:`MonthsBefore`): each grid cut to the rows of its months.

    A value is worked out once for the whole horizon (``made``, shared by the windows) and cut.
    """

    def __init__(self, whole: _Inputs, first: int, end: int, made: dict[str, Value]) -> None:
        # Not _Inputs.__init__: everything is the whole horizon's, cut.
        self.scenario = whole.scenario
        self.arrays = whole.arrays
        self.drift = whole.drift
        self.drifted = whole.drifted
        self.changes = whole.changes
        self.runs = whole.runs
        self.months = end - first
        self.shape = (self.months, whole.runs)
        self.days = whole.days[first:end]
        self._whole = whole
        self._made = made
        self._first = first
        self._end = end

    def __call__(self, key: str) -> Value:
        value = self._made.get(key)
        if value is None:
            value = self._made[key] = self._whole(key)
        return _rows(value, self._first, self._end)


def _month(value: Value, t: int) -> Value:
    """Month ``t`` of a value: itself, or the row of a grid that changes over time."""
    if isinstance(value, np.ndarray) and value.ndim == 2:
        row: np.ndarray = value[t]
        return row
    return value


def _rows(value: Value, first: int, end: int) -> Value:
    """Months ``first`` to ``end - 1`` of a value: a grid's rows; a number or a per-run row as it is."""
    if isinstance(value, np.ndarray) and value.ndim == 2:
        rows: np.ndarray = value[first:end]
        return rows
    return value


def _over_months(value: Value, months: int) -> Value:
    """A value summed over the months (per run where it varies)."""
    if isinstance(value, np.ndarray) and value.ndim == 2:
        total: np.ndarray = value.sum(axis=0)
        return total
    return value * months


def _weighted_total(block: np.ndarray, weight: Value, block_total: Callable[[], np.ndarray]) -> np.ndarray:
    """``(block * weight)`` summed over the months, from ``block_total()`` when ``weight`` is the same each month."""
    total: np.ndarray = (block * weight).sum(axis=0) if np.ndim(weight) == 2 else block_total() * weight
    return total


def _running_total(
    flow: np.ndarray, weight: Value = 1.0, out: np.ndarray | None = None, before: np.ndarray | None = None
) -> np.ndarray:
    """The running total of a (months, runs) flow times ``weight`` down the month axis.

    A loop over months of whole-row operations: each row is contiguous, and this is about
    four times faster than ``np.cumsum(axis=0)``, which walks the block column by column.
    Each month's product is made in the row it is added into, so no product block is made:
    the same numbers as the running total of ``flow * weight``. Made in ``out`` when given.
    ``before``: the total of the month before the first (a later window of months), added
    to the first month's as the next row is added to it, so the numbers are the same.
    """
    total = np.empty_like(flow) if out is None else out
    if isinstance(weight, float) and weight == 1.0:
        if before is None:
            total[0] = flow[0]
        else:
            np.add(before, flow[0], out=total[0])
        for t in range(1, len(flow)):
            np.add(total[t - 1], flow[t], out=total[t])
        return total
    np.multiply(flow[0], _month(weight, 0), out=total[0])
    if before is not None:
        np.add(before, total[0], out=total[0])
    for t in range(1, len(flow)):
        np.multiply(flow[t], _month(weight, t), out=total[t])
        np.add(total[t - 1], total[t], out=total[t])
    return total


@attrs.define(eq=False)
class MonthsBefore:
    """What the months before a window of months left it (:class:`_Projection` of a window).

    docs/model.md's recursion carries the two stocks from month to month, a running total its
    last month's total, and a shipment lands months after it left: a window of months begins
    with the stocks and totals of the month before it, and reads earlier shipments from
    ``shipped``, the rows of the months from ``since`` (as many before the window as the
    longest transit, then the window's own, written there). ``take`` gives the window its
    (months, runs) blocks.
    """

    first: int  # the window's first month (0 for the horizon's first)
    lag: int | np.ndarray  # the transit of every month of the horizon (see _lag)
    shipped: np.ndarray  # (months, runs): the rows of months since, since + 1, ...
    since: int
    take: Callable[[tuple[int, int]], np.ndarray]
    nk_stock: Value
    ru_stock: Value
    totals: dict[str, np.ndarray] = attrs.field(factory=dict)  # each running total's row of the month before


def _lag(p: _Inputs) -> int | np.ndarray:
    """The transit in months: one number for every run and month, or per run (and month of departure)."""
    lag = np.asarray(p("transit_months")).astype(np.int64)
    return int(lag) if lag.ndim == 0 else lag


def north_korea_months(
    previous: Value, produced: Value, reserve: Value, capacity: Value, shipped: np.ndarray, stock: np.ndarray
) -> None:
    """North Korea's recursion (docs/model.md) month by month, a row of ``shipped`` and ``stock`` each.

    ``previous`` is the stock before the first month; the other values are those of the same
    months (a grid cut to their rows).
    """
    room = np.empty(shipped.shape[1])
    for t in range(len(shipped)):
        available = np.add(previous, _month(produced, t), out=stock[t])
        np.subtract(available, _month(reserve, t), out=room)
        np.maximum(room, 0.0, out=room)
        np.minimum(room, _month(capacity, t), out=shipped[t])
        previous = np.subtract(available, shipped[t], out=stock[t])


def russia_months(
    previous: Value,
    own_supply: Value,
    demand: np.ndarray,
    arrived: Callable[[int], np.ndarray | None],
    fired: np.ndarray,
    stock: np.ndarray,
) -> None:
    """Russia's recursion (docs/model.md) month by month, a row of ``fired`` and ``stock`` each (as North Korea's)."""
    for t in range(len(fired)):
        available = np.add(previous, _month(own_supply, t), out=stock[t])
        row = arrived(t)
        if row is not None:
            np.add(available, row, out=available)
        np.minimum(available, _month(demand, t), out=fired[t])
        previous = np.subtract(available, fired[t], out=stock[t])


def arrivals_months(
    shipped: np.ndarray, lag: int | np.ndarray, first: int, out: np.ndarray, *, since: int = 0, months: int = 0
) -> np.ndarray:
    """Arrivals of months ``first`` on, a row of ``out`` each, from ``shipped``.

    ``shipped`` holds the rows of months ``since`` on, at least from the longest transit before
    ``first`` to the last month of ``out``; ``months`` is the horizon's (default: every row of
    ``shipped``). A shipment lands ``transit_months`` after it leaves, the transit in force in
    the month it left (docs/model.md), so after a change two months' shipments may land
    together and a month may see none; what is due after the horizon is still in transit at its end.
    """
    months = months or len(shipped)
    end = first + len(out)
    if isinstance(lag, int):  # one transit time for every run and month
        landing = min(max(first, lag), end)
        out[: landing - first] = 0.0  # nothing can have arrived yet
        out[landing - first :] = shipped[landing - lag - since : end - lag - since]
        return out
    values = [int(v) for v in np.unique(lag) if v < months]
    out[: max(0, min(values[0] if values else months, end) - first)] = 0.0  # nothing can have arrived yet
    scratch: np.ndarray | None = None
    for value in values:
        # Per run, or per run and month of departure after a change; months before the lag stay 0.
        # Shipments times 1 where this transit applies and 0 elsewhere, added: exact for the finite
        # shipments the engine makes, and about twice as fast as an addition with ``where=``. The
        # first transit writes its products straight into the block, the others add theirs.
        landing = max(first, value)
        if landing >= end:
            continue
        left = (lag == value if lag.ndim == 1 else (lag == value)[landing - value : end - value]).astype(np.float64)
        if value == values[0]:
            np.multiply(shipped[landing - value - since : end - value - since], left, out=out[landing - first :])
            continue
        scratch = np.empty_like(out) if scratch is None else scratch
        departed = shipped[landing - value - since : end - value - since]
        product = np.multiply(departed, left, out=scratch[: end - landing])
        np.add(out[landing - first :], product, out=out[landing - first :])
    return out


class _Projection:
    """docs/model.md's equations for every run: the state series at once, the rest on request.

    Of the whole horizon, or (``before``) of a window of its months, with ``p`` the window's inputs.
    """

    def __init__(self, p: _Inputs, into: Mapping[str, np.ndarray], before: MonthsBefore | None = None) -> None:
        self.p = p
        self.into = into
        self.before = before
        share = np.divide(p("share_122_containers"), 100)
        self.shells_share = (1 - share) * p("shells_152_per_container")
        self.rockets_share = share * p("rockets_122_per_container")
        per_container = self.shells_share + self.rockets_share
        self.per_round = 1 / per_container  # containers per round: never 0 rounds a container in the slider ranges
        self.produced = np.multiply(p("nk_capacity_russia"), p("nk_utilisation_russia")) / 100
        self.lag: int | np.ndarray = _lag(p) if before is None else before.lag
        self.first = 0 if before is None else before.first
        if before is None:
            self.shipped = self.block("rounds_shipped")
            self.history = self.shipped  # every month's shipments, for the arrivals
            self.since = 0
        else:
            self.history = before.shipped
            self.since = before.since
            self.shipped = self.history[self.first - self.since : self.first - self.since + p.months]
        self.nk_stock = self.block("nk_stock")
        north_korea_months(
            p("nk_stock_initial") if before is None else before.nk_stock,
            self.produced,
            p("nk_reserve"),
            np.multiply(p("containers_per_month"), per_container),
            self.shipped,
            self.nk_stock,
        )

    @cached_property
    def own_supply(self) -> Value:
        return np.add(self.p("ru_production"), self.p("ru_other_imports"))

    def block(self, column: str) -> np.ndarray:
        """A (months, runs) block to work ``column`` out in: the caller's (``into``), the window's, or a new one."""
        given = self.into.get(column)
        if given is not None:
            return given
        return np.empty(self.p.shape) if self.before is None else self.before.take(self.p.shape)

    def total_before(self, column: str) -> np.ndarray | None:
        """A running total's row of the month before this window (None: it begins at 0)."""
        return None if self.before is None else self.before.totals.get(column)

    @cached_property
    def demand(self) -> np.ndarray:
        """(months, 1 or runs): the fire rate times the days."""
        rate, days = self.p("ru_fire_rate"), self.p.days
        given = self.into.get("ru_demand")
        if given is not None and np.broadcast_shapes(np.shape(rate), days.shape) == given.shape:
            made: np.ndarray = np.multiply(rate, days, out=given)
            return made
        made = np.multiply(rate, days)
        return made

    @cached_property
    def arrivals(self) -> np.ndarray | None:
        """Arrivals when the transit time varies between runs or over time (see :func:`arrivals_months`)."""
        if isinstance(self.lag, int):
            return None
        return self._arrivals_in(self.block("ru_arrivals"))

    def _arrivals_in(self, out: np.ndarray) -> np.ndarray:
        """:func:`arrivals_months` of this projection's months, in ``out``."""
        horizon = self.p.scenario.months
        return arrivals_months(self.history, self.lag, self.first, out, since=self.since, months=horizon)

    @cached_property
    def _russia_state(self) -> tuple[np.ndarray, np.ndarray]:
        return self._russia()

    def _russia(self) -> tuple[np.ndarray, np.ndarray]:
        """Rounds fired and Russia's closing stock, a row per month."""
        fired = self.block("ru_fired")
        stock = self.block("ru_stock")
        previous = self.p("ru_stock_initial") if self.before is None else self.before.ru_stock
        russia_months(previous, self.own_supply, self.demand, self.arrived, fired, stock)
        return fired, stock

    @property
    def fired(self) -> np.ndarray:
        return self._russia_state[0]

    @property
    def ru_stock(self) -> np.ndarray:
        return self._russia_state[1]

    def arrived(self, t: int) -> np.ndarray | None:
        """Month ``t``'s arrivals as a row, None when nothing can have arrived yet."""
        if self.arrivals is not None:
            row: np.ndarray = self.arrivals[t]
            return row
        lag = int(self.lag)  # no arrivals worked out: one transit time for every run and month
        month = self.first + t
        return self.history[month - lag - self.since] if month >= lag else None

    def arrivals_block(self) -> np.ndarray:
        if self.arrivals is not None:
            return self.arrivals
        return self._arrivals_in(self.block("ru_arrivals"))

    @cached_property
    def shipped_total(self) -> np.ndarray:
        """Rounds shipped over the horizon, per run: containers, rounds and food are all read from it."""
        total: np.ndarray = self.shipped.sum(axis=0)
        return total

    @cached_property
    def arrivals_total(self) -> np.ndarray:
        if self.arrivals is not None:
            total: np.ndarray = self.arrivals.sum(axis=0)
            return total
        months = len(self.shipped) - int(self.lag)
        return self.shipped[:months].sum(axis=0) if months > 0 else np.zeros(self.p.runs)

    def per_round_shipped(self, *factors: str) -> Value:
        """Per round shipped, the containers times each factor (a parameter, or a share worked out here)."""
        weight: Value = self.per_round
        for factor in factors:
            weight = weight * (self.p(factor) if factor in registry.BY_KEY else getattr(self, factor))
        return weight


# Each output column as a (months, runs) block; a "weight" column is rounds shipped times a per-run factor.
_WEIGHTS: dict[str, tuple[str, ...]] = {
    "containers_shipped": (),
    "shells_152_shipped": ("shells_share",),
    "rockets_122_shipped": ("rockets_share",),
    "return_containers": ("return_containers_ratio",),
    "food_tonnes": ("return_containers_ratio", "food_tonnes_per_container"),
}


def _weighted(name: str, factors: tuple[str, ...]) -> Callable[[_Projection], np.ndarray]:
    """The block of a "weight" column: rounds shipped times each factor."""

    def block(s: _Projection) -> np.ndarray:
        made: np.ndarray = np.multiply(s.shipped, s.per_round_shipped(*factors), out=s.block(name))
        return made

    return block


# Each output column's block, worked out in the caller's array where one is given (_Projection.block);
# a column that is a view of a parameter (the same every month, or every run) is copied there instead.
_BLOCKS: dict[str, Callable[[_Projection], np.ndarray]] = {
    "days": lambda s: s.p.full(s.p.days),
    "nk_production_russia": lambda s: s.p.full(s.produced),
    "nk_production_other": lambda s: s.p.full(np.multiply(s.p("nk_capacity_other"), s.p("nk_utilisation_other")) / 100),
    "rounds_shipped": lambda s: s.shipped,
    **{name: _weighted(name, factors) for name, factors in _WEIGHTS.items()},
    "cumulative_containers": lambda s: _running_total(
        s.shipped, s.per_round, s.block("cumulative_containers"), s.total_before("cumulative_containers")
    ),
    "cumulative_rounds": lambda s: _running_total(
        s.shipped, out=s.block("cumulative_rounds"), before=s.total_before("cumulative_rounds")
    ),
    "nk_stock": lambda s: s.nk_stock,
    "ru_arrivals": lambda s: s.arrivals_block(),
    "ru_supply": lambda s: np.add(s.arrivals_block(), s.own_supply, out=s.block("ru_supply")),
    "ru_demand": lambda s: s.p.full(s.demand),
    "ru_fired": lambda s: s.fired,
    "ru_shortfall": lambda s: np.subtract(s.demand, s.fired, out=s.block("ru_shortfall")),
    "ru_stock": lambda s: s.ru_stock,
}


# Columns whose blocks nothing else is worked out from (Columns.release).
_LEAVES = frozenset(
    {*_WEIGHTS, "cumulative_containers", "cumulative_rounds", "ru_arrivals", "ru_supply", "ru_shortfall"}
)


def _total(s: _Projection, name: str) -> np.ndarray | None:
    """A column's sum over the months worked out without its block (None: sum the block)."""
    months = s.p.months
    if name in _WEIGHTS:
        return _weighted_total(s.shipped, s.per_round_shipped(*_WEIGHTS[name]), lambda: s.shipped_total)
    if name == "rounds_shipped":
        return s.shipped_total
    if name == "ru_arrivals":
        return s.arrivals_total
    if name == "ru_supply":
        return s.arrivals_total + _over_months(s.own_supply, months)
    if name == "ru_demand":
        return np.broadcast_to(s.demand.sum(axis=0), (s.p.runs,))
    return None


# Totals the projection keeps, read by several figures: never summed again from a made block.
_SHARED_TOTALS = frozenset({"rounds_shipped", "ru_arrivals"})


class Columns(Mapping[str, np.ndarray]):
    """A batch's output columns as (runs, months) arrays, each worked out when first asked for."""

    def __init__(self, projection: _Projection, into: Mapping[str, np.ndarray] | None = None) -> None:
        self._projection = projection
        self._into = into or {}
        self._made: dict[str, np.ndarray] = {}
        self._spent = False

    def __getitem__(self, name: str) -> np.ndarray:
        made = self._made.get(name)
        if made is None:
            if self._spent:
                raise RuntimeError("this batch handed its blocks over; project it again")
            if name not in _BLOCKS:
                raise KeyError(name)
            block = _BLOCKS[name](self._projection)
            given = self._into.get(name)
            if given is not None and block is not given:  # a view of a parameter: copied where asked
                np.copyto(given, block)
                block = given
            made = block.T
            made.flags.writeable = False  # later columns are worked out from the same arrays
            self._made[name] = made
        return made

    def __iter__(self) -> Iterator[str]:
        return iter(NUMBER_COLUMNS)  # the contract's order

    def __len__(self) -> int:
        return len(_BLOCKS)

    def hand_over(self, names: Sequence[str]) -> dict[str, np.ndarray]:
        """The columns ``names`` as (months, runs) blocks the caller may sort in place; the batch is then spent.

        Monte Carlo sorts each kept block once for its percentiles and drops the batch: a block the
        batch made for itself (its own memory, C-ordered) is handed over writable rather than copied,
        a copy of a block this size costing about as much as sorting it. Any other block (a view of
        a parameter, one row broadcast over the months or runs) comes as it is, read-only. Every
        block is made before any is handed over, since later columns are worked out from earlier
        ones; afterwards the batch raises rather than give a column from sorted memory.
        """
        views = {name: self[name].T for name in names}
        self._spent = True
        self._made.clear()
        out: dict[str, np.ndarray] = {}
        for name, view in views.items():
            base = view.base
            if not isinstance(base, np.ndarray):
                out[name] = view
                continue
            own = (
                base.flags.owndata
                and base.flags.c_contiguous
                and base.shape == view.shape
                and base.dtype == np.float64
                and view.__array_interface__["data"][0] == base.__array_interface__["data"][0]
                and view.strides == base.strides
                and not any(base is other.base for key, other in views.items() if key != name)
            )
            out[name] = base if own else view
        return out

    def release(self, name: str) -> np.ndarray | None:
        """Column ``name`` as a (months, runs) block the caller may rearrange, when nothing else reads it.

        A column no other column, total or key figure is worked out from (:data:`_LEAVES`: a
        weighted or running total, supply, shortfall; arrivals when one transit time holds for
        every run and month) is a block of the batch's own that it never reads again: it is taken
        out of the batch and handed over writable, so that Monte Carlo can sort it where it lies
        instead of copying it while the batch works out the next columns. None for any other
        column (read it instead). Asked for again, a released column is worked out afresh.
        """
        if name not in _LEAVES or name in self._into or self._spent:
            return None
        if name == "ru_arrivals" and self._projection.arrivals is not None:
            return None  # the arrivals Russia's stock is worked out from
        block = self[name].base  # made as a block of its own, handed out as a read-only transposed view
        if not (isinstance(block, np.ndarray) and block.flags.owndata and block.flags.writeable):
            return None
        del self._made[name]
        return block

    def inputs(self, key: str) -> Value:
        """A parameter as the projection used it (see :class:`_Inputs`)."""
        return self._projection.p(key)

    def total(self, name: str) -> np.ndarray:
        """Per run, column ``name`` summed over the months (from its block only when need be)."""
        if name in self._made and name not in _SHARED_TOTALS:
            total: np.ndarray = self._made[name].sum(axis=1)
            return total
        if self._spent:
            raise RuntimeError("this batch handed its blocks over; project it again")
        if name not in _BLOCKS:
            raise KeyError(name)
        found = _total(self._projection, name)
        return self[name].sum(axis=1) if found is None else np.broadcast_to(found, (self._projection.p.runs,))
