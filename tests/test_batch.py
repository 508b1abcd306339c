"""The batch engine's own promises: columns made on request, totals without blocks, figures per run.

That every column of every run equals a single projection is checked in test_engine.py
(``project_runs``); here, what the batch adds on top.
"""

from __future__ import annotations

import math

import attrs
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_engine import VARIED_KEYS

from ammoflow.scenarios.engine.batch import project_batch
from ammoflow.scenarios.engine.batch_figures import NEVER, run_figures
from ammoflow.scenarios.engine.batch_months import BlockPool, project_by_months
from ammoflow.scenarios.engine.projection import project
from ammoflow.scenarios.model import registry
from ammoflow.scenarios.model.columns import COLUMNS
from ammoflow.scenarios.model.figures import FIGURE_KEYS, key_figures
from ammoflow.scenarios.model.scenario import Change, Scenario, baseline

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def batches(draw: st.DrawFn, scenario_strategy, value_strategy):  # type: ignore[no-untyped-def]
    """A random scenario (changes over time included) and one to six runs of varied starting values."""
    scenario = draw(scenario_strategy(max_changes=4))
    runs = draw(st.integers(1, 6))
    keys = draw(st.lists(st.sampled_from(VARIED_KEYS), max_size=5, unique=True))
    values = {key: np.array(draw(st.lists(value_strategy(key), min_size=runs, max_size=runs))) for key in keys}
    return scenario, values, runs


def test_columns_come_in_the_contracts_order_and_unknown_ones_are_refused() -> None:
    batch = project_batch(baseline(), {"ru_fire_rate": [10_000.0, 30_000.0]})
    assert list(batch.columns) == list(COLUMNS[1:])
    assert len(batch.columns) == len(COLUMNS) - 1
    with pytest.raises(KeyError):
        batch["month"]
    with pytest.raises(KeyError):
        batch.total("ru_stok")


def test_a_column_is_made_once_and_kept() -> None:
    batch = project_batch(baseline(), {"containers_per_month": [600.0, 1_500.0]})
    first = batch["food_tonnes"]
    assert batch["food_tonnes"] is first
    assert first.shape == (2, 48)


@SETTINGS
@given(data=st.data())
def test_every_total_equals_its_column_summed(data: st.DataObject, scenario_strategy, value_strategy) -> None:  # type: ignore[no-untyped-def]
    scenario, values, runs = data.draw(batches(scenario_strategy, value_strategy))
    # Totals first, from a fresh batch, so none can lean on a column already made.
    totals = project_batch(scenario, values, runs)
    blocks = project_batch(scenario, values, runs)
    for name in COLUMNS[1:]:
        got = totals.total(name)
        want = blocks[name].sum(axis=1)
        assert got.shape == (runs,), name
        assert np.allclose(got, want, rtol=1e-9, atol=1e-6), (name, got, want)


@SETTINGS
@given(data=st.data())
def test_shipped_equals_arrived_plus_in_transit(data: st.DataObject, scenario_strategy, value_strategy) -> None:  # type: ignore[no-untyped-def]
    scenario, values, runs = data.draw(batches(scenario_strategy, value_strategy))
    batch = project_batch(scenario, values, runs)
    months = scenario.months
    # The transit in force when each month's shipment left, per run.
    transit = np.broadcast_to(batch.parameter("transit_months"), (runs, months)).astype(np.int64)
    still_in_transit = np.arange(months) + transit >= months
    shipped = batch["rounds_shipped"]
    in_transit = np.where(still_in_transit, shipped, 0.0).sum(axis=1)
    assert np.allclose(shipped.sum(axis=1), batch.total("ru_arrivals") + in_transit, rtol=1e-12, atol=1e-6)
    assert np.allclose(batch["ru_arrivals"].sum(axis=1), shipped.sum(axis=1) - in_transit, rtol=1e-12, atol=1e-6)


def single_figures(scenario: Scenario) -> dict[str, object]:
    figures = key_figures(project(scenario), scenario)
    return {key: figures.value(key) for key in FIGURE_KEYS}


@SETTINGS
@given(data=st.data())
def test_run_figures_equal_each_runs_key_figures(data: st.DataObject, scenario_strategy, value_strategy) -> None:  # type: ignore[no-untyped-def]
    scenario, values, runs = data.draw(batches(scenario_strategy, value_strategy))
    batch = project_batch(scenario, values, runs)
    figures = run_figures(batch)
    labels = scenario.month_labels()
    for r in range(runs):
        want = single_figures(scenario.with_values({key: float(v[r]) for key, v in values.items()}))
        # The two engines add in different orders; their rounding dust grows with the rounds moved.
        dust = 1e-6 + 1e-13 * sum(float(np.abs(batch[c][r]).sum()) for c in ("ru_supply", "ru_demand", "ru_stock"))
        for key in FIGURE_KEYS:
            got = figures[key][r]
            expected = want[key]
            if key in ("nk_reserve_month", "first_shortfall_month"):
                assert (None if got == NEVER else labels[got]) == expected, (key, r)
            elif expected is None or (isinstance(expected, float) and math.isnan(expected)):
                assert math.isnan(got), (key, r)
            else:
                assert math.isclose(got, expected, rel_tol=1e-9, abs_tol=dust), (key, r, got, expected)


def test_runs_with_different_transit_times_each_get_their_own_arrivals() -> None:
    scenario = baseline().with_horizon(months=12)
    batch = project_batch(scenario, {"transit_months": [0.0, 1.0, 2.0, 6.0]})
    shipped = batch["rounds_shipped"]
    arrivals = batch["ru_arrivals"]
    for run, lag in enumerate((0, 1, 2, 6)):
        assert np.array_equal(arrivals[run, :lag], np.zeros(lag))
        assert np.array_equal(arrivals[run, lag:], shipped[run, : 12 - lag])


def test_a_transit_change_applies_to_shipments_leaving_from_its_month() -> None:
    scenario = baseline().with_horizon(months=12).with_changes([Change("2024-03", "transit_months", 3)])
    batch = project_batch(scenario, {"transit_months": [0.0, 2.0]})
    shipped = batch["rounds_shipped"]
    arrivals = batch["ru_arrivals"]
    change = 6  # 2024-03: shipments leaving from then on take three months
    for run, before in enumerate((0, 2)):
        # What left before the change keeps its transit; nothing lands between the two.
        assert np.array_equal(arrivals[run, before : change + before], shipped[run, :change])
        assert np.array_equal(arrivals[run, change + before : change + 3], np.zeros(3 - before))
        assert np.array_equal(arrivals[run, change + 3 :], shipped[run, change:9])
        # Each round shipped lands once; the last three months' are still in transit at the end.
        assert math.isclose(arrivals[run].sum(), shipped[run, :9].sum(), rel_tol=1e-12)


def test_a_batch_does_not_follow_later_edits_of_its_inputs_or_its_columns() -> None:
    scenario = baseline()
    ratio = np.array([1.0, 1.5])
    batch = project_batch(scenario, {"return_containers_ratio": ratio})
    ratio[:] = 0  # the caller reuses its array
    want = project(scenario.with_value("return_containers_ratio", 1.0))["return_containers"].sum()
    assert math.isclose(batch.total("return_containers")[0], want, rel_tol=1e-9)
    shipped = batch["rounds_shipped"]
    with pytest.raises(ValueError, match="read-only"):
        shipped *= 0  # columns are worked out from the same arrays later
    assert batch["cumulative_rounds"][0, -1] > 0


def test_a_total_shortfall_of_nothing_is_zero_not_rounding_below_it() -> None:
    scenario = baseline().with_horizon(months=240).with_values({"ru_fire_rate": 12345.678, "ru_stock_initial": 5e7})
    batch = project_batch(scenario, runs=2)
    assert np.all(batch.total("ru_shortfall") == 0)


def test_blocks_handed_over_are_the_columns_and_the_batch_is_then_spent() -> None:
    runs = 300
    values = {"containers_per_month": np.linspace(200, 700, runs), "transit_months": np.arange(runs) % 3 + 1.0}
    want = project_batch(baseline(), values)
    names = ["rounds_shipped", "ru_arrivals", "ru_stock", "nk_production_russia", "ru_demand"]
    expected = {name: np.array(want[name]) for name in names}
    batch = project_batch(baseline(), values)
    handed = batch.columns.hand_over(names)
    for name in names:
        assert np.array_equal(handed[name].T, expected[name]), name
    assert handed["rounds_shipped"].flags.writeable  # the batch's own block: the caller may sort it
    assert not handed["nk_production_russia"].flags.writeable  # one row broadcast over the months
    handed["rounds_shipped"].sort(axis=1)
    for ask in (lambda: batch["cumulative_rounds"], lambda: batch.total("food_tonnes")):
        with pytest.raises(RuntimeError, match="handed its blocks over"):
            ask()


@SETTINGS
@given(data=st.data())
def test_columns_worked_out_in_the_callers_arrays_are_the_same_numbers(  # type: ignore[no-untyped-def]
    data: st.DataObject, scenario_strategy, value_strategy
) -> None:
    """Monte Carlo has each chunk write straight into slices of its kept blocks: nothing may change."""
    scenario, values, runs = data.draw(batches(scenario_strategy, value_strategy))
    names = data.draw(st.lists(st.sampled_from(COLUMNS[1:]), unique=True))
    order = data.draw(st.permutations(COLUMNS[1:]))  # the order the columns are asked for
    want = project_batch(scenario, values, runs)
    kept = np.full((len(names), scenario.months, runs + 3), -1.0)  # wider: each column a strided slice
    into = {name: kept[i, :, 1 : runs + 1] for i, name in enumerate(names)}
    got = project_batch(scenario, values, runs, into=into)
    for name in order:
        assert np.array_equal(got[name], want[name]), name
    figures, expected = run_figures(got), run_figures(want)
    for key in FIGURE_KEYS:
        assert np.array_equal(figures[key], expected[key], equal_nan=True), key
    for i, name in enumerate(names):
        assert np.array_equal(kept[i, :, 1 : runs + 1], want[name].T), name
        assert np.all(kept[i, :, [0, runs + 1, runs + 2]] == -1.0), name  # nothing written beside the slice


def test_a_column_cannot_be_worked_out_in_an_array_of_the_wrong_shape() -> None:
    with pytest.raises(ValueError, match=r"ru_stock must be worked out in a writable float64 \(48, 2\) array"):
        project_batch(baseline(), runs=2, into={"ru_stock": np.empty((48, 3))})
    read_only = np.empty((48, 2))
    read_only.flags.writeable = False
    with pytest.raises(ValueError, match="writable"):
        project_batch(baseline(), runs=2, into={"ru_stock": read_only})
    with pytest.raises(KeyError, match="ru_stok"):
        project_batch(baseline(), runs=2, into={"ru_stok": np.empty((48, 2))})


@SETTINGS
@given(data=st.data())
def test_a_released_column_is_read_by_nothing_else(data: st.DataObject, scenario_strategy, value_strategy) -> None:  # type: ignore[no-untyped-def]
    """Monte Carlo sorts a released column where it lies: every other column, total and figure must not change."""
    scenario, values, runs = data.draw(batches(scenario_strategy, value_strategy))
    order = data.draw(st.permutations(COLUMNS[1:]))
    want = project_batch(scenario, values, runs)
    batch = project_batch(scenario, values, runs)
    released = {}
    for name in order:
        block = batch.columns.release(name)
        if block is None:
            assert np.array_equal(batch[name], want[name]), name
            continue
        assert np.array_equal(block, want[name].T), name
        released[name] = block
        block[...] = np.nan  # as good as sorted: nothing may read it again
    assert {"cumulative_rounds", "ru_shortfall", "food_tonnes"} <= set(released)
    assert not {"rounds_shipped", "ru_stock", "ru_fired", "ru_demand", "nk_stock"} & set(released)
    for name in COLUMNS[1:]:
        assert np.array_equal(batch[name], want[name]), name  # released ones worked out afresh
        assert np.allclose(batch.total(name), want.total(name), rtol=1e-12, atol=1e-6), name
    figures, expected = run_figures(batch), run_figures(want)
    for key in FIGURE_KEYS:
        assert np.array_equal(figures[key], expected[key], equal_nan=True), key


# -- a window of months at a time (batch_months) ------------------------------------------

DRIFTING = tuple(p.key for p in registry.PARAMETERS if p.can_drift)


@SETTINGS
@given(data=st.data())
def test_columns_a_window_of_months_at_a_time_are_the_whole_batchs_to_the_bit(  # type: ignore[no-untyped-def]
    data: st.DataObject, scenario_strategy, value_strategy
) -> None:
    """Changes over time (transit too), per-run values and drift: every number of every column, whatever the windows."""
    scenario, values, runs = data.draw(batches(scenario_strategy, value_strategy))
    drifting = data.draw(st.lists(st.sampled_from(DRIFTING), max_size=3, unique=True))
    seed = data.draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    drift = {key: np.exp(rng.normal(0, 0.2, (scenario.months, runs))) for key in drifting}
    names = data.draw(st.lists(st.sampled_from(COLUMNS[1:]), min_size=1, unique=True))
    rows = data.draw(st.integers(1, scenario.months + 2))
    whole = project_batch(scenario, values, runs, drift=drift)
    pool = BlockPool(rows, runs)
    got = {name: np.full((scenario.months, runs), np.nan) for name in names}
    seen: list[tuple[int, str]] = []
    for first, name, block in project_by_months(scenario, values, runs, names, pool, drift=drift):
        assert block.shape == (min(rows, scenario.months - first), runs)
        got[name][first : first + len(block)] = block
        seen.append((first, name))
        pool.give(block)
    starts = range(0, scenario.months, rows)
    assert sorted(seen) == sorted(
        (first, name) for first in starts for name in names
    )  # each window's every column, once
    for name in names:
        assert np.array_equal(got[name], whole[name].T), name


def test_blocks_read_and_given_back_are_made_again_window_after_window() -> None:
    """240 months in 240 windows: the memory touched is a few windows' blocks, not the horizon's."""
    from ammoflow.scenarios.model.columns import NUMBER_COLUMNS

    scenario = attrs.evolve(baseline(), months=240)
    runs = 50
    values = {"transit_months": np.arange(runs) % 4 + 1.0, "ru_fire_rate": np.linspace(5_000, 40_000, runs)}
    pool = BlockPool(1, runs)
    held = []
    for _, _, block in project_by_months(scenario, values, runs, NUMBER_COLUMNS, pool):
        held.append(block)
        if len(held) > 2:  # a reader two blocks behind
            pool.give(held.pop(0))
    assert pool.made() <= 8  # arrivals, rounds fired, Russia's stock, the blocks in hand, and the next one
    pool.give(np.empty((1, runs)))  # not the pool's: ignored
    assert pool.made() <= 8
    block = pool.take((1, runs))
    pool.give(block)
    pool.give(block)  # given twice: handed out once
    first, second = pool.take((1, runs)), pool.take((1, runs))
    assert first.base is not second.base
    with pytest.raises(ValueError, match="pool"):
        pool.take((2, runs))
