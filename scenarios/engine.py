"""The monthly stock-and-flow projection of MODEL.md, in Polars.

Both stocks follow "never below zero (or the reserve)" recursions. Written with
cumulative quantities they need no loop over months: with ``Cap`` the cumulative
shipping capacity and ``A`` the cumulative amount that has become shippable,
cumulative shipments are ``K = Cap + min(0, cummin(A - Cap))``; Russia's cumulative
fire has the same form, with demand for capacity and stock plus supply for ``A``.

The same stages of expressions serve one projection (a frame of ``months`` rows) and
many variants at once (a ``run`` column, rows run-major):

- one projection runs each expression on its own, eagerly: on 48 rows the cost is
  Polars' per-call overhead, and single-expression calls skip the thread pool;
- variants run as lazy stages, parameters that are the same in every row enter as
  literals, and a per-run scan runs along the months of a (runs, months) view
  of the column. A cumulative sum of something that does not change over time is
  a multiplication, so most scans are not needed at all.

A reserve that changes over time breaks the closed form: the horizon is then cut where
the reserve changes, and each piece is projected from the stock the piece before left.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from functools import partial

import attrs
import numpy as np
import polars as pl

from scenarios import registry
from scenarios.months import days_in, parse_month
from scenarios.scenario import Scenario

COLUMNS: tuple[str, ...] = (
    "month",
    "days",
    "nk_production_russia",
    "nk_production_other",
    "rounds_shipped",
    "containers_shipped",
    "shells_152_shipped",
    "rockets_122_shipped",
    "cumulative_containers",
    "cumulative_rounds",
    "nk_stock",
    "ru_arrivals",
    "ru_supply",
    "ru_demand",
    "ru_fired",
    "ru_shortfall",
    "ru_stock",
    "return_containers",
    "food_tonnes",
)

c = pl.col
Stage = list[tuple[str, pl.Expr]]


def project(scenario: Scenario) -> pl.DataFrame:
    """One projection: a row per month with the contract's columns."""
    return _project(scenario, {}, 1).drop("run")


def project_runs(
    scenario: Scenario,
    values: Mapping[str, Sequence[float] | np.ndarray] | None = None,
    runs: int | None = None,
) -> pl.DataFrame:
    """Many variants of ``scenario`` in one vectorised call.

    ``values`` maps parameter keys to one starting value per run; a key left out keeps
    the scenario's value in every run. Changes over time apply to every run. The result
    has a ``run`` column (0-based) and the contract's columns, run-major.
    """
    arrays = {key: np.asarray(v, dtype=np.float64).reshape(-1) for key, v in (values or {}).items()}
    for key, array in arrays.items():
        if key not in registry.BY_KEY:
            raise KeyError(registry.unknown_key_message("parameter", key, registry.KEYS))
        _check_values(registry.BY_KEY[key], array)
    lengths = {len(a) for a in arrays.values()}
    if runs is None:
        runs = lengths.pop() if lengths else 1
    if lengths - {runs}:
        raise ValueError(f"every parameter needs one value per run ({runs} runs)")
    if runs < 1:
        raise ValueError("a projection needs at least one run")
    return _project(scenario, arrays, runs)


def _check_values(parameter: registry.Parameter, array: np.ndarray) -> None:
    """The same rules a scenario enforces, for a whole column of run values at once."""
    bad = ~np.isfinite(array) | (array < parameter.low) | (array > parameter.high)
    if parameter.integer:
        bad |= array != np.round(array)
    if bad.any():
        first = int(np.argmax(bad))
        problem = parameter.out_of_range(float(array[first])) or f"{parameter.key} = {array[first]} is not allowed"
        raise ValueError(f"run {first}: {problem}")


# -- set-up -------------------------------------------------------------------------


@attrs.frozen
class _Layout:
    """How the inputs of one call are laid out."""

    runs: int
    months: int
    varying_in_time: frozenset[str]
    literal: Mapping[str, float]
    lag_source: np.ndarray = attrs.field(factory=lambda: np.empty(0, dtype=np.int64), eq=False)

    @property
    def single(self) -> bool:
        return self.runs == 1

    def param(self, key: str) -> pl.Expr:
        if key in self.literal:
            return pl.lit(self.literal[key], dtype=pl.Float64)
        return c(key)

    def varies(self, *keys: str) -> bool:
        return any(key in self.varying_in_time for key in keys)

    def cumulative(self, expr: pl.Expr, *, constant_in_time: bool) -> pl.Expr:
        """Running sum within each run; a multiplication when the term never changes."""
        if constant_in_time:
            return expr * c("elapsed")
        if self.single:
            return expr.cum_sum()
        return expr.map_batches(partial(_scan_runs, np.cumsum, self.months), return_dtype=pl.Float64)

    def running_min(self, expr: pl.Expr) -> pl.Expr:
        if self.single:
            return expr.cum_min()
        return expr.map_batches(partial(_scan_runs, np.minimum.accumulate, self.months), return_dtype=pl.Float64)

    def earlier(self, expr: pl.Expr, lag_key: str) -> pl.Expr:
        """``expr`` from ``lag_key`` months earlier in the same run (0 before the run starts)."""
        if lag_key in self.literal:
            lag = int(self.literal[lag_key])
            return expr if lag == 0 else pl.when(c("t") >= lag).then(expr.shift(lag)).otherwise(0.0)
        return expr.map_batches(partial(_take_earlier, self.lag_source), return_dtype=pl.Float64)


def _take_earlier(source: np.ndarray, series: pl.Series) -> pl.Series:
    """Each row's value from its source row; 0 where the source is before the run (-1)."""
    values = series.to_numpy()
    return pl.Series(series.name, np.where(source >= 0, values[source], 0.0))


def _scan_runs(scan: Callable[..., np.ndarray], months: int, series: pl.Series) -> pl.Series:
    """A cumulative scan inside each run of a run-major column.

    Polars has no fast segmented scan (a window over thousands of small groups, or
    reshaping to arrays, is 3-4 times slower), so the scan itself is NumPy's, along
    the month axis of a (runs, months) view of the column.
    """
    grid = series.to_numpy().reshape(-1, months)
    return pl.Series(series.name, scan(grid, axis=1).reshape(-1))


def _project(scenario: Scenario, arrays: dict[str, np.ndarray], runs: int) -> pl.DataFrame:
    months = scenario.months
    first = scenario.start_index
    days = np.array([days_in(first + i) for i in range(months)], dtype=np.float64)
    changes: dict[str, list[tuple[int, float]]] = {}
    for change in scenario.changes:
        changes.setdefault(change.parameter, []).append((parse_month(change.month) - first, change.value))

    columns: dict[str, np.ndarray] = {
        "run": np.repeat(np.arange(runs, dtype=np.int32), months),
        "t": np.tile(np.arange(months, dtype=np.int32), runs),
        "elapsed": np.tile(np.arange(1, months + 1, dtype=np.float64), runs),
        "days": np.tile(days, runs),
        "elapsed_days": np.tile(np.cumsum(days), runs),
    }
    literal: dict[str, float] = {}
    for key in registry.KEYS:
        steps = changes.get(key)
        if key not in arrays and not steps and runs > 1:
            literal[key] = scenario.values[key]
            continue
        grid = np.empty((runs, months), dtype=np.float64)
        grid[:] = arrays[key][:, None] if key in arrays else scenario.values[key]
        for offset, value in steps or ():
            grid[:, offset:] = value
        columns[key] = grid.reshape(-1)
    lag_source = np.empty(0, dtype=np.int64)
    if "transit_months" in columns:
        lag = columns["transit_months"].astype(np.int64)
        lag_source = np.where(columns["t"] >= lag, np.arange(runs * months) - lag, -1)
    layout = _Layout(runs, months, frozenset(changes), literal, lag_source)
    frame = pl.DataFrame(columns)

    reserve_steps = sorted({offset for offset, _ in changes.get("nk_reserve", ())} - {0})
    if reserve_steps:
        frame = _north_korea_in_pieces(frame, layout, reserve_steps)
    else:
        frame = _run(frame, _north_korea(layout), layout)
    frame = _run(frame, _russia_and_exchange(layout), layout)
    labels = pl.Series("month", scenario.month_labels(), dtype=pl.String)
    month = labels if runs == 1 else labels.gather(columns["t"])
    return frame.with_columns(month).select("run", *COLUMNS)


def _run(frame: pl.DataFrame, stages: list[Stage], layout: _Layout) -> pl.DataFrame:
    for stage in stages:
        frame = frame.with_columns(expr.alias(name) for name, expr in stage)
    return frame


# -- North Korea -------------------------------------------------------------------


def _north_korea(layout: _Layout) -> list[Stage]:
    p = layout.param
    share = p("share_122_containers") / 100
    load_keys = ("share_122_containers", "shells_152_per_container", "rockets_122_per_container")
    shippable = (p("nk_stock_initial") + c("produced") - p("nk_reserve")).clip(lower_bound=0)
    shipped = c("cumulative_rounds") - c("cumulative_rounds").shift(1, fill_value=0.0)
    if layout.varies(*load_keys):
        cumulative_containers = layout.cumulative(c("containers_shipped"), constant_in_time=False)
    else:
        cumulative_containers = c("cumulative_rounds") / c("per_container")
    return [
        [
            ("nk_production_russia", p("nk_capacity_russia") * p("nk_utilisation_russia") / 100),
            ("nk_production_other", p("nk_capacity_other") * p("nk_utilisation_other") / 100),
            ("per_container", (1 - share) * p("shells_152_per_container") + share * p("rockets_122_per_container")),
        ],
        [
            (
                "produced",
                layout.cumulative(
                    c("nk_production_russia"),
                    constant_in_time=not layout.varies("nk_capacity_russia", "nk_utilisation_russia"),
                ),
            ),
            (
                "capacity",
                layout.cumulative(
                    p("containers_per_month") * c("per_container"),
                    constant_in_time=not layout.varies("containers_per_month", *load_keys),
                ),
            ),
        ],
        [("cumulative_rounds", c("capacity") + layout.running_min(shippable - c("capacity")).clip(upper_bound=0))],
        [
            ("rounds_shipped", pl.when(c("t") == 0).then(c("cumulative_rounds")).otherwise(shipped).clip(0)),
            ("nk_stock", (p("nk_stock_initial") + c("produced") - c("cumulative_rounds")).clip(lower_bound=0)),
        ],
        [("containers_shipped", c("rounds_shipped") / c("per_container"))],
        [
            ("shells_152_shipped", c("containers_shipped") * (1 - share) * p("shells_152_per_container")),
            ("rockets_122_shipped", c("containers_shipped") * share * p("rockets_122_per_container")),
            ("cumulative_containers", cumulative_containers),
        ],
    ]


def _north_korea_in_pieces(frame: pl.DataFrame, layout: _Layout, steps: list[int]) -> pl.DataFrame:
    """North Korea's side when the reserve changes: each piece starts from the last one's stock."""
    runs, months = layout.runs, layout.months
    bounds = [0, *steps, months]
    stock = (
        np.full(runs, layout.literal["nk_stock_initial"])
        if "nk_stock_initial" in layout.literal
        else (frame.filter(c("t") == 0)["nk_stock_initial"].to_numpy())
    )
    rounds_before = np.zeros(runs)
    containers_before = np.zeros(runs)
    pieces = []
    for lo, hi in itertools.pairwise(bounds):
        width = hi - lo
        piece_layout = attrs.evolve(
            layout,
            months=width,
            literal={k: v for k, v in layout.literal.items() if k != "nk_stock_initial"},
        )
        part = frame.filter((c("t") >= lo) & (c("t") < hi)).with_columns(
            t=c("t") - lo,
            elapsed=c("elapsed") - lo,
            nk_stock_initial=pl.Series(np.repeat(stock, width)),
        )
        part = _run(part, _north_korea(piece_layout), piece_layout).with_columns(
            t=c("t") + lo,
            elapsed=c("elapsed") + lo,
            cumulative_rounds=c("cumulative_rounds") + pl.Series(np.repeat(rounds_before, width)),
            cumulative_containers=c("cumulative_containers") + pl.Series(np.repeat(containers_before, width)),
        )
        last = part.filter(c("t") == hi - 1)
        stock = last["nk_stock"].to_numpy()
        rounds_before = last["cumulative_rounds"].to_numpy()
        containers_before = last["cumulative_containers"].to_numpy()
        pieces.append(part.drop("nk_stock_initial"))
    joined = pl.concat(pieces).sort("run", "t")
    return joined.with_columns(nk_stock_initial=frame["nk_stock_initial"]) if "nk_stock_initial" in frame else joined


# -- Russia and the return trade ---------------------------------------------------------


def _russia_and_exchange(layout: _Layout) -> list[Stage]:
    p = layout.param
    own_supply = p("ru_production") + p("ru_other_imports")
    if layout.varies("transit_months"):
        received = layout.cumulative(c("ru_arrivals"), constant_in_time=False)
    else:
        received = layout.earlier(c("cumulative_rounds"), "transit_months")
    constant_own = not layout.varies("ru_production", "ru_other_imports")
    supplied = layout.cumulative(own_supply, constant_in_time=constant_own) + received
    if layout.varies("ru_fire_rate"):
        demanded = layout.cumulative(c("ru_demand"), constant_in_time=False)
    else:
        demanded = p("ru_fire_rate") * c("elapsed_days")
    fired = c("fired_total") - c("fired_total").shift(1, fill_value=0.0)
    return [
        [
            ("ru_arrivals", layout.earlier(c("rounds_shipped"), "transit_months")),
            ("ru_demand", p("ru_fire_rate") * c("days")),
        ],
        [("ru_supply", own_supply + c("ru_arrivals")), ("supplied", supplied), ("demanded", demanded)],
        [
            (
                "fired_total",
                c("demanded")
                + layout.running_min(p("ru_stock_initial") + c("supplied") - c("demanded")).clip(upper_bound=0),
            )
        ],
        [
            (
                "ru_fired",
                pl.when(c("t") == 0).then(c("fired_total")).otherwise(fired).clip(0, c("ru_demand")),
            ),
            ("ru_stock", (p("ru_stock_initial") + c("supplied") - c("fired_total")).clip(lower_bound=0)),
            ("return_containers", c("containers_shipped") * p("return_containers_ratio")),
        ],
        [
            ("ru_shortfall", c("ru_demand") - c("ru_fired")),
            ("food_tonnes", c("return_containers") * p("food_tonnes_per_container")),
        ],
    ]
