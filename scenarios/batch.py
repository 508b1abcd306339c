"""Many variants of one scenario in one vectorised call: the run dimension.

Monte Carlo, sensitivity and goal seeking ask for thousands of projections that differ
only in their starting values. Here a Polars frame has one row per run; parameters
that vary between runs are columns, the others literals, and changes over time enter
as literals from their month on. The month-by-month recursion of MODEL.md is then a
chain of per-month expressions, each spanning every run at once: for 10,000 runs one
operation covers 10,000 values, where a long frame with a window per run would pay for
10,000 small groups.

The four state series (shipped, North Korean stock, fired, Russian stock) come out of
that chain; every other output column is an element-wise function of them and of the
parameters, assembled as (runs, months) NumPy blocks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor

import attrs
import numpy as np
import polars as pl

from scenarios import registry
from scenarios.months import days_in, parse_month
from scenarios.scenario import Scenario

c = pl.col


@attrs.frozen(eq=False)
class Batch:
    """Projections of ``runs`` variants: each output column as a (runs, months) array."""

    scenario: Scenario
    runs: int
    columns: Mapping[str, np.ndarray]
    values: Mapping[str, np.ndarray] = attrs.field(factory=dict)  # the per-run starting values given

    @property
    def months(self) -> list[str]:
        return self.scenario.month_labels()

    def __getitem__(self, column: str) -> np.ndarray:
        return self.columns[column]

    def frame(self) -> pl.DataFrame:
        """The long form: a row per run and month, run-major, with the contract's columns."""
        from scenarios.engine import COLUMNS

        months = self.scenario.months
        labels = pl.Series("month", self.months, dtype=pl.String)
        data: dict[str, pl.Series | np.ndarray] = {
            "run": np.repeat(np.arange(self.runs, dtype=np.int32), months),
            "month": labels.gather(np.tile(np.arange(months), self.runs)),
        }
        for name in COLUMNS[1:]:
            data[name] = self.columns[name].reshape(-1)
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


def project_batch(
    scenario: Scenario,
    values: Mapping[str, Sequence[float] | np.ndarray] | None = None,
    runs: int | None = None,
) -> Batch:
    """``runs`` variants of ``scenario``; ``values`` gives some parameters one starting value per run.

    Changes over time apply to every run (a change sets a value from its month on).
    """
    arrays = {key: np.asarray(v, dtype=np.float64).reshape(-1) for key, v in (values or {}).items()}
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
    inputs = _Inputs(scenario, arrays, runs)
    state = _recursion(inputs)
    return Batch(scenario, runs, _outputs(inputs, state), arrays)


class _Inputs:
    """Each parameter's value in each month: a literal, or a per-run column."""

    def __init__(self, scenario: Scenario, arrays: dict[str, np.ndarray], runs: int) -> None:
        self.scenario = scenario
        self.arrays = arrays
        self.runs = runs
        self.months = scenario.months
        first = scenario.start_index
        self.days = np.array([days_in(first + i) for i in range(self.months)], dtype=np.float64)
        self.changes: dict[str, list[tuple[int, float]]] = {}
        for change in scenario.changes:
            self.changes.setdefault(change.parameter, []).append((parse_month(change.month) - first, change.value))
        self.derived: dict[str, float | np.ndarray] = {}
        self.frame = pl.DataFrame({key: array for key, array in arrays.items()} or {"_": np.zeros(runs)})

    def combined(self, name: str, keys: tuple[str, ...], formula: Callable[..., object], t: int) -> pl.Expr:
        """``formula`` of several parameters in month ``t``.

        While none of ``keys`` has changed over time, its value per run is worked out once,
        before the month-by-month chain, so each month reads one column instead of
        recomputing it from the parameters.
        """
        if any(self.changed_value(key, t) is not None for key in keys):
            return formula(*(self.expr(key, t) for key in keys))  # type: ignore[return-value]
        if name not in self.derived:
            parts = [self.arrays[key] if key in self.arrays else self.scenario.values[key] for key in keys]
            value = formula(*parts)
            self.derived[name] = value  # type: ignore[assignment]
            if isinstance(value, np.ndarray):
                self.frame = self.frame.with_columns(pl.Series(name, value))
        value = self.derived[name]
        return c(name) if isinstance(value, np.ndarray) else pl.lit(float(value), dtype=pl.Float64)

    def changed_value(self, key: str, t: int) -> float | None:
        """The value a change sets for month ``t`` (None when no change is in force yet)."""
        value = None
        for offset, changed in self.changes.get(key, ()):
            if offset <= t:
                value = changed
        return value

    def expr(self, key: str, t: int = 0) -> pl.Expr:
        changed = self.changed_value(key, t)
        if changed is not None:
            return pl.lit(changed, dtype=pl.Float64)
        if key in self.arrays:
            return c(key)
        return pl.lit(self.scenario.values[key], dtype=pl.Float64)

    def grid_by_month(self, key: str) -> np.ndarray:
        """The parameter as an array that broadcasts to (months, runs)."""
        steps = self.changes.get(key)
        base = self.arrays[key][None, :] if key in self.arrays else np.array([[self.scenario.values[key]]])
        if not steps:
            return base
        grid = np.broadcast_to(base, (self.months, base.shape[1])).copy()
        for offset, value in steps:
            grid[offset:, :] = value
        return grid

    def lags(self, t: int) -> list[int]:
        """Transit times possible in month ``t``."""
        changed = self.changed_value("transit_months", t)
        if changed is not None:
            return [int(changed)]
        if "transit_months" in self.arrays:
            return sorted({int(v) for v in np.unique(self.arrays["transit_months"])})
        return [int(self.scenario.values["transit_months"])]


def _recursion(inputs: _Inputs) -> dict[str, np.ndarray]:
    """Shipped, North Korean stock, fired and Russian stock, month by month, for every run.

    Stage ``t`` computes month ``t``'s shipments together with month ``t - 1``'s stocks
    and fire, so the chain is one stage a month (plus one) rather than two.
    """
    e = inputs.expr
    months = inputs.months

    def produced(t: int) -> pl.Expr:
        keys = ("nk_capacity_russia", "nk_utilisation_russia")
        return inputs.combined("_produced", keys, lambda cap, used: cap * used / 100, t)

    def ship_capacity(t: int) -> pl.Expr:
        keys = ("containers_per_month", "share_122_containers", "shells_152_per_container", "rockets_122_per_container")
        return inputs.combined("_ship_capacity", keys, _ship_capacity, t)

    def own_supply(t: int) -> pl.Expr:
        keys = ("ru_production", "ru_other_imports")
        return inputs.combined("_own_supply", keys, lambda made, imported: made + imported, t)

    for t in range(months):  # work out the per-run constants before the chain reads them
        produced(t), ship_capacity(t), own_supply(t)
    lazy = inputs.frame.lazy()

    def available(t: int) -> pl.Expr:
        """North Korea's stock plus this month's output, before shipping."""
        before = e("nk_stock_initial") if t == 0 else c(f"nk{t - 1}")
        return before + produced(t)

    for t in range(months + 1):
        stage: list[pl.Expr] = []
        if t < months:
            # Last month's closing stock, written out: it is computed in this same stage.
            stock = e("nk_stock_initial") if t == 0 else available(t - 1) - c(f"sh{t - 1}")
            room = (stock + produced(t) - e("nk_reserve", t)).clip(lower_bound=0)
            stage.append(pl.min_horizontal(ship_capacity(t), room).alias(f"sh{t}"))
        if t >= 1:
            stage.extend(_month_end(inputs, t - 1, available(t - 1), own_supply(t - 1)))
        lazy = lazy.with_columns(stage)
    names = [f"{prefix}{t}" for prefix in ("sh", "nk", "fi", "ru") for t in range(months)]
    # Polars hands over a column-major (runs, columns) block: its transpose is a C-ordered
    # (months, runs) array per series, the layout the element-wise work below is fastest on.
    # The plan is already minimal; skipping the optimiser saves its passes over 49 stages.
    block = lazy.select(names).collect(optimizations=pl.QueryOptFlags.none()).to_numpy().T
    return {
        key: block[i * months : (i + 1) * months] for i, key in enumerate(("shipped", "nk_stock", "fired", "ru_stock"))
    }


def _ship_capacity(containers: object, share: object, shells: object, rockets: object) -> object:
    """Rounds the shipping rate can carry in a month (works on numbers, arrays and expressions)."""
    fraction = share / 100  # type: ignore[operator]
    return containers * ((1 - fraction) * shells + fraction * rockets)  # type: ignore[operator]


def _month_end(inputs: _Inputs, t: int, available: pl.Expr, own: pl.Expr) -> list[pl.Expr]:
    """Month ``t``'s closing North Korean stock, Russian fire and Russian stock."""
    e = inputs.expr
    varying_transit = "transit_months" in inputs.arrays and inputs.changed_value("transit_months", t) is None
    arrivals: pl.Expr | None = None
    for lag in inputs.lags(t):
        if t - lag < 0:
            continue
        source = c(f"sh{t - lag}")
        if not varying_transit:
            arrivals = source
            continue
        match = e("transit_months") == lag
        arrivals = (pl.when(match) if arrivals is None else arrivals.when(match)).then(source)
    if arrivals is None:
        arrivals = pl.lit(0.0)
    elif varying_transit:
        arrivals = arrivals.otherwise(0.0)
    supply = own + arrivals
    russian = (e("ru_stock_initial") if t == 0 else c(f"ru{t - 1}")) + supply
    fired = pl.min_horizontal(e("ru_fire_rate", t) * float(inputs.days[t]), russian)
    return [
        (available - c(f"sh{t}")).alias(f"nk{t}"),
        fired.alias(f"fi{t}"),
        (russian - fired).alias(f"ru{t}"),
    ]


def _outputs(inputs: _Inputs, state: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Every output column from the state series, computed as (months, runs) and handed out transposed.

    The North Korean and the Russian columns are independent, and NumPy lets go of the
    interpreter lock on arrays this size, so the two halves run on two threads.
    """
    shipping = _pool().submit(_shipping_outputs, inputs, state)
    by_month = _russian_outputs(inputs, state) | shipping.result()
    return {name: block.T for name, block in by_month.items()}


_POOL: ThreadPoolExecutor | None = None


def _pool() -> ThreadPoolExecutor:
    global _POOL
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ammoflow-batch")
    return _POOL


def _shipping_outputs(inputs: _Inputs, state: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    g = inputs.grid_by_month
    shape = (inputs.months, inputs.runs)
    shipped = state["shipped"]
    share = g("share_122_containers") / 100
    shells_share = (1 - share) * g("shells_152_per_container")
    rockets_share = share * g("rockets_122_per_container")
    containers = shipped / (shells_share + rockets_share)
    returned = containers * g("return_containers_ratio")
    return {
        "days": np.broadcast_to(inputs.days[:, None], shape),
        "nk_production_russia": np.broadcast_to(g("nk_capacity_russia") * g("nk_utilisation_russia") / 100, shape),
        "nk_production_other": np.broadcast_to(g("nk_capacity_other") * g("nk_utilisation_other") / 100, shape),
        "rounds_shipped": shipped,
        "containers_shipped": containers,
        "shells_152_shipped": containers * shells_share,
        "rockets_122_shipped": containers * rockets_share,
        "cumulative_containers": np.cumsum(containers, axis=0),
        "cumulative_rounds": np.cumsum(shipped, axis=0),
        "nk_stock": state["nk_stock"],
        "return_containers": returned,
        "food_tonnes": returned * g("food_tonnes_per_container"),
    }


def _russian_outputs(inputs: _Inputs, state: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    g = inputs.grid_by_month
    shape = (inputs.months, inputs.runs)
    arrivals = _arrivals(inputs, state["shipped"])
    demand = np.broadcast_to(g("ru_fire_rate") * inputs.days[:, None], shape)
    return {
        "ru_arrivals": arrivals,
        "ru_supply": g("ru_production") + g("ru_other_imports") + arrivals,
        "ru_demand": demand,
        "ru_fired": state["fired"],
        "ru_shortfall": demand - state["fired"],
        "ru_stock": state["ru_stock"],
    }


def _arrivals(inputs: _Inputs, shipped: np.ndarray) -> np.ndarray:
    """Each month's arrivals: what was shipped ``transit_months`` (in force that month) before."""
    months, runs = shipped.shape
    lag = inputs.grid_by_month("transit_months").astype(np.int64)
    lags = [int(v) for v in np.unique(lag) if v < months]
    longest = max(lags, default=0)
    # Zeros before the first month, so that "``lag`` months earlier" is a view for every lag.
    padded = np.concatenate([np.zeros((longest, runs)), shipped])
    arrivals = np.zeros_like(shipped)
    for value in lags:
        earlier = padded[longest - value : longest - value + months]
        if lag.size == 1:
            return earlier.copy()
        arrivals += earlier * (lag == value)  # the mask is per run (and per month after a change)
    return arrivals
