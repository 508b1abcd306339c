"""The monthly stock-and-flow projection of docs/model.md, in Polars.

Both stocks follow "never below zero (or the reserve)" recursions. Written with
cumulative quantities they need no loop over months: with ``Cap`` the cumulative
shipping capacity and ``A`` the cumulative amount that has become shippable,
cumulative shipments are ``K = Cap + min(0, cummin(A - Cap))``; Russia's cumulative
fire has the same form, with demand for capacity and stock plus supply for ``A``.

One projection is a frame of one row per month, every parameter a column (changes over
time applied), and a few stages of expressions run eagerly: on 48 rows the cost is
Polars' per-call overhead, so the stages are as few as the dependencies allow.

A reserve that rises faster than production breaks the closed form: North Korea's shipments
are then summed month by month, as the recursion says.

Many variants at once (Monte Carlo, sensitivity) go through :mod:`ammoflow.scenarios.engine.batch`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import polars as pl

from ammoflow.scenarios.model import registry
from ammoflow.scenarios.model.columns import COLUMNS
from ammoflow.scenarios.model.months import days_in
from ammoflow.scenarios.model.scenario import Scenario

c = pl.col
Stage = list[pl.Expr | pl.Series]


def project(scenario: Scenario) -> pl.DataFrame:
    """One projection: a row per month with the contract's columns."""
    frame = pl.DataFrame(_inputs(scenario))
    if any(ch.parameter == "nk_reserve" for ch in scenario.changes) and _closed_form_breaks(frame):
        frame = _north_korea_month_by_month(frame)
    else:
        frame = _run(frame, _NORTH_KOREA)
    first, *rest = _RUSSIA_AND_EXCHANGE
    frame = _run(frame, [[_floats(arrivals(frame).tolist(), "ru_arrivals"), *first], *rest])
    return frame.select(COLUMNS)


def project_runs(
    scenario: Scenario,
    values: Mapping[str, Sequence[float] | np.ndarray] | None = None,
    runs: int | None = None,
) -> pl.DataFrame:
    """Many variants in one call, as one long frame: a ``run`` column, then the contract's columns."""
    from ammoflow.scenarios.engine.batch import project_batch

    return project_batch(scenario, values, runs).frame()


def _inputs(scenario: Scenario) -> dict[str, pl.Series]:
    """Every parameter's value in each month, as Polars series made from Python floats.

    Not from NumPy arrays: Polars reads those through ``numpy.ma``, whose import is 15 ms of the
    explorer's first frame and of every ``ammoflow run``; and a few hundred floats go in as quickly
    from a list (measured: 1.96 against 2.05 ms for a whole projection of the baseline).
    """
    months = scenario.months
    first = scenario.start_index
    changed = {change.parameter for change in scenario.changes}
    columns = {
        "month": pl.Series(scenario.month_labels(), dtype=pl.String),
        "days": _floats([days_in(first + i) for i in range(months)]),
    }
    for key in registry.KEYS:
        columns[key] = _floats(scenario.series(key) if key in changed else [scenario.values[key]] * months)
    return columns


def _floats(values: Sequence[float], name: str = "") -> pl.Series:
    return pl.Series(name, [float(v) for v in values], dtype=pl.Float64)


def _run(frame: pl.DataFrame, stages: Sequence[Stage]) -> pl.DataFrame:
    for stage in stages:
        frame = frame.with_columns(stage)
    return frame


def _difference(cumulative: str) -> pl.Expr:
    """This month's amount from a running total."""
    return (c(cumulative) - c(cumulative).shift(1, fill_value=0.0)).clip(lower_bound=0)


# -- North Korea -------------------------------------------------------------------

_share = c("share_122_containers") / 100
_per_container = (1 - _share) * c("shells_152_per_container") + _share * c("rockets_122_per_container")
_produced = c("nk_capacity_russia") * c("nk_utilisation_russia") / 100
# Each stage is one Polars call; a formula needed in the same stage is written out again
# (on one projection's few rows that costs far less than another call).
_shipped = _difference("cumulative_rounds")
_containers = _shipped / c("per_container")
_NORTH_KOREA: tuple[Stage, ...] = (
    [
        _produced.alias("nk_production_russia"),
        (c("nk_capacity_other") * c("nk_utilisation_other") / 100).alias("nk_production_other"),
        _per_container.alias("per_container"),
        _produced.cum_sum().alias("produced"),
        (c("containers_per_month") * _per_container).cum_sum().alias("capacity"),
    ],
    [
        (
            c("capacity")
            + ((c("nk_stock_initial") + c("produced") - c("nk_reserve")).clip(lower_bound=0) - c("capacity"))
            .cum_min()
            .clip(upper_bound=0)
        ).alias("cumulative_rounds")
    ],
    [
        _shipped.alias("rounds_shipped"),
        (c("nk_stock_initial") + c("produced") - c("cumulative_rounds")).clip(lower_bound=0).alias("nk_stock"),
        _containers.alias("containers_shipped"),
        (_containers * (1 - _share) * c("shells_152_per_container")).alias("shells_152_shipped"),
        (_containers * _share * c("rockets_122_per_container")).alias("rockets_122_shipped"),
        _containers.cum_sum().alias("cumulative_containers"),
    ],
)


def _closed_form_breaks(frame: pl.DataFrame) -> list[int]:
    """The months where the amount that may have become shippable falls: the closed form fails there.

    Shipments are capped by ``A = max(0, stock at start + produced so far - reserve)``, and the
    cumulative form is exact while ``A`` never falls. A reserve that falls, or rises by less than
    that month's production (most of a phase-in), needs no break; one that rises faster does.
    """
    produced = np.cumsum(frame["nk_capacity_russia"].to_numpy() * frame["nk_utilisation_russia"].to_numpy() / 100)
    shippable = np.maximum(frame["nk_stock_initial"].to_numpy() + produced - frame["nk_reserve"].to_numpy(), 0.0)
    return [int(t) for t in np.flatnonzero(shippable[1:] < shippable[:-1]) + 1]


def _north_korea_month_by_month(frame: pl.DataFrame) -> pl.DataFrame:
    """North Korea's side when the closed form does not hold: cumulative shipments month by month.

    ``K = min(K + capacity, max(K, A))`` each month, with ``A`` the amount that may have become
    shippable so far (see :func:`_closed_form_breaks`); a few hundred float steps, far quicker
    than cutting the horizon into pieces of a Polars run each.
    """
    frame = _run(frame, _NORTH_KOREA[:1])
    shippable = (frame["nk_stock_initial"] + frame["produced"] - frame["nk_reserve"]).clip(lower_bound=0).to_list()
    capacity = (frame["containers_per_month"] * frame["per_container"]).to_list()
    shipped = 0.0
    cumulative = []
    for room, most in zip(shippable, capacity, strict=True):
        shipped = min(shipped + most, max(shipped, room))
        cumulative.append(shipped)
    frame = frame.with_columns(pl.Series("cumulative_rounds", cumulative, dtype=pl.Float64))
    return _run(frame, _NORTH_KOREA[2:])


# -- Russia and the return trade ---------------------------------------------------------


def arrivals(frame: pl.DataFrame) -> np.ndarray:
    """Rounds landing in each month: a shipment arrives ``transit_months`` after it leaves,
    the transit in force in the month it left (docs/model.md), so every round shipped lands once.

    Shipments due after the horizon are still in transit at its end and land nowhere here.
    """
    months = frame.height
    due = np.arange(months) + frame["transit_months"].to_numpy().astype(np.int64)
    return np.bincount(due, weights=frame["rounds_shipped"].to_numpy(), minlength=months)[:months]


_fired = _difference("fired_total").clip(upper_bound=c("ru_demand"))
_supply = c("ru_production") + c("ru_other_imports") + c("ru_arrivals")
_RUSSIA_AND_EXCHANGE: tuple[Stage, ...] = (
    [  # with ru_arrivals, worked out in NumPy (see arrivals)
        (c("ru_fire_rate") * c("days")).alias("ru_demand"),
        (c("ru_fire_rate") * c("days")).cum_sum().alias("demanded"),
        (c("containers_shipped") * c("return_containers_ratio")).alias("return_containers"),
    ],
    [
        _supply.alias("ru_supply"),
        _supply.cum_sum().alias("supplied"),
        (c("return_containers") * c("food_tonnes_per_container")).alias("food_tonnes"),
    ],
    [
        (c("demanded") + (c("ru_stock_initial") + c("supplied") - c("demanded")).cum_min().clip(upper_bound=0)).alias(
            "fired_total"
        )
    ],
    [
        _fired.alias("ru_fired"),
        (c("ru_demand") - _fired).alias("ru_shortfall"),
        (c("ru_stock_initial") + c("supplied") - c("fired_total")).clip(lower_bound=0).alias("ru_stock"),
    ],
)
